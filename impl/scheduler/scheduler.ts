// The scheduler: takes pending pods from the scheduling queue one at a time, decides their
// node against a snapshot of the informer caches (schedule-pod.ts), assumes the pod onto it
// at once, and binds it through POST pods/{name}/binding in the background while the next
// pod is decided. When nothing fits, the pod gets PodScheduled=False/Unschedulable and a
// FailedScheduling event with upstream's message, and waits in the queue for a cluster
// event. It talks to the API server only through its client and reads time, timers and
// randomness only from its Env, so it runs alike in sim and live.

import type { Namespace, Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { metaTime } from '../api/meta-time.js';
import { ApiStatusError, type ApiClient } from '../client/api-client.js';
import { ApiEventRecorder, type EventRecorder } from '../client/event-recorder.js';
import { Informer, objectKey } from '../client/informer.js';
import { NAMESPACES, NODES, PODS } from '../client/resources.js';
import type { Env } from '../env/env.js';
import { AssumeCache } from './assume-cache.js';
import { truncateMessage } from './fit-error.js';
import type { Profile } from './framework.js';
import type { SchedulerMutants } from './mutants.js';
import { defaultProfile } from './plugins/index.js';
import { schedulePod } from './schedule-pod.js';
import { SchedulingQueue } from './scheduling-queue.js';
import type { PodRequestOptions } from './resources.js';
import { buildSnapshot, podInfoOf, type Snapshot } from './snapshot.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerOptions {
  /** Pods whose spec.schedulerName is this are ours (default "default-scheduler"). */
  readonly schedulerName?: string;
  /** Back-off of a pod after a failed attempt: initial, doubling per attempt up to max. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** A pod parked as unschedulable is retried after this long without any event (default 5 min). */
  readonly maxUnschedulableMs?: number;
  /** An assumed pod whose binding finished but that was never seen bound stops counting after this (default 30 s). */
  readonly assumeTtlMs?: number;
  /** Bug switches for mutation testing; all off by default. */
  readonly mutants?: SchedulerMutants;
  /** Where the scheduler reports what it does (binding failures, expired assumptions). */
  readonly log?: (line: string) => void;
}

/** What the scheduler decided about a pod, for observers (tests, traces). */
export type SchedulingOutcome =
  | { readonly kind: 'scheduled'; readonly pod: string; readonly node: string }
  | { readonly kind: 'unschedulable'; readonly pod: string; readonly message: string }
  | { readonly kind: 'bind-failed'; readonly pod: string; readonly node: string; readonly error: string };

const POD_SCHEDULED = 'PodScheduled';

