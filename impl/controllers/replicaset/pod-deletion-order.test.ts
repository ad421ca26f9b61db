import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { podsToDelete, POD_DELETION_COST_ANNOTATION } from './pod-deletion-order.js';

interface Shape {
  node?: string;
  phase?: string;
  ready?: string;
  restarts?: number;
  created?: string;
  cost?: number;
}

function pod(name: string, s: Shape = {}): Pod {
  return {
    metadata: { name, creationTimestamp: s.created ?? '2024-01-01T00:00:00Z', ...(s.cost !== undefined ? { annotations: { [POD_DELETION_COST_ANNOTATION]: String(s.cost) } } : {}) },
    spec: { containers: [{ name: 'c' }], ...(s.node ? { nodeName: s.node } : {}) },
    status: {
      phase: s.phase ?? 'Running',
      conditions: s.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: s.ready }] : [],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: !!s.ready, restartCount: s.restarts ?? 0 }],
    },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name);

describe('which pods a ReplicaSet deletes first', () => {
  it('follows upstream order: unscheduled, pending, not ready, cheap, doubled up, recently ready, restarting, newest', () => {
    const T = '2024-01-01T00:00:00Z';
    const pods = [
      pod('old-ready', { node: 'a', ready: '2024-01-01T00:00:00Z' }),
      pod('new-ready', { node: 'b', ready: '2024-01-01T00:05:00Z' }),
      pod('unscheduled', { phase: 'Pending' }),
      pod('pending', { node: 'c', phase: 'Pending' }),
      pod('unknown', { node: 'c', phase: 'Unknown' }),
      pod('not-ready', { node: 'c' }),
      pod('cheap', { node: 'd', ready: T, cost: -10 }),
    ];
    expect(names(podsToDelete(pods, [], 7))).toEqual(names(pods));
    expect(names(podsToDelete(pods, [], 6))).toEqual(['unscheduled', 'pending', 'unknown', 'not-ready', 'cheap', 'new-ready']);
  });

  it('prefers pods doubled up on a node with pods of the same workload, then restarts, then the newest', () => {
    const ready = '2024-01-01T00:00:00Z';
    const alone = pod('alone', { node: 'a', ready });
    const crowded = pod('crowded', { node: 'b', ready });
    const related = [alone, crowded, pod('sibling', { node: 'b', ready })];
    expect(names(podsToDelete([alone, crowded], related, 1))).toEqual(['crowded']);
    const restarting = pod('restarting', { node: 'a', ready, restarts: 3 });
    const newer = pod('newer', { node: 'a', ready, created: '2024-01-02T00:00:00Z' });
    expect(names(podsToDelete([alone, newer, restarting], [], 2))).toEqual(['restarting', 'newer']);
  });
});
