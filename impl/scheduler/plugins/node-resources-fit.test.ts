import { describe, expect, it } from 'vitest';
import { boundTo, filterOn, node, pod } from '../scheduler-fixtures.testing.js';
import { nodeResourcesFit } from './node-resources-fit.js';

describe('NodeResourcesFit', () => {
  const small = node('small', { cpu: '1', memory: '1Gi', pods: '2' });

  it('fits a pod into what allocatable minus the bound pods leaves', () => {
    const bound = [boundTo(pod('a', { cpu: '600m', memory: '512Mi' }), 'small')];
    expect(filterOn(nodeResourcesFit, pod('fits', { cpu: '400m', memory: '512Mi' }), [small], bound)).toEqual({ small: [] });
    expect(filterOn(nodeResourcesFit, pod('cpu', { cpu: '401m' }), [small], bound)).toEqual({ small: ['Insufficient cpu'] });
    expect(filterOn(nodeResourcesFit, pod('both', { cpu: '1', memory: '1Gi' }), [small], bound)).toEqual({ small: ['Insufficient cpu', 'Insufficient memory'] });
  });

  it('says "Too many pods" when the pod count is reached, even for a pod that requests nothing', () => {
    const bound = [boundTo(pod('a'), 'small'), boundTo(pod('b'), 'small')];
    expect(filterOn(nodeResourcesFit, pod('c'), [small], bound)).toEqual({ small: ['Too many pods'] });
  });

  it('lets a zero request through on an overcommitted node', () => {
    const bound = [boundTo(pod('a', { cpu: '2' }), 'small')];
    expect(filterOn(nodeResourcesFit, pod('b', { memory: '1Mi' }), [small], bound)).toEqual({ small: [] });
  });

  it('takes the larger of the containers sum and the largest init container, per resource', () => {
    expect(filterOn(nodeResourcesFit, pod('init', { cpu: '100m', initCpu: '1100m' }), [small])).toEqual({ small: ['Insufficient cpu'] });
    expect(filterOn(nodeResourcesFit, pod('init', { cpu: '100m', initCpu: '900m', memory: '2Gi' }), [small])).toEqual({ small: ['Insufficient memory'] });
  });

  it('checks extended resources the node does not have', () => {
    const p = pod('gpu', { spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { 'example.com/gpu': '1' } } }] } });
    expect(filterOn(nodeResourcesFit, p, [small])).toEqual({ small: ['Insufficient example.com/gpu'] });
  });
});
