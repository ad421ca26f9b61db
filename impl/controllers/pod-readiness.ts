// What controllers read from a pod's status: whether it still counts (active), whether it
// is Ready, and whether it has been Ready for minReadySeconds (available), as upstream's
// podutil helpers define them.

import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { Millis } from '../env/clock.js';

/** Active: not finished and not being deleted; only active pods count towards replicas. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** When the pod last became Ready (ms), if it is Ready and says so. */
export function podReadySince(pod: Pod): Millis | undefined {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Available: Ready, and Ready for at least minReadySeconds. A Ready condition without a
 * transition time counts only when minReadySeconds is 0, as upstream.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Millis): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}
