import { describe, expect, it } from 'vitest';
import { fitErrorMessage, NO_NODES_AVAILABLE, truncateMessage } from './fit-error.js';

describe('fitErrorMessage', () => {
  it('counts one reason over every node', () => {
    const reasons = new Map([['a', ['Insufficient cpu']], ['b', ['Insufficient cpu']], ['c', ['Insufficient cpu']]]);
    expect(fitErrorMessage(3, reasons)).toBe('0/3 nodes are available: 3 Insufficient cpu.');
  });

  it('counts every reason of a node and sorts "<count> <reason>" as Go strings', () => {
    const reasons = new Map<string, string[]>([
      ['a', ['Insufficient cpu', 'Insufficient memory']],
      ['b', ['node(s) were unschedulable']],
      ['c', ['node(s) were unschedulable']],
      ...Array.from({ length: 10 }, (_, i): [string, string[]] => [`t${i}`, ['Too many pods']]),
    ]);
    // A string sort, not a numeric one: "10 ..." precedes "2 ...", as upstream prints it.
    expect(fitErrorMessage(13, reasons)).toBe('0/13 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 10 Too many pods, 2 node(s) were unschedulable.');
  });

  it('has nothing after the colon when no node gave a reason, and names an empty cluster', () => {
    expect(fitErrorMessage(2, new Map())).toBe('0/2 nodes are available:');
    expect(fitErrorMessage(0, new Map())).toBe(NO_NODES_AVAILABLE);
  });

  it('truncates long messages to 1024 characters with " ..."', () => {
    const long = 'x'.repeat(2000);
    expect(truncateMessage(long)).toHaveLength(1024);
    expect(truncateMessage(long).endsWith(' ...')).toBe(true);
    expect(truncateMessage('short')).toBe('short');
  });
});
