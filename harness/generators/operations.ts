// User operation sequences: create (plain, by apply, as concurrent duplicates, or with
// generateName), apply changes, scale, set-image, delete with each propagation policy,
// re-create after delete, stale updates, cordon and uncordon — spread over time with
// realistic gaps.
//
// fast-check generates a list of independent *intents* ("scale the 2nd Deployment to 4"),
// and a small model of the cluster turns them into operations: references resolve to the
// objects created earlier in the sequence (intents with nothing to refer to are dropped),
// names are made unique, and replica counts are clamped so the total requests usually fit
// the cluster. Because intents are independent, fast-check can drop any of them while
// shrinking and the rest still make a valid sequence.

import fc from 'fast-check';
import type { ClusterShape, Manifest, Operation, TimedOperation } from '../campaign/scenario.js';
import { imageArbitrary } from './containers.js';
import { buildDeployment, deploymentDraftArbitrary, type DeploymentDraft } from './deployments.js';
import { generateNameFor, objectNameArbitrary, withSuffix, type ObjectIdentity } from './names.js';
import { buildPod, podDraftArbitrary, podRequests, type BuildContext, type PodDraft } from './pods.js';
import { buildReplicaSet, replicasArbitrary, workloadDraftArbitrary, type ReplicaSetDraft, type WorkloadDraft, type WorkloadOptions } from './replicasets.js';
import { MI } from './resources.js';

export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'Pod';

export type ObjectDraft =
  | { readonly kind: 'Deployment'; readonly draft: DeploymentDraft }
  | { readonly kind: 'ReplicaSet'; readonly draft: ReplicaSetDraft }
  | { readonly kind: 'Pod'; readonly draft: PodDraft };

export type CreateVia = 'create' | 'apply' | 'duplicate-create' | 'generate-name';

/** A change `apply` makes to a workload it created before. */
export interface WorkloadChange {
  readonly replicas?: number;
  readonly image?: string;
  /** A new value of env ROLLOUT in the first container: a template change, so a rollout. */
  readonly rollout?: number;
}

export type Propagation = 'Foreground' | 'Background' | 'Orphan';

/** One step as fast-check draws it; `ref` picks among the objects that fit, by position. */
export type Intent =
  | { readonly step: 'create'; readonly object: ObjectDraft; readonly name: string; readonly via: CreateVia; readonly copies: number }
  | { readonly step: 'recreate'; readonly ref: number }
  | { readonly step: 'scale'; readonly ref: number; readonly replicas: number }
  | { readonly step: 'set-image'; readonly ref: number; readonly image: string }
  | { readonly step: 'apply-update'; readonly ref: number; readonly change: WorkloadChange }
  | { readonly step: 'delete'; readonly ref: number; readonly propagation?: Propagation }
  | { readonly step: 'stale-update'; readonly ref: number; readonly replicas: number }
  | { readonly step: 'cordon'; readonly ref: number }
  | { readonly step: 'uncordon'; readonly ref: number };

export interface TimedIntent {
  /** Time since the previous step. */
  readonly gapMs: number;
  readonly intent: Intent;
}

export interface OperationsOptions extends WorkloadOptions {
  /** Most steps (default 8); dropped intents make some sequences shorter. */
  readonly maxOperations?: number;
  /** Operations happen within [0, horizonMs] (default 60 s). */
  readonly horizonMs?: number;
  readonly namespace?: string;
  /**
   * How much of the cluster the pods' requests may add up to; replica counts are clamped to
   * it. "fit": FIT_FRACTION of it, room for surges and fragmentation; "tight": all of it, so
   * pods fill their nodes and fragmentation or a surge leaves some Pending; "overcommit": no
   * limit (pods then stay Pending, which is legal). Default: the sequence decides, each a
   * third of the time.
   */
  readonly capacity?: Capacity;
}

/** Share of the cluster's cpu, memory and pod slots a fitting sequence asks for at most (room for surges and fragmentation). */
export const FIT_FRACTION = 0.6;

export type Capacity = 'fit' | 'tight' | 'overcommit';

/** The share of the cluster a sequence of this capacity may ask for. */
export function budgetShare(capacity: Capacity): number {
  return capacity === 'fit' ? FIT_FRACTION : capacity === 'tight' ? 1 : Infinity;
}

// ---- intents ----

