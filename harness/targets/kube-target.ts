// The kubeconfig target: runs scenarios against any cluster a kubeconfig reaches, as a user
// would, and records what the API shows. Each run gets a fresh namespace
// (kubeprop-<seed>-<n>) holding the scenario's objects; the scenario's nodes stand for the
// cluster's real ones by index; times are scaled to wall-clock (timeScale). The history has
// watch events (pods, ReplicaSets, Deployments in the namespace; Nodes cluster-wide, with
// their state at the start), operations, fault records and the final objects. Store
// revisions, the audit log and the runtimes' containers are not observable here, so the
// checkers that need them say "not checked". Faults are the API-level kinds (requests any
// user can make); the local target adds process-level ones through `processes`.
//
// The kubeconfig is read by loadKubeconfig (server, CA, bearer token) and spoken to through
// our ApiClient over the HTTPS transport, the same client every component uses: users
// authenticated by client certificates or exec plugins are refused with a clear error.

import { ApiClient, ApiStatusError, isNotFound, type ApiObject } from '../../impl/client/api-client.js';
import { NAMESPACES, NODES, PODS } from '../../impl/client/resources.js';
import { loadKubeconfig, transportFor } from '../../impl/cluster/live/kubeconfig-load.js';
import type { Timers } from '../../impl/env/timers.js';
import type { FaultKind, LiveFaultContext, LiveProcesses } from '../../chaos/fault-kind.js';
import { FAULT_KINDS } from '../../chaos/index.js';
import { healedAt, type Scenario } from '../campaign/scenario.js';
import type { FaultRecord, FinalContainer, FinalState, History, ObjectSummary, OperationRecord, WatchObservation } from '../history/history.js';
import { summarize } from '../history/summarize.js';
import { OBSERVED, ObservedStreams, observe } from './history-recorder.js';
import { nodeMapping, placeOperations, sortNodeNames } from './live-scenario.js';
import { NodeLease } from './node-shape.js';
import { OperationExecutor } from './operation-executor.js';
import type { RunOptions, RunOutcome, Target } from './target.js';

/** What a target that owns its cluster's machines (local) can also see: the runtimes. */
export interface RuntimeView {
  /** Containers of the namespace's pods really present in the nodes' runtimes. */
  containers(namespace: string): Promise<FinalContainer[]>;
  /** Nodes whose machine is up. */
  liveNodes(): string[];
}

export interface KubeTargetOptions {
  readonly kubeconfig: string;
  readonly context?: string;
  /** The name histories carry (default kubeconfig:FILE[#context]). */
  readonly name?: string;
  /** Wall ms per scenario ms (default 0.05: a 10-minute horizon takes 30 s). */
  readonly timeScale?: number;
  /**
   * The scaled convergence bound is at least this long (default 60 s): the cluster's own
   * timers are not scaled (a pod's termination grace period is up to 30 s of real time).
   */
  readonly minConvergenceMs?: number;
  /**
   * The run ends early once nothing in its namespace changed for this long after the last
   * heal, with every watch connected (default 10 s: longer than a component's restart and
   * the kubelet's reaction to it, so a quiet moment is not a pause before more work).
   */
  readonly quietMs?: number;
  /**
   * After an outage heals (a fault with a duration: a restart, a lost node), the run goes on
   * at least this long (default 30 s): components that could not reach the API server retry
   * on back-off timers (the reference's pod workers up to 30 s, upstream's status manager
   * every 10 s), which no event announces.
   */
  readonly outageSettleMs?: number;
  /**
   * Give the real nodes the labels and taints of the scenario nodes they stand for, and
   * cordon the ones the scenario does not name, for the run (default false: someone else's
   * nodes keep their labels and taints; the local target's own cluster says true).
   */
  readonly reshapeNodes?: boolean;
  /** Fault kinds to offer (default all); only those with a live injector this target can run count. */
  readonly faultKinds?: readonly FaultKind[];
  /** The control plane's processes, when the target runs them (local). */
  readonly processes?: LiveProcesses;
  readonly runtime?: RuntimeView;
  /** How long to wait for a run's namespace to go away (default 60 s). */
  readonly namespaceDeleteTimeoutMs?: number;
  /** Where notes about cleanup problems go (default stderr). */
  readonly log?: (line: string) => void;
}

export interface KubeTarget extends Target {
  /** The cluster's nodes when the target connected, in the order scenario nodes map onto them. */
  readonly nodes: readonly string[];
}

