// A ReplicaSet's status as its controller reports it: the counts over the pods it owns
// (active ones only), the generation it acted on, and a ReplicaFailure condition while
// creating or deleting pods fails.

import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { metaTime } from '../../api/meta-time.js';
import type { Millis } from '../../env/clock.js';
import { isPodAvailable, isPodReady } from '../pod-readiness.js';

export function calculateReplicaSetStatus(rs: ReplicaSet, pods: readonly Pod[], manageError: unknown, now: Millis): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    const labels = pod.metadata?.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions: ReplicaSetCondition[] = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError !== undefined && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    conditions.push({
      type: 'ReplicaFailure',
      status: 'True',
      reason: diff < 0 ? 'FailedCreate' : 'FailedDelete',
      message: manageError instanceof Error ? manageError.message : String(manageError),
      lastTransitionTime: metaTime(now),
    });
  } else if (manageError === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  return {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata?.generation ?? 0,
    ...(conditions.length > 0 ? { conditions } : {}),
  };
}

/** Whether writing `next` would change what the ReplicaSet shows (upstream compares these). */
export function replicaSetStatusChanged(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const s: ReplicaSetStatus = rs.status ?? { replicas: 0 };
  return (
    (s.replicas ?? 0) !== next.replicas ||
    (s.fullyLabeledReplicas ?? 0) !== (next.fullyLabeledReplicas ?? 0) ||
    (s.readyReplicas ?? 0) !== (next.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) !== (next.availableReplicas ?? 0) ||
    (s.observedGeneration ?? 0) !== (next.observedGeneration ?? 0) ||
    JSON.stringify(s.conditions ?? []) !== JSON.stringify(next.conditions ?? [])
  );
}