function gapArbitrary(): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1_000, max: 10_000 }) },
    { weight: 2, arbitrary: fc.integer({ min: 10_000, max: 45_000 }) },
    // Bursts: operations that overlap in flight.
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 500 }) },
    // Issued together, as `kubectl apply -f dir/` sends several manifests: their pods reach
    // the scheduler at the same moment.
    { weight: 1, arbitrary: fc.constant(0) },
  );
}

function objectDraftArbitrary(options: OperationsOptions): fc.Arbitrary<ObjectDraft> {
  return fc.oneof(
    { weight: 5, arbitrary: deploymentDraftArbitrary(options).map((draft): ObjectDraft => ({ kind: 'Deployment', draft })) },
    { weight: 2, arbitrary: podDraftArbitrary(options).map((draft): ObjectDraft => ({ kind: 'Pod', draft })) },
    { weight: 1, arbitrary: workloadDraftArbitrary(options).map((draft): ObjectDraft => ({ kind: 'ReplicaSet', draft })) },
  );
}

function createIntentArbitrary(options: OperationsOptions): fc.Arbitrary<Intent> {
  return fc.record({
    step: fc.constant('create' as const),
    object: objectDraftArbitrary(options),
    name: objectNameArbitrary({ maxLength: 40 }),
    via: fc.oneof(
      { weight: 5, arbitrary: fc.constant<CreateVia>('create') },
      { weight: 2, arbitrary: fc.constant<CreateVia>('apply') },
      { weight: 1, arbitrary: fc.constant<CreateVia>('duplicate-create') },
      { weight: 1, arbitrary: fc.constant<CreateVia>('generate-name') },
    ),
    copies: fc.integer({ min: 2, max: 4 }),
  });
}

export function intentArbitrary(options: OperationsOptions = {}): fc.Arbitrary<Intent> {
  const maxReplicas = options.maxReplicas ?? 5;
  const ref = fc.nat({ max: 7 });
  const replicas = replicasArbitrary(maxReplicas);
  // Creates weigh most: a reference with nothing created before it is dropped.
  return fc.oneof(
    { weight: 10, arbitrary: createIntentArbitrary(options) },
    { weight: 3, arbitrary: fc.record({ step: fc.constant('scale' as const), ref, replicas: fc.integer({ min: 0, max: maxReplicas }) }) },
    { weight: 5, arbitrary: fc.record({ step: fc.constant('set-image' as const), ref, image: imageArbitrary() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        step: fc.constant('apply-update' as const),
        ref,
        change: fc.record({ replicas, image: imageArbitrary(), rollout: fc.integer({ min: 1, max: 9 }) }, { requiredKeys: [] }),
      }),
    },
    {
      weight: 4,
      // The server's default (Background) now and then; Foreground and Orphan, whose
      // promises only the garbage collector keeps, most often.
      arbitrary: fc
        .record({
          step: fc.constant('delete' as const),
          ref,
          propagation: fc.oneof(
            { weight: 1, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.constant<Propagation>('Background') },
            { weight: 3, arbitrary: fc.constant<Propagation>('Foreground') },
            { weight: 3, arbitrary: fc.constant<Propagation>('Orphan') },
          ),
        })
        .map(({ propagation, ...rest }): Intent => (propagation ? { ...rest, propagation } : rest)),
    },
    { weight: 1, arbitrary: fc.record({ step: fc.constant('stale-update' as const), ref, replicas }) },
    { weight: 1, arbitrary: fc.record({ step: fc.constant('recreate' as const), ref }) },
    { weight: 1, arbitrary: fc.record({ step: fc.constant('cordon' as const), ref }) },
    { weight: 1, arbitrary: fc.record({ step: fc.constant('uncordon' as const), ref }) },
  );
}

/**
 * A sequence opens with a create (a sequence that creates nothing exercises nothing), then
 * up to maxOperations − 1 further intents; shrinking shortens the tail and simplifies the head.
 */
export function timedIntentsArbitrary(options: OperationsOptions = {}): fc.Arbitrary<readonly TimedIntent[]> {
  const max = options.maxOperations ?? 8;
  if (max <= 0) return fc.constant([]);
  const timed = (intent: fc.Arbitrary<Intent>) => fc.record({ gapMs: gapArbitrary(), intent });
  return fc
    .tuple(timed(createIntentArbitrary(options)), fc.array(timed(intentArbitrary(options)), { maxLength: max - 1 }))
    .map(([first, rest]) => [first, ...rest]);
}

