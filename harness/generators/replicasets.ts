// ReplicaSets: 0–N replicas (or the default, 1), template labels carrying the object's
// `app` and a selector that selects them (labels.ts), and a pod template (pods.ts) whose
// restart policy is Always, the only one a ReplicaSet's template may have.

import fc from 'fast-check';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { buildTemplateLabels, templateLabelsDraftArbitrary, type TemplateLabelsDraft } from './labels.js';
import { appLabelFor, identityArbitrary, objectMeta, type IdentityOptions, type ObjectIdentity } from './names.js';
import { sometimes } from './placement.js';
import { buildPodSpec, DEFAULT_CONTEXT, podSpecDraftArbitrary, type BuildContext, type PodSpecDraft, type PodSpecOptions } from './pods.js';

export interface WorkloadOptions extends PodSpecOptions {
  /** The most replicas a workload asks for (default 5). */
  readonly maxReplicas?: number;
}

/** What every workload (ReplicaSet, Deployment) has: replicas, template labels and selector, pod spec. */
export interface WorkloadDraft {
  /** Undefined: the API's default, 1. */
  readonly replicas?: number;
  readonly labels: TemplateLabelsDraft;
  readonly pod: PodSpecDraft;
  /** Whether the template says restartPolicy: Always explicitly. */
  readonly explicitAlways: boolean;
}

export function replicasArbitrary(max: number): fc.Arbitrary<number> {
  return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: Math.max(1, Math.min(3, max)) }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max }) });
}

export function workloadDraftArbitrary(options: WorkloadOptions = {}): fc.Arbitrary<WorkloadDraft> {
  return fc
    .record({
      replicas: sometimes(replicasArbitrary(options.maxReplicas ?? 5), 2),
      labels: templateLabelsDraftArbitrary,
      pod: podSpecDraftArbitrary({ behaviours: { runForever: 12, exit0: 1, exitNonZero: 1, crashAfter: 1 }, ...options }),
      explicitAlways: fc.boolean(),
    })
    .map(({ replicas, ...rest }) => (replicas === undefined ? rest : { ...rest, replicas }));
}

/** The spec fields ReplicaSets and Deployments share. */
export function buildWorkloadSpec(d: WorkloadDraft, app: string, ctx: BuildContext) {
  const { labels, selector } = buildTemplateLabels(d.labels, app);
  return {
    ...(d.replicas !== undefined ? { replicas: d.replicas } : {}),
    selector,
    template: { metadata: { labels: { ...labels } }, spec: buildPodSpec(d.pod, app, ctx, d.explicitAlways ? 'Always' : undefined) },
  };
}

export type ReplicaSetDraft = WorkloadDraft;

export function buildReplicaSet(d: ReplicaSetDraft, identity: ObjectIdentity, ctx: BuildContext = DEFAULT_CONTEXT): ReplicaSet {
  const app = appLabelFor(identity);
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: objectMeta(identity, ctx.namespace, { app }), spec: buildWorkloadSpec(d, app, ctx) };
}

export function replicaSetArbitrary(options: WorkloadOptions & IdentityOptions = {}, ctx: BuildContext = DEFAULT_CONTEXT): fc.Arbitrary<ReplicaSet> {
  return fc.tuple(workloadDraftArbitrary(options), identityArbitrary(options)).map(([d, id]) => buildReplicaSet(d, id, ctx));
}
