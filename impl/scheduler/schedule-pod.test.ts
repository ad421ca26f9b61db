import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../env/random.js';
import { defaultProfile } from './plugins/index.js';
import { schedulePod } from './schedule-pod.js';
import { boundTo, node, pod } from './scheduler-fixtures.testing.js';
import { buildSnapshot, podInfoOf } from './snapshot.js';

describe('schedulePod', () => {
  const profile = defaultProfile();
  const nodes = [node('a'), node('b'), node('c')];

  it('stops at the first failing filter of each node and formats the fit error', () => {
    const snapshot = buildSnapshot({ nodes: [node('a', { unschedulable: true, cpu: '1' }), node('b', { cpu: '1' })], pods: [] });
    const r = schedulePod(podInfoOf(pod('p', { cpu: '2' })), snapshot, profile, new SeededRandom(1));
    expect(r).toMatchObject({ kind: 'unschedulable', message: '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable.' });
  });

  it('breaks ties at random, reproducibly from the seed, over every tied node', () => {
    const snapshot = buildSnapshot({ nodes, pods: [] });
    const pick = (seed: number) => {
      const r = schedulePod(podInfoOf(pod('p')), snapshot, profile, new SeededRandom(seed));
      return r.kind === 'scheduled' ? r.node : '';
    };
    const picks = Array.from({ length: 30 }, (_, seed) => pick(seed));
    expect(new Set(picks)).toEqual(new Set(['a', 'b', 'c']));
    expect(Array.from({ length: 30 }, (_, seed) => pick(seed))).toEqual(picks);
  });

  it("prefers the node with the fewest pods of the pod's controller", () => {
    const bound = [boundTo(pod('r1', { owner: 'rs' }), 'a'), boundTo(pod('r2', { owner: 'rs' }), 'b')];
    const r = schedulePod(podInfoOf(pod('r3', { owner: 'rs' })), buildSnapshot({ nodes, pods: bound }), profile, new SeededRandom(7));
    expect(r).toMatchObject({ kind: 'scheduled', node: 'c', feasible: 3 });
  });
});