// ---- the model ----

interface Demand {
  readonly cpuMilli: number;
  readonly memoryBytes: number;
  readonly pods: number;
}

const NO_DEMAND: Demand = { cpuMilli: 0, memoryBytes: 0, pods: 0 };

function add(a: Demand, b: Demand, times = 1): Demand {
  return { cpuMilli: a.cpuMilli + b.cpuMilli * times, memoryBytes: a.memoryBytes + b.memoryBytes * times, pods: a.pods + b.pods * times };
}

/** An object the sequence created, as the model tracks it. */
interface Tracked {
  readonly kind: WorkloadKind;
  readonly identity: ObjectIdentity;
  object: ObjectDraft;
  alive: boolean;
  /** Its pods still count after an Orphan delete (they keep running). */
  orphaned: boolean;
  /** How many pods it wants now (1 for a Pod). */
  replicas: number;
  readonly perPod: Demand;
}

function perPodDemand(o: ObjectDraft): Demand {
  const r = podRequests(o.kind === 'Pod' ? o.draft.spec : o.draft.pod);
  return { ...r, pods: 1 };
}

function replicasOf(o: ObjectDraft): number {
  return o.kind === 'Pod' ? 1 : (o.draft.replicas ?? 1);
}

function withReplicas(o: ObjectDraft, replicas: number): ObjectDraft {
  if (o.kind === 'Pod') return o;
  return o.kind === 'Deployment' ? { kind: 'Deployment', draft: { ...o.draft, replicas } } : { kind: 'ReplicaSet', draft: { ...o.draft, replicas } };
}

function changed<D extends WorkloadDraft>(d: D, change: WorkloadChange): D {
  const [first, ...rest] = d.pod.containers;
  if (!first) return d;
  const env = change.rollout !== undefined ? [...first.env.filter((e) => e.name !== 'ROLLOUT'), { name: 'ROLLOUT', value: String(change.rollout) }] : first.env;
  const container = { ...first, env, ...(change.image !== undefined ? { image: change.image } : {}) };
  return { ...d, pod: { ...d.pod, containers: [container, ...rest] }, ...(change.replicas !== undefined ? { replicas: change.replicas } : {}) };
}

function withChange(o: ObjectDraft, change: WorkloadChange): ObjectDraft {
  switch (o.kind) {
    case 'Pod':
      return o;
    case 'Deployment':
      return { kind: 'Deployment', draft: changed(o.draft, change) };
    case 'ReplicaSet':
      return { kind: 'ReplicaSet', draft: changed(o.draft, change) };
  }
}

/** Manifests carry kubernetes-types objects; the scenario stores them as plain JSON records. */
export function toManifest(o: object): Manifest {
  return o as Manifest;
}

function build(o: ObjectDraft, identity: ObjectIdentity, ctx: BuildContext): Manifest {
  switch (o.kind) {
    case 'Deployment':
      return toManifest(buildDeployment(o.draft, identity, ctx));
    case 'ReplicaSet':
      return toManifest(buildReplicaSet(o.draft, identity, ctx));
    case 'Pod':
      return toManifest(buildPod(o.draft, identity, ctx));
  }
}

class SequenceModel {
  readonly objects: Tracked[] = [];
  private readonly names = new Set<string>();
  private readonly cordoned = new Set<string>();
  private readonly budget: Demand;

  constructor(
    private readonly cluster: ClusterShape,
    private readonly ctx: BuildContext,
    share: number,
  ) {
    // Spare nodes may never boot: only the nodes the cluster starts with count.
    const total = cluster.nodes.filter((n) => !n.spare).reduce((d, n) => add(d, { cpuMilli: n.cpuMilli, memoryBytes: n.memoryMi * MI, pods: n.pods }), NO_DEMAND);
    this.budget = { cpuMilli: total.cpuMilli * share, memoryBytes: total.memoryBytes * share, pods: Math.floor(total.pods * share) };
  }

  private target(t: Tracked): string {
    return `${this.ctx.namespace}/${t.identity.name ?? ''}`;
  }

