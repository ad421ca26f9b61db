// What the Deployment controller reads off its ReplicaSets, as upstream's deploymentutil:
// revisions, the replicas annotations, which ReplicaSet runs the current template, the
// orderings it scales them in, and the Deployment's conditions.

import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { metaTime } from '../../api/meta-time.js';
import type { Millis } from '../../env/clock.js';
import { canonicalJson, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';

/** Annotations the controller manages itself and never copies from the Deployment to its ReplicaSets. */
const NOT_COPIED = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO]);

// Reasons of the Progressing and Available conditions, as upstream (kubectl and users match on them).
export const NEW_RS_REASON = 'NewReplicaSetCreated';
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
export const RS_UPDATED_REASON = 'ReplicaSetUpdated';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
export const PAUSED_REASON = 'DeploymentPaused';
export const RESUMED_REASON = 'DeploymentResumed';
export const FAILED_RS_CREATE_REASON = 'ReplicaSetCreateError';
export const MIN_AVAILABLE_REASON = 'MinimumReplicasAvailable';
export const MIN_UNAVAILABLE_REASON = 'MinimumReplicasUnavailable';

export function revisionOf(rs: ReplicaSet): number {
  const v = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0');
  return Number.isInteger(v) && v >= 0 ? v : 0;
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  return Math.max(0, ...rss.map(revisionOf));
}

export function specReplicas(rs: ReplicaSet | undefined): number {
  return rs?.spec?.replicas ?? 0;
}

function createdAt(rs: ReplicaSet): number {
  const t = rs.metadata?.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

function byName(a: ReplicaSet, b: ReplicaSet): number {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Oldest first (ReplicaSetsByCreationTimestamp). */
export function byCreationOldestFirst(a: ReplicaSet, b: ReplicaSet): number {
  return createdAt(a) - createdAt(b) || byName(a, b);
}

/** Larger first, newer first among equals (ReplicaSetsBySizeNewer): where a scale-up goes. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || createdAt(b) - createdAt(a) || byName(a, b);
}

/** Larger first, older first among equals (ReplicaSetsBySizeOlder): where a scale-down goes. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || createdAt(a) - createdAt(b) || byName(a, b);
}

/** Oldest revision first (ReplicaSetsByRevision), for history cleanup. */
export function byRevisionOldestFirst(a: ReplicaSet, b: ReplicaSet): number {
  return revisionOf(a) - revisionOf(b) || byCreationOldestFirst(a, b);
}

/** ReplicaSets that have, or are meant to have, pods. */
export function activeReplicaSets(rss: readonly ReplicaSet[]): ReplicaSet[] {
  return rss.filter((rs) => specReplicas(rs) > 0);
}

function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) {
    delete t.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return t;
}

/** Templates equal but for the pod-template-hash label (EqualIgnoreHash). */
export function equalIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

/** The oldest ReplicaSet whose template is the Deployment's: the new one (FindNewReplicaSet). */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreationOldestFirst).find((rs) => equalIgnoringHash(rs.spec?.template, d.spec?.template));
}

/** The Deployment's annotations its ReplicaSets carry too. */
export function copiedAnnotations(d: Deployment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
  return out;
}

export function desiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const v = rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export function maxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const v = rs.metadata?.annotations?.[MAX_REPLICAS_ANNOTATION];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

// ---- conditions ----

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return (status?.conditions ?? []).find((c) => c.type === type);
}

export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: Millis): DeploymentCondition {
  const t = metaTime(now);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

/**
 * SetDeploymentCondition: a condition with the same status and reason is left alone; a new
 * status keeps nothing of the old; the same status with a new reason keeps lastTransitionTime.
 */
export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const conditions = status.conditions ?? [];
  const current = conditions.find((x) => x.type === c.type);
  if (current && current.status === c.status && current.reason === c.reason) return;
  const next = current && current.status === c.status ? { ...c, lastTransitionTime: current.lastTransitionTime } : c;
  status.conditions = [...conditions.filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== 2147483647;
}
