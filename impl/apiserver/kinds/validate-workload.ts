// Validation of Deployments and ReplicaSets: a non-empty valid selector that matches the
// template's labels, non-negative replicas, a template whose pods always restart, the
// rolling-update parameters, and the selector's immutability.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { labelSelectorAsSelector, selectorMatches, validateLabelSelector, validateLabels } from '../../api/labels.js';
import type { KubeObject } from '../resource-type.js';
import type { StatusCause } from '../status.js';
import { immutable, invalid, notSupported, required, validateMetadata } from './validate-common.js';
import { validatePodSpec } from './validate-pod-spec.js';

function validateSelectorAndTemplate(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined, causes: StatusCause[]): void {
  const empty = !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
  if (empty) causes.push(required('spec.selector'));
  else causes.push(...validateLabelSelector(selector, 'spec.selector'));
  if (!template) {
    causes.push(required('spec.template'));
    return;
  }
  const labels = template.metadata?.labels ?? {};
  causes.push(...validateLabels(labels, 'spec.template.metadata.labels'));
  if (!empty) {
    try {
      if (!selectorMatches(labelSelectorAsSelector(selector), labels)) {
        causes.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
      }
    } catch {
      // An invalid selector was reported above.
    }
  }
  causes.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  const policy = template.spec?.restartPolicy;
  if (policy !== undefined && policy !== 'Always') causes.push(notSupported('spec.template.spec.restartPolicy', policy, ['Always']));
}

function validateReplicas(replicas: unknown, causes: StatusCause[]): void {
  if (replicas === undefined) return;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    causes.push(invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  }
}

/** IntOrString percent or count; returns undefined when malformed. */
function intOrPercent(v: unknown): { value: number; percent: boolean } | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return { value: v, percent: false };
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (m) return { value: Number(m[1]), percent: true };
  }
  return undefined;
}

export function validateDeployment(obj: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const d = obj as unknown as Deployment;
  const causes = validateMetadata(obj, { nameRule: 'subdomain', namespaced: true });
  validateReplicas(d.spec?.replicas, causes);
  validateSelectorAndTemplate(d.spec?.selector, d.spec?.template, causes);
  const strategy = d.spec?.strategy;
  if (strategy?.type !== undefined && !['RollingUpdate', 'Recreate'].includes(strategy.type)) {
    causes.push(notSupported('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']));
  }
  if (strategy?.type === 'Recreate' && strategy.rollingUpdate) {
    causes.push({ reason: 'FieldValueForbidden', field: 'spec.strategy.rollingUpdate', message: "Forbidden: may not be specified when strategy `type` is 'Recreate'" });
  }
  const ru = strategy?.rollingUpdate;
  if (ru) {
    const surge = ru.maxSurge === undefined ? undefined : intOrPercent(ru.maxSurge);
    const unavailable = ru.maxUnavailable === undefined ? undefined : intOrPercent(ru.maxUnavailable);
    if (ru.maxSurge !== undefined && !surge) causes.push(invalid('spec.strategy.rollingUpdate.maxSurge', ru.maxSurge, 'a valid percent string must be a numeric string followed by an ending \'%\''));
    if (ru.maxUnavailable !== undefined && !unavailable) causes.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'a valid percent string must be a numeric string followed by an ending \'%\''));
    if (unavailable?.percent && unavailable.value > 100) causes.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'must not be greater than 100%'));
    if (surge && unavailable && surge.value === 0 && unavailable.value === 0) {
      causes.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  // Upstream's ValidateNonnegativeField on each of these.
  for (const field of ['revisionHistoryLimit', 'minReadySeconds', 'progressDeadlineSeconds'] as const) {
    const v = d.spec?.[field];
    if (typeof v === 'number' && v < 0) causes.push(invalid(`spec.${field}`, v, 'must be greater than or equal to 0'));
  }
  const deadline = d.spec?.progressDeadlineSeconds;
  if (deadline !== undefined && deadline <= (d.spec?.minReadySeconds ?? 0)) {
    causes.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  if (old) {
    const before = old as unknown as Deployment;
    if (JSON.stringify(before.spec?.selector) !== JSON.stringify(d.spec?.selector)) causes.push(immutable('spec.selector', d.spec?.selector));
  }
  return causes;
}

export function validateReplicaSet(obj: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const rs = obj as unknown as ReplicaSet;
  const causes = validateMetadata(obj, { nameRule: 'subdomain', namespaced: true });
  validateReplicas(rs.spec?.replicas, causes);
  validateSelectorAndTemplate(rs.spec?.selector, rs.spec?.template, causes);
  if (old) {
    const before = old as unknown as ReplicaSet;
    if (JSON.stringify(before.spec?.selector) !== JSON.stringify(rs.spec?.selector)) causes.push(immutable('spec.selector', rs.spec?.selector));
  }
  return causes;
}
