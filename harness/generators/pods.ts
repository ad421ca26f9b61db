// Pods and the pod specs of workload templates: containers (containers.ts), placement
// (placement.ts), a termination grace period, and for bare Pods a restart policy and labels.
// A draft holds everything but the object's identity, which the caller supplies when it
// builds the manifest (so an operation sequence can keep names and `app` labels unique).

import fc from 'fast-check';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { buildContainer, containerDraftsArbitrary, restartPolicyArbitrary, type ContainerDraft, type ContainerOptions, type RestartPolicy } from './containers.js';
import { APP_LABEL, labelsArbitrary, type Labels } from './labels.js';
import { appLabelFor, identityArbitrary, objectMeta, type IdentityOptions, type ObjectIdentity } from './names.js';
import { buildPlacement, placementDraftArbitrary, sometimes, type PlacementDraft } from './placement.js';
import { effectiveRequests } from './resources.js';

export interface PodSpecDraft {
  readonly containers: readonly ContainerDraft[];
  readonly placement: PlacementDraft;
  readonly terminationGracePeriodSeconds?: number;
}

export interface PodSpecOptions extends ContainerOptions {
  readonly maxContainers?: number;
}

export function podSpecDraftArbitrary(options: PodSpecOptions = {}): fc.Arbitrary<PodSpecDraft> {
  return fc
    .record({
      containers: containerDraftsArbitrary({ ...options, ...(options.maxContainers !== undefined ? { max: options.maxContainers } : {}) }),
      placement: placementDraftArbitrary,
      terminationGracePeriodSeconds: sometimes(fc.constantFrom(0, 1, 5, 30), 4),
    })
    .map(({ terminationGracePeriodSeconds, ...rest }) => (terminationGracePeriodSeconds === undefined ? rest : { ...rest, terminationGracePeriodSeconds }));
}

/** What a manifest is built against: its namespace and the cluster's node names (for hostname rules). */
export interface BuildContext {
  readonly namespace: string;
  readonly nodeNames: readonly string[];
}

export const DEFAULT_CONTEXT: BuildContext = { namespace: 'default', nodeNames: ['node-1', 'node-2', 'node-3'] };

export function buildPodSpec(d: PodSpecDraft, app: string, ctx: BuildContext, restartPolicy?: RestartPolicy): PodSpec {
  return {
    containers: d.containers.map(buildContainer),
    ...(restartPolicy !== undefined ? { restartPolicy } : {}),
    ...(d.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: d.terminationGracePeriodSeconds } : {}),
    ...buildPlacement(d.placement, app, ctx.nodeNames),
  };
}

/** The cpu and memory the scheduler counts for one pod of this spec. */
export function podRequests(d: PodSpecDraft): { cpuMilli: number; memoryBytes: number } {
  let cpuMilli = 0;
  let memoryBytes = 0;
  for (const c of d.containers) {
    const r = effectiveRequests(c.resources);
    cpuMilli += r.cpuMilli;
    memoryBytes += r.memoryBytes;
  }
  return { cpuMilli, memoryBytes };
}

export interface PodDraft {
  readonly labels: Labels;
  readonly spec: PodSpecDraft;
  /** Undefined: the API's default, Always. */
  readonly restartPolicy?: RestartPolicy;
}

export function podDraftArbitrary(options: PodSpecOptions = {}): fc.Arbitrary<PodDraft> {
  return fc
    .record({
      labels: labelsArbitrary(),
      spec: podSpecDraftArbitrary(options),
      restartPolicy: restartPolicyArbitrary,
    })
    .map(({ restartPolicy, ...rest }) => (restartPolicy === undefined ? rest : { ...rest, restartPolicy }));
}

export function buildPod(d: PodDraft, identity: ObjectIdentity, ctx: BuildContext = DEFAULT_CONTEXT): Pod {
  const app = appLabelFor(identity);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: objectMeta(identity, ctx.namespace, { ...d.labels, [APP_LABEL]: app }),
    spec: buildPodSpec(d.spec, app, ctx, d.restartPolicy),
  };
}

/** A bare Pod manifest with a name (or generateName). */
export function podArbitrary(options: PodSpecOptions & IdentityOptions = {}, ctx: BuildContext = DEFAULT_CONTEXT): fc.Arbitrary<Pod> {
  return fc.tuple(podDraftArbitrary(options), identityArbitrary(options)).map(([d, id]) => buildPod(d, id, ctx));
}
