// The rolling update's arithmetic, as upstream's reconcileNewReplicaSet and
// reconcileOldReplicaSets, as pure functions of what the controller observes. One
// deliberate difference: upstream counts pods by ReplicaSet spec and status; here each
// ReplicaSet counts as max(spec.replicas, pods it has) towards the surge bound and as
// min(spec.replicas, available pods it has) towards availability. A ReplicaSet just scaled
// down still has its pods until its controller deletes them, and its status still counts
// them available; upstream may add new pods or remove old ones in that window, briefly
// exceeding maxSurge or maxUnavailable. Counting what is really there keeps a rollout
// inside both bounds at every instant.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { byCreationOldestFirst } from './deployment-util.js';
import { maxSurgeOf, maxUnavailableOf } from './int-or-percent.js';

/** What the controller knows of one ReplicaSet of the Deployment. */
export interface ReplicaSetCounts {
  readonly rs: ReplicaSet;
  /** spec.replicas. */
  readonly replicas: number;
  /** Active pods it owns (not terminating, not finished), from the pod cache. */
  readonly pods: number;
  /** Of those, pods available (Ready for minReadySeconds). */
  readonly available: number;
}

/** Pods that exist or are about to: what the surge bound counts. */
export function podsCounted(c: ReplicaSetCounts): number {
  return Math.max(c.replicas, c.pods);
}

/** Available pods the ReplicaSet will keep at its current size. */
export function availableCounted(c: ReplicaSetCounts, size = c.replicas): number {
  return Math.min(c.available, size);
}

export interface RollingOptions {
  /** Mutant: scale the new ReplicaSet to spec.replicas at once. */
  readonly ignoreMaxSurge?: boolean;
  /** Mutant: scale old ReplicaSets to zero at once. */
  readonly ignoreMaxUnavailable?: boolean;
}

/** The size the new ReplicaSet should have now (its current size when it must wait). */
export function newReplicaSetSize(d: Deployment, all: readonly ReplicaSetCounts[], next: ReplicaSetCounts, options: RollingOptions = {}): number {
  const replicas = d.spec?.replicas ?? 1;
  if (next.replicas === replicas) return replicas;
  if (next.replicas > replicas || options.ignoreMaxSurge) return replicas;
  const maxTotal = replicas + maxSurgeOf(d);
  const current = all.reduce((n, c) => n + podsCounted(c), 0);
  if (current >= maxTotal) return next.replicas;
  return next.replicas + Math.min(maxTotal - current, replicas - next.replicas);
}

/**
 * New sizes for the old ReplicaSets: first drop their unavailable pods (cleanupUnhealthyReplicas),
 * then scale them down, oldest first, while availability stays at spec.replicas - maxUnavailable.
 * Returns only the ReplicaSets whose size changes.
 */
export function oldReplicaSetSizes(d: Deployment, old: readonly ReplicaSetCounts[], next: ReplicaSetCounts | undefined, options: RollingOptions = {}): Map<ReplicaSet, number> {
  const sizes = new Map<ReplicaSet, number>();
  const oldPods = old.reduce((n, c) => n + c.replicas, 0);
  if (oldPods === 0) return sizes;
  if (options.ignoreMaxUnavailable) {
    for (const c of old) if (c.replicas > 0) sizes.set(c.rs, 0);
    return sizes;
  }
  const replicas = d.spec?.replicas ?? 1;
  const minAvailable = replicas - maxUnavailableOf(d);
  const allPods = oldPods + (next?.replicas ?? 0);
  const newUnavailable = next ? next.replicas - availableCounted(next) : 0;
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return sizes;
  const oldest = [...old].sort((a, b) => byCreationOldestFirst(a.rs, b.rs));
  const size = (c: ReplicaSetCounts) => sizes.get(c.rs) ?? c.replicas;
  // Unavailable old pods go first: removing them costs no availability.
  let cleaned = 0;
  for (const c of oldest) {
    if (cleaned >= maxScaledDown) break;
    if (c.replicas === 0) continue;
    const unhealthy = c.replicas - availableCounted(c);
    if (unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    sizes.set(c.rs, c.replicas - down);
    cleaned += down;
  }
  const available = oldest.reduce((n, c) => n + availableCounted(c, size(c)), 0) + (next ? availableCounted(next) : 0);
  if (available <= minAvailable) return sizes;
  const toScaleDown = available - minAvailable;
  let scaled = 0;
  for (const c of oldest) {
    if (scaled >= toScaleDown) break;
    const s = size(c);
    if (s === 0) continue;
    const down = Math.min(s, toScaleDown - scaled);
    sizes.set(c.rs, s - down);
    scaled += down;
  }
  return sizes;
}