/** `kubeconfig:FILE[#context]` → its file and context, or undefined if the spec is not of that form. */
export function parseKubeconfigTarget(spec: string): { kubeconfig: string; context?: string } | undefined {
  if (!spec.startsWith('kubeconfig:')) return undefined;
  const rest = spec.slice('kubeconfig:'.length);
  const hash = rest.indexOf('#');
  const kubeconfig = hash < 0 ? rest : rest.slice(0, hash);
  const context = hash < 0 ? undefined : rest.slice(hash + 1);
  if (!kubeconfig) return undefined;
  return context ? { kubeconfig, context } : { kubeconfig };
}

/** Timers on the wall clock, for the recorder's Env seam. */
function wallTimers(): Timers {
  let next = 0;
  const live = new Map<number, NodeJS.Timeout>();
  return {
    sleep: (ms) => new Promise<void>((resolve) => (Number.isFinite(ms) ? void setTimeout(resolve, ms) : undefined)),
    setTimer(ms, fn) {
      const id = ++next;
      live.set(id, setTimeout(() => (live.delete(id), fn()), ms));
      return { id };
    },
    cancel(h) {
      clearTimeout(live.get(h.id));
      live.delete(h.id);
    },
  };
}

/** How long a snapshot with runtime containers must stay unchanged to count. */
const SETTLE_MS = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Waits for `work`, but no longer than `ms` (without keeping the process alive afterwards). */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Retries a read a few times: right after a heal the API server may still be starting. */
async function retried<T>(what: () => Promise<T>, attempts = 20): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await what();
    } catch (e) {
      if (i >= attempts || (e instanceof ApiStatusError && e.code < 500)) throw e;
      await sleep(500);
    }
  }
}

/** The latest version of the run's objects and the cluster's Nodes, from the watch events so far. */
class LatestState {
  private readonly objects = new Map<string, ObjectSummary>();
  private seen = 0;
  /** When the namespace's objects last changed (run clock). */
  lastChange = 0;

  constructor(private readonly namespace: string) {}

  catchUp(watches: readonly WatchObservation[]): void {
    for (; this.seen < watches.length; this.seen++) {
      const w = watches[this.seen]!;
      const o = w.object;
      if (o.namespace !== undefined && o.namespace !== this.namespace) continue;
      if (o.namespace !== undefined) this.lastChange = Math.max(this.lastChange, w.time);
      if (w.type === 'DELETED') this.objects.delete(o.uid);
      else this.objects.set(o.uid, o);
    }
  }

  /** Whether the cluster has work under way that no event announces yet. */
  pendingWork(): boolean {
    for (const o of this.objects.values()) {
      if (o.namespace !== undefined && o.deleting) return true;
      if (o.kind === 'Node' && o.nodeReady !== 'True') return true;
    }
    return false;
  }
}

