// A Deployment's status as upstream's controller computes it: counts summed over its
// ReplicaSets' statuses, the Available condition (minimum availability), and the
// Progressing condition that `kubectl rollout status` reads — NewReplicaSetAvailable once
// complete, ReplicaSetUpdated while progressing, ProgressDeadlineExceeded when a rollout
// has made no progress for progressDeadlineSeconds.

import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Millis } from '../../env/clock.js';
import {
  getCondition,
  hasProgressDeadline,
  MIN_AVAILABLE_REASON,
  MIN_UNAVAILABLE_REASON,
  NEW_RS_AVAILABLE_REASON,
  newCondition,
  removeCondition,
  RS_UPDATED_REASON,
  setCondition,
  specReplicas,
  TIMED_OUT_REASON,
} from './deployment-util.js';
import { maxUnavailableOf } from './int-or-percent.js';

const sum = (rss: readonly (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number) => rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);

/** calculateStatus: counts and the Available condition; other conditions carried over. */
export function calculateStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: Millis): DeploymentStatus {
  const available = sum(allRSs, (rs) => rs.status?.availableReplicas ?? 0);
  const total = sum(allRSs, specReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: sum(allRSs, (rs) => rs.status?.replicas ?? 0),
    updatedReplicas: sum([newRS], (rs) => rs.status?.replicas ?? 0),
    readyReplicas: sum(allRSs, (rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    ...(d.status?.conditions ? { conditions: d.status.conditions.map((c) => ({ ...c })) } : {}),
  };
  if (available >= (d.spec?.replicas ?? 1) - maxUnavailableOf(d)) {
    setCondition(status, newCondition('Available', 'True', MIN_AVAILABLE_REASON, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', MIN_UNAVAILABLE_REASON, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Complete: every replica updated, available, and the current generation observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const replicas = d.spec?.replicas ?? 1;
  return (s.updatedReplicas ?? 0) === replicas && (s.replicas ?? 0) === replicas && (s.availableReplicas ?? 0) === replicas && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** Progress since the last status: more updated, fewer old, more ready or more available pods. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: Millis): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (c.reason === TIMED_OUT_REASON) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + (d.spec?.progressDeadlineSeconds ?? 600) * 1000 < now;
}

function replicaFailure(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  for (const rs of [...(newRS ? [newRS] : []), ...allRSs]) {
    const c = (rs.status?.conditions ?? []).find((x) => x.type === 'ReplicaFailure');
    if (c) {
      return {
        type: c.type,
        status: c.status,
        ...(c.reason !== undefined ? { reason: c.reason } : {}),
        ...(c.message !== undefined ? { message: c.message } : {}),
        ...(c.lastTransitionTime !== undefined ? { lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime } : {}),
      };
    }
  }
  return undefined;
}

/** syncRolloutStatus's new status: counts, Available, Progressing and ReplicaFailure. */
export function rolloutStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: Millis): DeploymentStatus {
  const s = calculateStatus(d, allRSs, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && current?.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, s)) {
      setCondition(s, newCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, `ReplicaSet "${newRS?.metadata?.name ?? ''}" has successfully progressed.`, now));
    } else if (deploymentProgressing(d, s)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata?.name ?? ''}" is progressing.` : `Deployment "${d.metadata?.name ?? ''}" is progressing.`;
      // Progress refreshes lastUpdateTime even with the same reason: the deadline counts from it.
      const c = newCondition('Progressing', 'True', RS_UPDATED_REASON, msg, now);
      if (current?.status === 'True' && current.lastTransitionTime) c.lastTransitionTime = current.lastTransitionTime;
      removeCondition(s, 'Progressing');
      setCondition(s, c);
    } else if (deploymentTimedOut(d, s, now)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata?.name ?? ''}" has timed out progressing.` : `Deployment "${d.metadata?.name ?? ''}" has timed out progressing.`;
      setCondition(s, newCondition('Progressing', 'False', TIMED_OUT_REASON, msg, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(s, failure);
  else removeCondition(s, 'ReplicaFailure');
  return s;
}

/**
 * When to look at a rollout again to notice that its deadline passed (requeueStuckDeployment):
 * undefined when there is nothing to wait for.
 */
export function progressCheckDelay(d: Deployment, s: DeploymentStatus, now: Millis): Millis | undefined {
  const c = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !c) return undefined;
  if (deploymentComplete(d, s) || c.reason === TIMED_OUT_REASON) return undefined;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return undefined;
  return Math.max(0, from + (d.spec?.progressDeadlineSeconds ?? 600) * 1000 - now) + 1000;
}

export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return JSON.stringify(normalise(a ?? {})) === JSON.stringify(normalise(b));
}

function normalise(s: DeploymentStatus): DeploymentStatus {
  return {
    observedGeneration: s.observedGeneration ?? 0,
    replicas: s.replicas ?? 0,
    updatedReplicas: s.updatedReplicas ?? 0,
    readyReplicas: s.readyReplicas ?? 0,
    availableReplicas: s.availableReplicas ?? 0,
    unavailableReplicas: s.unavailableReplicas ?? 0,
    collisionCount: s.collisionCount ?? 0,
    conditions: [...(s.conditions ?? [])].sort((x, y) => (x.type < y.type ? -1 : 1)).map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? '', message: c.message ?? '', lastUpdateTime: c.lastUpdateTime ?? '', lastTransitionTime: c.lastTransitionTime ?? '' })),
  };
}
