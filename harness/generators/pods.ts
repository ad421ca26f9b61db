// Pods and the pod specs of workload templates: containers (containers.ts), now and then init
// containers, placement (placement.ts), a termination grace period, and for bare Pods a
// restart policy and labels. About one pod in three is sized to its nodes: its first
// container asks for a good share of one node (resources.ts).
// A draft holds everything but the object's identity, which the caller supplies when it
// builds the manifest (so an operation sequence can keep names and `app` labels unique).

import fc from 'fast-check';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { buildContainer, containerDraftArbitrary, containerDraftsArbitrary, restartPolicyArbitrary, type ContainerDraft, type ContainerOptions, type RestartPolicy } from './containers.js';
import { APP_LABEL, labelsArbitrary, type Labels } from './labels.js';
import { appLabelFor, identityArbitrary, objectMeta, type IdentityOptions, type ObjectIdentity } from './names.js';
import { buildPlacement, placementDraftArbitrary, sometimes, type PlacementDraft } from './placement.js';
import { effectiveRequests, initResourcesDraftArbitrary, nodeSizedResourcesArbitrary } from './resources.js';

export interface PodSpecDraft {
  readonly containers: readonly ContainerDraft[];
  /** Run one after another to completion before the containers (absent: none). */
  readonly initContainers?: readonly ContainerDraft[];
  readonly placement: PlacementDraft;
  readonly terminationGracePeriodSeconds?: number;
}

export interface PodSpecOptions extends ContainerOptions {
  readonly maxContainers?: number;
}

/** Names init containers go by; one the pod's containers already use is skipped. */
const INIT_NAMES = ['init', 'migrate', 'wait-for-db', 'warm-cache'] as const;

/**
 * 1–2 init containers that set the pod up and exit 0 (after 0–5 s), from images that exist,
 * asking for more than the containers do (initResourcesDraftArbitrary): a pod stuck in
 * initialization is a scenario of its own, not one to stumble into.
 */
function initContainersArbitrary(taken: readonly string[], options: PodSpecOptions): fc.Arbitrary<readonly ContainerDraft[]> {
  const names = INIT_NAMES.filter((n) => !taken.includes(n));
  const one = (name: string) =>
    fc
      .tuple(containerDraftArbitrary(fc.constant(name), { ...options, missingImageWeight: 0, behaviours: { runForever: 0, exit0: 1, exitNonZero: 0, crashAfter: 0 } }), initResourcesDraftArbitrary(options))
      .map(([d, resources]): ContainerDraft => ({ name: d.name, image: d.image, behaviour: d.behaviour, placement: d.placement, resources, env: d.env }));
  return fc.subarray(names, { minLength: 1, maxLength: 2 }).chain((ns) => fc.tuple(...ns.map(one)));
}

export function podSpecDraftArbitrary(options: PodSpecOptions = {}): fc.Arbitrary<PodSpecDraft> {
  return fc
    .record({
      containers: containerDraftsArbitrary({ ...options, ...(options.maxContainers !== undefined ? { max: options.maxContainers } : {}) }),
      placement: placementDraftArbitrary,
      terminationGracePeriodSeconds: sometimes(fc.constantFrom(0, 1, 5, 30), 4),
      withInit: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      sized: sometimes(nodeSizedResourcesArbitrary(options) ?? fc.constant(undefined), 3),
    })
    .map(({ sized, ...d }) => (sized === undefined ? d : { ...d, containers: d.containers.map((c, i) => (i === 0 ? { ...c, resources: sized } : c)) }))
    .chain(({ withInit, ...d }) =>
      withInit ? initContainersArbitrary(d.containers.map((c) => c.name), options).map((initContainers) => ({ ...d, initContainers })) : fc.constant(d),
    )
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
    ...(d.initContainers && d.initContainers.length > 0 ? { initContainers: d.initContainers.map(buildContainer) } : {}),
    containers: d.containers.map(buildContainer),
    ...(restartPolicy !== undefined ? { restartPolicy } : {}),
    ...(d.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: d.terminationGracePeriodSeconds } : {}),
    ...buildPlacement(d.placement, app, ctx.nodeNames),
  };
}

/** The cpu and memory the scheduler counts for one pod of this spec: its containers' sum, or its largest init container's if larger. */
export function podRequests(d: PodSpecDraft): { cpuMilli: number; memoryBytes: number } {
  let cpuMilli = 0;
  let memoryBytes = 0;
  for (const c of d.containers) {
    const r = effectiveRequests(c.resources);
    cpuMilli += r.cpuMilli;
    memoryBytes += r.memoryBytes;
  }
  for (const c of d.initContainers ?? []) {
    const r = effectiveRequests(c.resources);
    cpuMilli = Math.max(cpuMilli, r.cpuMilli);
    memoryBytes = Math.max(memoryBytes, r.memoryBytes);
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
