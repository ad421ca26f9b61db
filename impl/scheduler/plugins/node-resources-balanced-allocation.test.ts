import { describe, expect, it } from 'vitest';
import { node, pod, scoreOn } from '../scheduler-fixtures.testing.js';
import { nodeResourcesBalancedAllocation } from './node-resources-balanced-allocation.js';

describe('NodeResourcesBalancedAllocation', () => {
  it('prefers the node where cpu and memory end up equally used', () => {
    const nodes = [node('balanced', { cpu: '2', memory: '2Gi' }), node('skewed', { cpu: '8', memory: '2Gi' })];
    // balanced: 0.5 and 0.5 → 100; skewed: 0.125 and 0.5 → std 0.1875 → 81.
    expect(scoreOn(nodeResourcesBalancedAllocation, pod('p', { cpu: '1', memory: '1Gi' }), nodes)).toEqual({ balanced: 100, skewed: 81 });
  });
});