export class Scheduler {
  readonly schedulerName: string;
  /** Unscheduled pods of this scheduler that are not finished: the ones to place. */
  private readonly pending: Informer<Pod>;
  /** Pods bound to a node and not finished: they hold resources on their nodes. */
  private readonly bound: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  /** Namespace labels, for affinity terms with a namespaceSelector. */
  private readonly namespaces: Informer<Namespace>;
  private readonly queue: SchedulingQueue;
  private readonly assumed: AssumeCache;
  private readonly recorder: EventRecorder;
  private readonly profile: Profile;
  /** How pod requests are counted (the reference counts init containers; a mutant may not). */
  private readonly requestOptions: PodRequestOptions;
  /**
   * The PodScheduled=False patch in flight for a pod. A later binding of that pod waits for
   * it, so the stale "Unschedulable" can never land after the binding's PodScheduled=True
   * (upstream gets the same order by patching before the loop moves on).
   */
  private readonly statusPatches = new Map<string, Promise<void>>();
  private readonly observers: ((o: SchedulingOutcome) => void)[] = [];
  private stopped = false;

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    private readonly options: SchedulerOptions = {},
  ) {
    this.schedulerName = options.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    const live = 'status.phase!=Succeeded,status.phase!=Failed';
    this.pending = new Informer<Pod>(env, client, PODS, { fieldSelector: `spec.nodeName=,spec.schedulerName=${this.schedulerName},${live}` });
    this.bound = new Informer<Pod>(env, client, PODS, { fieldSelector: `spec.nodeName!=,${live}` });
    this.nodes = new Informer<Node>(env, client, NODES);
    this.namespaces = new Informer<Namespace>(env, client, NAMESPACES);
    this.queue = new SchedulingQueue(env.clock, env.timers, {
      initialBackoffMs: options.backoff?.initialMs ?? 1000,
      maxBackoffMs: options.backoff?.maxMs ?? 10_000,
      maxUnschedulableMs: options.maxUnschedulableMs ?? 5 * 60_000,
    });
    this.assumed = new AssumeCache(env.timers, options.assumeTtlMs ?? 30_000, (key) => {
      this.log(`assumed pod ${key} expired: its binding was never observed`);
      this.enqueue(this.pending.get(key));
    });
    this.recorder = new ApiEventRecorder(client, env.clock, { component: this.schedulerName });
    this.profile = defaultProfile({ ignoreTaints: options.mutants?.['ignore-taints'] ?? false });
    this.requestOptions = { ignoreInitContainers: options.mutants?.['ignore-init-containers'] ?? false };
    this.wireInformers();
  }

  /** Starts the informers and the scheduling loop. */
  start(): void {
    for (const i of this.informers()) i.start();
    void this.loop();
  }

  /** Resolves once every informer has listed. */
  async waitForSync(): Promise<void> {
    await Promise.all(this.informers().map((i) => i.waitForSync()));
  }

  stop(): void {
    this.stopped = true;
    this.queue.close();
    for (const i of this.informers()) i.stop();
  }

  /** Tells `fn` of every decision (tests and traces; the API shows the same through events). */
  onOutcome(fn: (o: SchedulingOutcome) => void): void {
    this.observers.push(fn);
  }

  private informers(): Pick<Informer<Pod>, 'start' | 'stop' | 'waitForSync'>[] {
    return [this.pending, this.bound, this.nodes, this.namespaces];
  }

  private wireInformers(): void {
    this.pending.on({
      add: (pod) => this.enqueue(pod),
      // Our own status patches come back as updates; only a change to what the pod asks
      // for (spec, labels) can change where it fits.
      update: (old, pod) => {
        if (podSchedulingPropertiesChanged(old, pod)) this.enqueue(pod);
      },
      // Deleted, or bound (it left the selection): either way nothing is left to do.
      delete: (pod) => this.queue.delete(objectKey(pod)),
    });
    this.bound.on({
      add: (pod) => {
        this.assumed.confirm(objectKey(pod), pod.metadata?.uid);
        this.queue.delete(objectKey(pod));
        if (this.someoneWaitsForPodAffinity()) this.queue.moveAllToActiveOrBackoff();
      },
      update: (old, pod) => {
        this.assumed.confirm(objectKey(pod), pod.metadata?.uid);
        if (!sameJson(old.metadata?.labels, pod.metadata?.labels)) this.queue.moveAllToActiveOrBackoff();
      },
      // Deleted or finished: its resources are free again.
      delete: (pod) => {
        this.assumed.confirm(objectKey(pod), pod.metadata?.uid);
        this.queue.moveAllToActiveOrBackoff();
      },
    });
    this.nodes.on({
      add: () => this.queue.moveAllToActiveOrBackoff(),
      update: (old, node) => {
        if (nodeSchedulingPropertiesChanged(old, node)) this.queue.moveAllToActiveOrBackoff();
      },
    });
  }

  private enqueue(pod: Pod | undefined): void {
    if (!pod || this.stopped) return;
    const key = objectKey(pod);
    if (this.assumed.isAssumed(key)) return;
    this.queue.add(key, pod.spec?.priority ?? 0);
  }

  private async loop(): Promise<void> {
    await this.waitForSync();
    for (;;) {
      const key = await this.queue.pop();
      if (key === undefined || this.stopped) return;
      this.scheduleOne(key);
    }
  }

  /** One scheduling cycle: decide, then assume and bind, or report why not. */
  private scheduleOne(key: string): void {
    const pod = this.pending.get(key);
    // Gone, already bound, being deleted, or placed by us and binding: nothing to decide.
    if (!pod || pod.spec?.nodeName || pod.metadata?.deletionTimestamp || this.assumed.isAssumed(key)) {
      this.queue.delete(key);
      return;
    }
    const result = schedulePod(podInfoOf(pod, this.requestOptions), this.snapshot(), this.profile, this.env.random);
    if (result.kind === 'unschedulable') {
      this.queue.unschedulable(key);
      this.reportUnschedulable(key, pod, result.message);
      return;
    }
    this.assumed.assume(key, pod, result.node);
    // The binding cycle runs beside the next scheduling cycles, as upstream's goroutine does.
    void this.bind(key, pod, result.node);
  }

  private snapshot(): Snapshot {
    const pods = this.bound.list();
    if (!this.options.mutants?.['ignore-assumed-pods']) {
      for (const p of this.assumed.pods()) if (!this.bound.get(objectKey(p))) pods.push(p);
    }
    return buildSnapshot({
      nodes: this.nodes.list(),
      pods,
      namespaceLabels: (ns) => this.namespaces.get(ns)?.metadata?.labels,
      requestOptions: this.requestOptions,
    });
  }

  private async bind(key: string, pod: Pod, node: string): Promise<void> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    await this.statusPatches.get(key);
    try {
      await this.client.bind(namespace, name, node);
    } catch (e) {
      // The server refused: the pod is not on that node. Anything else (a timeout, a broken
      // connection) leaves the outcome unknown, so the pod keeps counting there until the
      // informer shows it bound or the assumption expires: better briefly too full than
      // overcommitted.
      if (e instanceof ApiStatusError) this.assumed.forget(key);
      else this.assumed.finishBinding(key);
      this.queue.error(key);
      const error = e instanceof Error ? e.message : String(e);
      this.log(`binding ${key} to ${node} failed: ${error}`);
      this.recorder.event(pod, 'Warning', 'FailedScheduling', truncateMessage(`running Bind plugin "DefaultBinder": ${error}`));
      this.tell({ kind: 'bind-failed', pod: key, node, error });
      return;
    }
    this.assumed.finishBinding(key);
    this.queue.done(key);
    this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
    this.tell({ kind: 'scheduled', pod: key, node });
  }

  /** PodScheduled=False with the fit error (only when it changed) and a FailedScheduling event. */
  private reportUnschedulable(key: string, pod: Pod, fitError: string): void {
    const message = truncateMessage(fitError);
    this.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    this.tell({ kind: 'unschedulable', pod: key, message });
    const current = (pod.status?.conditions ?? []).find((c) => c.type === POD_SCHEDULED);
    if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message) return;
    const condition: PodCondition = {
      type: POD_SCHEDULED,
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastTransitionTime: current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : metaTime(this.env.clock.now()),
    };
    const previous = this.statusPatches.get(key) ?? Promise.resolve();
    const patch = previous
      .then(() => this.client.patch(PODS, pod.metadata?.namespace, pod.metadata?.name ?? '', 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' }))
      .then(
        () => undefined,
        (e: unknown) => this.log(`updating the PodScheduled condition of ${key} failed: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => {
        if (this.statusPatches.get(key) === patch) this.statusPatches.delete(key);
      });
    this.statusPatches.set(key, patch);
  }

  /** Whether some pending pod needs other pods (required pod affinity): a bound pod may be what it waits for. */
  private someoneWaitsForPodAffinity(): boolean {
    return this.pending.list().some((p) => (p.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0);
  }

  private tell(o: SchedulingOutcome): void {
    for (const fn of this.observers) fn(o);
  }

  private log(line: string): void {
    this.options.log?.(`scheduler: ${line}`);
  }
}

/** Starts a scheduler and serves until the process ends (a component's main). */
export async function runScheduler(env: Env, client: ApiClient, options: SchedulerOptions = {}): Promise<void> {
  new Scheduler(env, client, options).start();
  await env.timers.sleep(Infinity);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** upstream isPodUpdated: anything but status and bookkeeping metadata changed. */
function podSchedulingPropertiesChanged(old: Pod, pod: Pod): boolean {
  const relevant = (p: Pod) => ({ labels: p.metadata?.labels, annotations: p.metadata?.annotations, spec: p.spec });
  return !sameJson(relevant(old), relevant(pod));
}

/** A node change that can make a pod fit: allocatable, labels, taints, cordon, conditions (heartbeats aside). */
function nodeSchedulingPropertiesChanged(old: Node, node: Node): boolean {
  const conditions = (n: Node) => (n.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason }));
  return (
    !sameJson(old.status?.allocatable, node.status?.allocatable) ||
    !sameJson(old.metadata?.labels, node.metadata?.labels) ||
    !sameJson(old.spec?.taints, node.spec?.taints) ||
    (old.spec?.unschedulable ?? false) !== (node.spec?.unschedulable ?? false) ||
    !sameJson(conditions(old), conditions(node))
  );
}
