import { describe, expect, it } from 'vitest';
import { boundTo, node, pod, scoreOn } from '../scheduler-fixtures.testing.js';
import { nodeResourcesLeastAllocated } from './node-resources-least-allocated.js';

describe('NodeResourcesLeastAllocated', () => {
  it('scores the free share of cpu and memory after placing the pod, averaged, in integers', () => {
    const nodes = [node('a', { cpu: '2', memory: '4Gi' }), node('b', { cpu: '2', memory: '4Gi' })];
    const bound = [boundTo(pod('x', { cpu: '1', memory: '2Gi' }), 'a')];
    // a: cpu (2000-1500)*100/2000 = 25, memory (4096-2560)*100/4096 = 37 → 31; b: 75, 87 → 81.
    expect(scoreOn(nodeResourcesLeastAllocated, pod('p', { cpu: '500m', memory: '512Mi' }), nodes, bound)).toEqual({ a: 31, b: 81 });
  });

  it('counts containers without requests as 100m cpu and 200Mi memory', () => {
    const nodes = [node('a', { cpu: '1', memory: '1000Mi' })];
    // cpu (1000-100)*100/1000 = 90, memory (1000-200)*100/1000 = 80 → 85.
    expect(scoreOn(nodeResourcesLeastAllocated, pod('p'), nodes)).toEqual({ a: 85 });
  });
});