  private demandExcept(skip: Tracked | undefined): Demand {
    let d = NO_DEMAND;
    for (const t of this.objects) if (t !== skip && (t.alive || t.orphaned)) d = add(d, t.perPod, t.replicas);
    return d;
  }

  /** The most of `want` replicas that keep the sequence within its budget. */
  private fit(want: number, t: { perPod: Demand }, skip?: Tracked): number {
    const other = this.demandExcept(skip);
    let n = want;
    for (const k of ['cpuMilli', 'memoryBytes', 'pods'] as const) {
      if (t.perPod[k] > 0) n = Math.min(n, Math.floor((this.budget[k] - other[k]) / t.perPod[k]));
    }
    return Math.max(0, n);
  }

  private uniqueName(candidate: string): string {
    let name = candidate;
    for (let k = 2; this.names.has(name); k++) name = withSuffix(candidate, k, 40);
    this.names.add(name);
    return name;
  }

  private pick(ref: number, ok: (t: Tracked) => boolean): Tracked | undefined {
    const candidates = this.objects.filter(ok);
    return candidates.length === 0 ? undefined : candidates[ref % candidates.length];
  }

  private referable(kind?: WorkloadKind): (t: Tracked) => boolean {
    return (t) => t.alive && t.identity.name !== undefined && (kind === undefined || t.kind === kind);
  }

  /** The operation an intent becomes, or undefined when it has nothing to act on. */
  step(intent: Intent): Operation | undefined {
    switch (intent.step) {
      case 'create': {
        const perPod = perPodDemand(intent.object);
        const replicas = this.fit(replicasOf(intent.object), { perPod });
        // A bare Pod cannot be scaled down to fit: it is left out.
        if (intent.object.kind === 'Pod' && replicas === 0) return undefined;
        const object = replicas === replicasOf(intent.object) ? intent.object : withReplicas(intent.object, replicas);
        const name = this.uniqueName(intent.name);
        const identity: ObjectIdentity = intent.via === 'generate-name' ? { generateName: generateNameFor(name) } : { name };
        this.objects.push({ kind: object.kind, identity, object, alive: true, orphaned: false, replicas: replicasOf(object), perPod });
        const manifest = build(object, identity, this.ctx);
        if (intent.via === 'apply') return { op: 'apply', manifest };
        if (intent.via === 'duplicate-create') return { op: 'duplicate-create', manifest, copies: intent.copies };
        return { op: 'create', manifest };
      }
      case 'recreate': {
        const t = this.pick(intent.ref, (o) => !o.alive && o.identity.name !== undefined);
        if (!t) return undefined;
        const replicas = this.fit(replicasOf(t.object), t, t);
        if (t.kind === 'Pod' && replicas === 0) return undefined;
        t.object = withReplicas(t.object, replicas);
        t.replicas = replicasOf(t.object);
        t.alive = true;
        t.orphaned = false;
        return { op: 'create', manifest: build(t.object, t.identity, this.ctx) };
      }
      case 'scale': {
        const t = this.pick(intent.ref, this.referable('Deployment'));
        if (!t) return undefined;
        const replicas = this.fit(intent.replicas, t, t);
        t.object = withReplicas(t.object, replicas);
        t.replicas = replicas;
        return { op: 'scale', target: this.target(t), replicas };
      }
      case 'set-image': {
        const t = this.pick(intent.ref, this.referable('Deployment'));
        if (!t) return undefined;
        t.object = withChange(t.object, { image: intent.image });
        return { op: 'set-image', target: this.target(t), image: intent.image };
      }
      case 'apply-update': {
        const t = this.pick(intent.ref, (o) => this.referable()(o) && o.kind !== 'Pod');
        if (!t) return undefined;
        const change = intent.change.replicas !== undefined ? { ...intent.change, replicas: this.fit(intent.change.replicas, t, t) } : intent.change;
        t.object = withChange(t.object, change);
        t.replicas = replicasOf(t.object);
        return { op: 'apply', manifest: build(t.object, t.identity, this.ctx) };
      }
      case 'delete': {
        // Foreground and Orphan are what one asks of an owner: they go to a Deployment or a
        // ReplicaSet when there is one, a bare Pod having no dependents to wait for or orphan.
        const owners = intent.propagation === 'Foreground' || intent.propagation === 'Orphan' ? this.pick(intent.ref, (o) => this.referable()(o) && o.kind !== 'Pod') : undefined;
        const t = owners ?? this.pick(intent.ref, this.referable());
        if (!t) return undefined;
        t.alive = false;
        // Orphaned ReplicaSets and pods keep running; a Pod has no dependents to orphan.
        t.orphaned = intent.propagation === 'Orphan' && t.kind !== 'Pod';
        const propagation = t.kind === 'Pod' && intent.propagation !== 'Background' ? undefined : intent.propagation;
        return { op: 'delete', kind: t.kind, target: this.target(t), ...(propagation ? { propagation } : {}) };
      }
      case 'stale-update': {
        // Refused with 409 by a correct API server: the model's state does not change.
        const t = this.pick(intent.ref, this.referable('Deployment'));
        if (!t) return undefined;
        return { op: 'stale-update', target: this.target(t), replicas: intent.replicas };
      }
      case 'cordon':
      case 'uncordon': {
        const cordon = intent.step === 'cordon';
        // Only Nodes that exist can be cordoned: a spare one may not have registered yet.
        const nodes = this.cluster.nodes.filter((n) => !n.spare).map((n) => n.name).filter((n) => this.cordoned.has(n) !== cordon);
        const node = nodes[intent.ref % Math.max(1, nodes.length)];
        if (node === undefined) return undefined;
        if (cordon) this.cordoned.add(node);
        else this.cordoned.delete(node);
        return { op: intent.step, node };
      }
    }
  }
}

