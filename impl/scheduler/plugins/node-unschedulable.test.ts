import { describe, expect, it } from 'vitest';
import { filterOn, node, pod } from '../scheduler-fixtures.testing.js';
import { nodeUnschedulable } from './node-unschedulable.js';

describe('NodeUnschedulable', () => {
  it('keeps pods off cordoned nodes unless they tolerate the unschedulable taint', () => {
    const nodes = [node('cordoned', { unschedulable: true }), node('open')];
    expect(filterOn(nodeUnschedulable, pod('p'), nodes)).toEqual({ cordoned: ['node(s) were unschedulable'], open: [] });
    const tolerant = pod('d', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(filterOn(nodeUnschedulable, tolerant, nodes)).toEqual({ cordoned: [], open: [] });
  });
});
