// Scaling a Deployment whose ReplicaSets are mid-rollout, as upstream's `scale`: with one
// active ReplicaSet it simply takes the new size; otherwise the pods added or removed are
// shared among the active ReplicaSets in proportion to their size (by the max-replicas
// annotation each got when last scaled), leftovers going to the largest.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { activeReplicaSets, byCreationOldestFirst, bySizeNewer, bySizeOlder, desiredReplicasAnnotation, maxReplicasAnnotation, specReplicas } from './deployment-util.js';
import { maxSurgeOf } from './int-or-percent.js';

/** FindActiveOrLatest: the only active ReplicaSet, or the newest if none is active. */
export function activeOrLatest(newRS: ReplicaSet | undefined, old: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && old.length === 0) return undefined;
  const newestFirst = [...old].sort((a, b) => byCreationOldestFirst(b, a));
  const active = activeReplicaSets([...newestFirst, ...(newRS ? [newRS] : [])]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet runs every replica, all available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const replicas = d.spec?.replicas ?? 1;
  return specReplicas(rs) === replicas && desiredReplicasAnnotation(rs) === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/** Go's integer.RoundToInt32: halves round up. */
const round = (x: number) => Math.floor(x + 0.5);

function fraction(rs: ReplicaSet, d: Deployment): number {
  const replicas = d.spec?.replicas ?? 1;
  if (replicas === 0) return -specReplicas(rs);
  const total = replicas + maxSurgeOf(d);
  const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return round((specReplicas(rs) * total) / annotated) - specReplicas(rs);
}

function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const f = fraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(f, allowed) : Math.max(f, allowed);
}

/**
 * The size each ReplicaSet should have after a scaling event, for every ReplicaSet that the
 * scale touches (each gets its replicas annotations refreshed even if its size stays).
 */
export function proportionalSizes(d: Deployment, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[]): Map<ReplicaSet, number> {
  const replicas = d.spec?.replicas ?? 1;
  const sizes = new Map<ReplicaSet, number>();
  const only = activeOrLatest(newRS, old);
  if (only) {
    sizes.set(only, replicas);
    return sizes;
  }
  if (isSaturated(d, newRS)) {
    for (const rs of activeReplicaSets(old)) sizes.set(rs, 0);
    return sizes;
  }
  if ((d.spec?.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return sizes;
  const all = activeReplicaSets([...old, ...(newRS ? [newRS] : [])]);
  const current = all.reduce((n, rs) => n + specReplicas(rs), 0);
  const allowed = replicas > 0 ? replicas + maxSurgeOf(d) : 0;
  const toAdd = allowed - current;
  const ordered = [...all].sort(toAdd > 0 ? bySizeNewer : bySizeOlder);
  let added = 0;
  for (const rs of ordered) {
    const p = proportion(rs, d, toAdd, added);
    sizes.set(rs, specReplicas(rs) + p);
    added += p;
  }
  const first = ordered[0];
  if (first && toAdd !== 0) sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
  return sizes;
}