/**
 * The operations a list of intents stands for on `cluster`: resolved against the model,
 * timed by their gaps, and squeezed into [0, horizonMs] when the gaps add up to more.
 */
export function resolveIntents(intents: readonly TimedIntent[], cluster: ClusterShape, options: { horizonMs: number; namespace?: string; capacity: Capacity }): TimedOperation[] {
  const ctx: BuildContext = { namespace: options.namespace ?? 'default', nodeNames: cluster.nodes.map((n) => n.name) };
  const model = new SequenceModel(cluster, ctx, budgetShare(options.capacity));
  const out: { at: number; operation: Operation }[] = [];
  let at = 0;
  for (const { gapMs, intent } of intents) {
    const operation = model.step(intent);
    if (!operation) continue;
    // The first operation comes at once: the cluster has already booted.
    at = out.length === 0 ? 0 : at + gapMs;
    out.push({ at, operation });
  }
  const last = out[out.length - 1]?.at ?? 0;
  if (last <= options.horizonMs || last === 0) return out;
  const scale = options.horizonMs / last;
  return out.map((o) => ({ at: Math.floor(o.at * scale), operation: o.operation }));
}

/** Operation sequences on `cluster`, referring only to objects they created and nodes it has. */
export function operationsArbitrary(cluster: ClusterShape, options: OperationsOptions = {}): fc.Arbitrary<readonly TimedOperation[]> {
  const largest = cluster.nodes.filter((n) => !n.spare).reduce((m, n) => ({ cpuMilli: Math.max(m.cpuMilli, n.cpuMilli), memoryBytes: Math.max(m.memoryBytes, n.memoryMi * MI) }), { cpuMilli: 0, memoryBytes: 0 });
  // One container asks for at most a quarter of the largest node, so a pod fits on it.
  // A pod sized to its nodes (pods.ts) asks for a share of one of them, so pods fill nodes.
  const nodes = cluster.nodes.filter((n) => !n.spare).map((n) => ({ cpuMilli: n.cpuMilli, memoryBytes: n.memoryMi * MI }));
  const bounds = { maxCpuMilli: Math.max(10, largest.cpuMilli / 4), maxMemoryBytes: Math.max(16 * MI, largest.memoryBytes / 4), nodes, ...options };
  const capacity = options.capacity
    ? fc.constant(options.capacity)
    : fc.oneof({ weight: 1, arbitrary: fc.constant<Capacity>('fit') }, { weight: 1, arbitrary: fc.constant<Capacity>('tight') }, { weight: 1, arbitrary: fc.constant<Capacity>('overcommit') });
  return fc
    .tuple(timedIntentsArbitrary(bounds), capacity)
    .map(([intents, capacity]) => resolveIntents(intents, cluster, { horizonMs: options.horizonMs ?? 60_000, capacity, ...(options.namespace ? { namespace: options.namespace } : {}) }));
}