export async function createKubeTarget(options: KubeTargetOptions): Promise<KubeTarget> {
  const access = loadKubeconfig(options.kubeconfig, options.context);
  if (access.server.startsWith('https:') && !access.token) {
    throw new Error(
      `${options.kubeconfig}${options.context ? `#${options.context}` : ''}: the user has no bearer token; the kubeconfig target authenticates by token only (client certificates and exec plugins are not supported yet)`,
    );
  }
  const transport = transportFor(access);
  const client = (agent: string) => new ApiClient(transport, agent);
  const admin = client('kubeprop-harness');
  const name = options.name ?? `kubeconfig:${options.kubeconfig}${options.context ? `#${options.context}` : ''}`;
  const scale = options.timeScale ?? 0.05;
  const minConvergenceMs = options.minConvergenceMs ?? 60_000;
  const quietMs = options.quietMs ?? 10_000;
  const outageSettleMs = options.outageSettleMs ?? 30_000;
  const deleteTimeoutMs = options.namespaceDeleteTimeoutMs ?? 60_000;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const kinds = (options.faultKinds ?? FAULT_KINDS).filter((k) => k.injectLive && (k.injectLive.needs === 'api' || options.processes));
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  const nodes = sortNodeNames((await retried(() => admin.list<ApiObject>(NODES))).items.map((n) => n.metadata?.name ?? ''));
  let runs = 0;

  async function createNamespace(seed: number): Promise<string> {
    for (;;) {
      const namespace = `kubeprop-${seed}-${++runs}`;
      try {
        await retried(() => admin.create(NAMESPACES, undefined, { metadata: { name: namespace, labels: { 'kubeprop.dev/run': 'true' } } }));
        return namespace;
      } catch (e) {
        // Left over from an earlier process with the same seed: take the next number.
        if (!(e instanceof ApiStatusError && e.code === 409)) throw e;
      }
    }
  }

  async function deleteNamespace(namespace: string): Promise<void> {
    try {
      await retried(() => admin.delete(NAMESPACES, undefined, namespace));
    } catch (e) {
      if (isNotFound(e)) return;
      log(`kubeprop: could not delete namespace ${namespace}: ${message(e)}`);
      return;
    }
    // The namespace waits for its pods, and a pod for its grace period (up to 30 s of a
    // container ignoring SIGTERM): the run is over, so they go at once.
    try {
      const pods = await admin.list<ApiObject>(PODS, namespace);
      await Promise.all(pods.items.map((p) => admin.delete(PODS, namespace, p.metadata?.name ?? '', { gracePeriodSeconds: 0 }).catch(() => undefined)));
    } catch (e) {
      log(`kubeprop: could not delete the pods of namespace ${namespace}: ${message(e)}`);
    }
    const deadline = performance.now() + deleteTimeoutMs;
    while (performance.now() < deadline) {
      try {
        await admin.get(NAMESPACES, undefined, namespace);
      } catch (e) {
        if (isNotFound(e)) return;
      }
      await sleep(250);
    }
    log(`kubeprop: namespace ${namespace} still exists ${deleteTimeoutMs / 1000}s after its deletion; the next runs go on beside it`);
  }

  async function finalObjects(namespace: string): Promise<ObjectSummary[]> {
    const objects: ObjectSummary[] = [];
    for (const r of OBSERVED) {
      const list = await retried(() => admin.list<ApiObject>(r, r.namespaced ? namespace : undefined));
      for (const o of list.items) objects.push(summarize(r.kind, o as Record<string, unknown>));
    }
    return objects;
  }

  return {
    name,
    nodes,
    faultKinds: kinds.map((k) => k.kind),
    deterministic: false,
    async close() {
      transport.close();
    },
    async run(scenario: Scenario, runOptions: RunOptions = {}): Promise<RunOutcome> {
      if (runOptions.mutant) throw new Error(`mutants are switched on in the sim target only, not in ${name}`);
      for (const f of scenario.faults) if (!byKind.has(f.kind)) throw new Error(`the ${name} target cannot inject fault kind ${f.kind}`);
      const wallStart = performance.now();
      const now = () => performance.now() - wallStart;
      const env = { clock: { now }, timers: wallTimers() };
      const watches: WatchObservation[] = [];
      const operations: OperationRecord[] = [];
      const faults: FaultRecord[] = [];
      const timers: NodeJS.Timeout[] = [];
      const inFlight = new Set<Promise<void>>();
      const track = (p: Promise<void>) => {
        const settled = p.catch((e: unknown) => log(`kubeprop: a harness action failed: ${message(e)}`)).finally(() => inFlight.delete(settled));
        inFlight.add(settled);
      };

      const realNodes = sortNodeNames((await retried(() => admin.list<ApiObject>(NODES))).items.map((n) => n.metadata?.name ?? ''));
      const mapping = nodeMapping(scenario.cluster, realNodes);
      const nodeOf = (n: string) => mapping.get(n) ?? n;
      const namespace = await createNamespace(scenario.seed);
      const streams = new ObservedStreams();
      let lease: NodeLease | undefined;
      let ended = false;
      let outcome: { history: History; targetMs: number } | undefined;
      const observers: Promise<void>[] = [];
      try {
        lease = await NodeLease.take(admin, realNodes, scenario.cluster, mapping, options.reshapeNodes ?? false);
        const observer = client('kubeprop-observer');
        for (const r of OBSERVED) observers.push(observe(env, observer, r, 'observer', watches, { namespace, recordInitial: true, streams }));
        // Every watch is open before the first operation, so no change goes unseen.
        const connectBy = now() + 30_000;
        while (streams.connected < OBSERVED.length) {
          if (now() > connectBy) throw new Error(`the watches of ${name} did not open within 30 s`);
          await sleep(50);
        }

        const t0 = now();
        const wallAt = (scenarioMs: number) => t0 + scenarioMs * scale;
        const after = (ms: number, fn: () => void | Promise<void>) => {
          timers.push(setTimeout(() => track(Promise.resolve().then(fn)), Math.max(0, wallAt(ms) - now())));
        };

        // The user: operations in scenario order, each started at its time, none awaited before the next.
        const user = new OperationExecutor(client('kubeprop-user'), now, (r) => operations.push(r));
        const placed = placeOperations(scenario, namespace, nodeOf);
        const ordered = placed.map((o, i) => ({ ...o, i })).sort((a, b) => a.at - b.at || a.i - b.i);
        track(
          (async () => {
            for (const o of ordered) {
              await sleep(wallAt(o.at) - now());
              if (ended) return;
              track(user.execute(o.i, o.operation));
            }
          })(),
        );

        // Faults: each kind's live injector, on the scaled clock.
        const faultExecutor = new OperationExecutor(client('kubeprop-fault'), now, (r) => operations.push(r));
        scenario.faults.forEach((f, i) => {
          const injector = byKind.get(f.kind)?.injectLive;
          const ctx: LiveFaultContext = {
            after,
            record: (phase, detail) => faults.push({ time: now(), kind: f.kind, target: f.target, phase, ...(detail ? { detail } : {}) }),
            operation: (op) => faultExecutor.execute(scenario.operations.length + i, op),
            namespace,
            node: nodeOf,
            client: admin,
          };
          if (injector?.needs === 'api') injector.inject(ctx, f);
          else if (injector?.needs === 'processes' && options.processes) injector.inject({ ...ctx, processes: options.processes }, f);
        });

        // After the last heal: quiet for quietMs with every watch connected and no work
        // visibly pending, or the bound. Pending work runs on the cluster's own timers, which
        // may be longer than the quiet period: a terminating object waits out its grace
        // period, a NotReady node its eviction or its kubelet's return.
        const heal = wallAt(healedAt(scenario));
        const bound = Math.max(minConvergenceMs, scenario.convergenceBoundMs * scale);
        const deadline = heal + bound;
        const outagesSettled = Math.max(0, ...scenario.faults.filter((f) => f.durationMs > 0).map((f) => wallAt(f.at + f.durationMs) + outageSettleMs));
        await sleep(heal - now());
        const view = new LatestState(namespace);
        while (now() < deadline) {
          view.catchUp(watches);
          const quiet = now() - Math.max(heal, view.lastChange) >= quietMs;
          if (inFlight.size === 0 && streams.connected === OBSERVED.length && quiet && now() >= outagesSettled && !view.pendingWork()) break;
          await sleep(Math.min(250, deadline - now()));
        }

        // The snapshot: objects, and the runtimes' containers when the target sees them. A
        // container may exit between the two reads before its kubelet reports it, so with a
        // runtime the snapshot is taken again until neither the namespace's objects nor the
        // containers changed across SETTLE_MS (a kubelet's reaction time); a disagreement
        // that lasts is the cluster's, not the snapshot's.
        let mark = watches.length;
        let time = now();
        let objects = await finalObjects(namespace);
        let containers = await options.runtime?.containers(namespace);
        while (containers && now() < deadline + SETTLE_MS * 5) {
          await sleep(SETTLE_MS);
          const again = (await options.runtime?.containers(namespace)) ?? [];
          const changed = watches.slice(mark).some((w) => w.object.namespace === namespace);
          if (!changed && JSON.stringify(again) === JSON.stringify(containers)) break;
          mark = watches.length;
          time = now();
          objects = await finalObjects(namespace);
          containers = await options.runtime?.containers(namespace);
        }
        const final: FinalState = {
          time,
          objects,
          ...(containers ? { containers } : {}),
          // Without a view of the machines, a Node object stands for its machine.
          liveNodes: options.runtime?.liveNodes() ?? objects.filter((o) => o.kind === 'Node').map((o) => o.name),
        };
        const history: History = {
          target: name,
          seed: scenario.seed,
          healedAt: heal,
          convergenceBoundMs: bound,
          watches,
          operations,
          faults,
          final,
          // Timers fire a little late: a snapshot taken because the bound ran out stands for
          // the state at the bound, as the sim's does.
          convergedAt: Math.min(time, deadline),
        };
        outcome = { history, targetMs: time };
      } finally {
        ended = true;
        for (const t of timers) clearTimeout(t);
        streams.stop();
        await within(Promise.all([...observers, ...inFlight]), 35_000);
        for (const problem of (await lease?.giveBack()) ?? []) log(`kubeprop: ${problem}`);
        await deleteNamespace(namespace);
      }
      // wallMs includes the cleanup: it is what the run cost.
      if (!outcome) throw new Error('unreachable: a run without an outcome ended without an error');
      return { ...outcome, wallMs: performance.now() - wallStart };
    },
  };
}
