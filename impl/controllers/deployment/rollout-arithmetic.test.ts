import fc from 'fast-check';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../../../specs/support/property.js';
import { MAX_REPLICAS_ANNOTATION } from './deployment-util.js';
import { maxSurgeOf, maxUnavailableOf, resolveFenceposts, scaledValue, type IntOrString } from './int-or-percent.js';
import { proportionalSizes } from './proportional-scale.js';
import { availableCounted, newReplicaSetSize, oldReplicaSetSizes, podsCounted, type ReplicaSetCounts } from './rolling-update.js';

const FILE = 'impl/controllers/deployment/rollout-arithmetic.test.ts';

function deployment(replicas: number, maxSurge: IntOrString, maxUnavailable: IntOrString, statusReplicas = replicas): Deployment {
  return {
    metadata: { name: 'd' },
    spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } },
    status: { replicas: statusReplicas },
  };
}

function rs(name: string, replicas: number, created: string, maxReplicas?: number): ReplicaSet {
  return {
    metadata: { name, creationTimestamp: created, ...(maxReplicas !== undefined ? { annotations: { [MAX_REPLICAS_ANNOTATION]: String(maxReplicas) } } : {}) },
    spec: { replicas, selector: {} },
  };
}

describe('maxSurge and maxUnavailable', () => {
  it('round surge up and unavailable down, and never let both be zero', () => {
    expect(resolveFenceposts('25%', '25%', 10)).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(resolveFenceposts('25%', '25%', 1)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(resolveFenceposts('0%', '10%', 5)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(resolveFenceposts(2, 0, 5)).toEqual({ maxSurge: 2, maxUnavailable: 0 });
    expect(scaledValue('33%', 10, true)).toBe(4);
    expect(scaledValue('33%', 10, false)).toBe(3);
    expect(maxUnavailableOf(deployment(3, 0, 5))).toBe(3);
    expect(maxSurgeOf({ ...deployment(3, 2, 0), spec: { ...deployment(3, 2, 0).spec!, strategy: { type: 'Recreate' } } })).toBe(0);
  });
});

describe('rolling update steps', () => {
  const counts = (name: string, day: number): fc.Arbitrary<ReplicaSetCounts> =>
    fc.record({ replicas: fc.integer({ min: 0, max: 12 }), pods: fc.integer({ min: 0, max: 12 }), availableShare: fc.integer({ min: 0, max: 100 }) }).map((c) => ({
      rs: rs(name, c.replicas, `2024-01-0${day}T00:00:00Z`),
      replicas: c.replicas,
      pods: c.pods,
      available: Math.floor((c.pods * c.availableShare) / 100),
    }));
  const fencepost = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`));
  const world = fc.record({
    replicas: fc.integer({ min: 0, max: 10 }),
    surge: fencepost,
    unavailable: fencepost,
    next: counts('new', 9),
    old: fc.tuple(counts('old-1', 1), counts('old-2', 2), counts('old-3', 3)).chain((all) => fc.integer({ min: 0, max: 3 }).map((n) => all.slice(0, n))),
  });

  it('scaling the new ReplicaSet up never takes the pods past replicas + maxSurge', () => {
    checkProperty(FILE, 'scaling the new ReplicaSet up never takes the pods past replicas + maxSurge', fc.property(world, (w) => {
      const d = deployment(w.replicas, w.surge, w.unavailable);
      const all = [w.next, ...w.old];
      const before = all.reduce((n, c) => n + podsCounted(c), 0);
      const size = newReplicaSetSize(d, all, w.next);
      if (size > w.next.replicas) {
        const after = before - podsCounted(w.next) + podsCounted({ ...w.next, replicas: size });
        expect(after).toBeLessThanOrEqual(w.replicas + maxSurgeOf(d));
        expect(size).toBeLessThanOrEqual(w.replicas);
      } else if (size < w.next.replicas) {
        expect(size).toBe(w.replicas);
      }
    }));
  });

  it('scaling old ReplicaSets down never takes availability below replicas - maxUnavailable', () => {
    checkProperty(FILE, 'scaling old ReplicaSets down never takes availability below replicas - maxUnavailable', fc.property(world, (w) => {
      const d = deployment(w.replicas, w.surge, w.unavailable);
      const sizes = oldReplicaSetSizes(d, w.old, w.next);
      const minAvailable = w.replicas - maxUnavailableOf(d);
      const available = (size: (c: ReplicaSetCounts) => number) => w.old.reduce((n, c) => n + availableCounted(c, size(c)), 0) + availableCounted(w.next);
      const before = available((c) => c.replicas);
      const after = available((c) => sizes.get(c.rs) ?? c.replicas);
      for (const c of w.old) {
        const s = sizes.get(c.rs);
        if (s === undefined) continue;
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan(c.replicas);
      }
      if (after < before) expect(after).toBeGreaterThanOrEqual(minAvailable);
    }));
  });
});

describe('proportional scaling (upstream TestScale cases, maxSurge 0)', () => {
  const sizes = (d: Deployment, newRS: ReplicaSet, old: ReplicaSet[]) => {
    const m = proportionalSizes(d, newRS, old);
    return [m.get(newRS) ?? newRS.spec?.replicas, ...old.map((o) => m.get(o) ?? o.spec?.replicas)];
  };

  it('5 -> 10, 5 -> 3, 9 -> 4', () => {
    expect(sizes(deployment(10, 0, 1, 5), rs('v2', 2, '2024-01-02T00:00:00Z', 5), [rs('v1', 3, '2024-01-01T00:00:00Z', 5)])).toEqual([4, 6]);
    expect(sizes(deployment(3, 0, 1, 5), rs('v2', 2, '2024-01-02T00:00:00Z', 5), [rs('v1', 3, '2024-01-01T00:00:00Z', 5)])).toEqual([1, 2]);
    expect(sizes(deployment(4, 0, 1, 9), rs('v2', 8, '2024-01-02T00:00:00Z', 9), [rs('v1', 1, '2024-01-01T00:00:00Z', 9)])).toEqual([4, 0]);
  });

  it('a single active ReplicaSet takes the new size; scaling to zero empties every one', () => {
    expect(sizes(deployment(7, 0, 1, 3), rs('v2', 3, '2024-01-02T00:00:00Z', 3), [rs('v1', 0, '2024-01-01T00:00:00Z', 3)])).toEqual([7, 0]);
    expect(sizes(deployment(0, 0, 1, 5), rs('v2', 2, '2024-01-02T00:00:00Z', 5), [rs('v1', 3, '2024-01-01T00:00:00Z', 5)])).toEqual([0, 0]);
  });
});
