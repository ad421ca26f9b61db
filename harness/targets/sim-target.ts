// The sim target: the whole reference control plane in one sim kernel, driven by a
// scenario's operations and faults on virtual time, recording a complete history (store
// revisions, audit log, watch events, runtime events, operations, faults, final state).
// A run is a pure function of the scenario: the same scenario gives the same trace hash.

import { auditEntry } from '../history/audit-entry.js';
import { ADMIN_USER, SimCluster, type SimClusterOptions } from '../../impl/cluster/sim/sim-cluster.js';
import { SimKernel } from '../../impl/sim/kernel.js';
import { mutantSwitches } from '../../impl/mutants.js';
import type { AuditEntry, FaultRecord, FinalContainer, FinalState, History, ObjectSummary, OperationRecord, RuntimeRecord, StoreWrite, WatchObservation } from '../history/history.js';
import { summarize } from '../history/summarize.js';
import { healedAt, type Scenario } from '../campaign/scenario.js';
import { FAULT_KINDS } from '../../chaos/index.js';
import type { FaultKind } from '../../chaos/fault-kind.js';
import { OperationExecutor } from './operation-executor.js';
import { OBSERVED, observe } from './history-recorder.js';
import type { RunOptions, RunOutcome, Target } from './target.js';
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, CONTAINER_HASH_LABEL, CONTAINER_NAME_LABEL, type RuntimeEvent } from '../../impl/runtime/runtime.js';
import type { RuntimeObservation } from '../../impl/runtime/sim/index.js';

/** Time the cluster gets to boot (nodes register, leases start) before operations begin. */
export const BOOT_MS = 10_000;

export interface SimTargetOptions {
  readonly faultKinds?: readonly FaultKind[];
  /** Simulated network delay bounds, and the further lag of watch events (default SIM_NETWORK). */
  readonly network?: { readonly minDelayMs: number; readonly maxDelayMs: number; readonly streamLag?: { readonly minMs: number; readonly maxMs: number } };
}

/** A history record of what node `node`'s runtime did (an event, a signal, a death with the machine). */
function runtimeRecord(node: string, e: RuntimeEvent | RuntimeObservation): RuntimeRecord {
  const l = e.labels ?? {};
  return {
    time: e.at,
    node,
    containerId: e.id,
    type: e.type,
    ...(l[POD_UID_LABEL] ? { pod: { namespace: l[POD_NAMESPACE_LABEL] ?? '', name: l[POD_NAME_LABEL] ?? '', uid: l[POD_UID_LABEL] } } : {}),
    ...(l[CONTAINER_NAME_LABEL] ? { container: l[CONTAINER_NAME_LABEL] } : {}),
    ...('exitCode' in e && e.exitCode !== undefined ? { exitCode: e.exitCode } : {}),
    ...('signal' in e ? { signal: e.signal, request: e.request } : {}),
    ...('powerOff' in e ? { powerOff: true } : {}),
    ...(l[CONTAINER_HASH_LABEL] ? { specHash: l[CONTAINER_HASH_LABEL] } : {}),
  };
}

/**
 * The simulated network: 1–20 ms a message, and watch events a further 5–50 ms behind (an
 * API server's watch cache and an informer's queue), so caches trail the answers to requests
 * as they do in a real cluster, and a controller acting again before its cache shows its own
 * writes is caught acting on stale state.
 */
export const SIM_NETWORK = { minDelayMs: 1, maxDelayMs: 20, streamLag: { minMs: 5, maxMs: 50 } } as const;

/** Component periods shortened for simulation; semantics as upstream. */
function clusterTuning(): Pick<SimClusterOptions, 'defaultTolerationSeconds' | 'controllerManager' | 'kubelet'> {
  return {
    defaultTolerationSeconds: 30,
    controllerManager: { nodeMonitorGracePeriodMs: 20_000 },
    kubelet: { nodeLeaseRenewIntervalMs: 5_000, nodeStatusUpdateFrequencyMs: 5_000 },
  };
}

export function createSimTarget(options: SimTargetOptions = {}): Target {
  const kinds = options.faultKinds ?? FAULT_KINDS;
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  return {
    name: 'sim',
    faultKinds: kinds.filter((k) => k.injectSim).map((k) => k.kind),
    deterministic: true,
    async close() {},
    async run(scenario: Scenario, runOptions: RunOptions = {}): Promise<RunOutcome> {
      const wallStart = performance.now();
      const kernel = new SimKernel({ seed: scenario.seed, network: options.network ?? SIM_NETWORK });
      const storeWrites: StoreWrite[] = [];
      const audit: AuditEntry[] = [];
      const watches: WatchObservation[] = [];
      const runtime: RuntimeRecord[] = [];
      /** Off once the final state is taken: the teardown that follows (every machine powered off) is no part of the run. */
      let recordingRuntime = true;
      const operations: OperationRecord[] = [];
      const faults: FaultRecord[] = [];
      const switches = mutantSwitches(runOptions.mutant);
      const tuning = clusterTuning();
      const cluster = new SimCluster(kernel, {
        nodes: scenario.cluster.nodes.map((n) => ({
          name: n.name,
          cpu: `${n.cpuMilli}m`,
          memory: `${n.memoryMi}Mi`,
          pods: n.pods,
          ...(n.labels ? { labels: n.labels } : {}),
          ...(n.taints ? { taints: n.taints.map((t) => ({ key: t.key, effect: t.effect, ...(t.value !== undefined ? { value: t.value } : {}) })) } : {}),
          ...(n.spare ? { spare: true } : {}),
        })),
        ...tuning,
        controllerManager: { ...tuning.controllerManager, ...(switches.controllers ? { mutants: switches.controllers } : {}) },
        ...(switches.scheduler ? { scheduler: { mutants: switches.scheduler } } : {}),
        kubelet: { ...tuning.kubelet, ...(switches.kubelet ? { mutants: switches.kubelet } : {}) },
        ...(switches.apiserver ? { apiserverMutants: switches.apiserver } : {}),
        onAudit: (r) => audit.push(auditEntry(r)),
        onStoreWrite: (revision, changes) => storeWrites.push({ revision, time: kernel.now(), changes }),
        // Runtime events of every node's machine, as they happen: subscribed as each machine
        // boots (and boots again after a loss or reboot), so not even its first event is missed.
        // Signals and deaths with the machine come from the runtime's onlooker hook.
        onMachine: (node, pending) =>
          void pending.then((r) => {
            r.subscribe((e) => runtime.push(runtimeRecord(node, e)));
            r.observe((o) => {
              if (recordingRuntime) runtime.push(runtimeRecord(node, o));
            });
          }),
      });
      cluster.start();
      const t0 = kernel.now() + BOOT_MS;
      const heal = t0 + healedAt(scenario);
      const end = heal + scenario.convergenceBoundMs;

      kernel.spawn('harness/observer', async (env) => {
        const client = cluster.client(env, ADMIN_USER, 'kubeprop-observer');
        await env.timers.sleep(BOOT_MS / 2);
        // From the store's first revision: every object's whole life is in the history,
        // including Nodes registered (with their taints) while the cluster booted.
        await Promise.all(OBSERVED.map((r) => observe(env, client, r, 'observer', watches, { fromResourceVersion: '1' })));
      });
      kernel.spawn('harness/user', async (env) => {
        const executor = new OperationExecutor(cluster.client(env, ADMIN_USER, 'kubeprop-user'), () => env.clock.now(), (r) => operations.push(r));
        const pending: Promise<void>[] = [];
        const ordered = [...scenario.operations].map((o, i) => ({ ...o, i })).sort((a, b) => a.at - b.at || a.i - b.i);
        for (const o of ordered) {
          const wait = t0 + o.at - env.clock.now();
          if (wait > 0) await env.timers.sleep(wait);
          pending.push(executor.execute(o.i, o.operation));
        }
        await Promise.all(pending);
        await env.timers.sleep(Infinity);
      });
      // Operations that faults perform (duplicate-create, stale-update) go through one more
      // executor, in its own process; they are numbered after the scenario's operations.
      const faultExecutor = new Promise<OperationExecutor>((resolve) =>
        kernel.spawn('harness/fault-operations', async (env) => {
          resolve(new OperationExecutor(cluster.client(env, ADMIN_USER, 'kubeprop-fault'), () => env.clock.now(), (r) => operations.push(r)));
          await env.timers.sleep(Infinity);
        }),
      );
      scenario.faults.forEach((f, i) => {
        const kind = byKind.get(f.kind);
        if (!kind?.injectSim) throw new Error(`the sim target cannot inject fault kind ${f.kind}`);
        kind.injectSim(
          {
            cluster,
            after: (ms, fn) => void kernel.at(t0 + ms, () => void fn()),
            record: (phase, detail) => faults.push({ time: kernel.now(), kind: f.kind, target: f.target, phase, ...(detail ? { detail } : {}) }),
            operation: async (op) => (await faultExecutor).execute(scenario.operations.length + i, op),
          },
          f,
        );
      });
      let final: FinalState | undefined;
      kernel.spawn('harness/final', async (env) => {
        await env.timers.sleep(end - env.clock.now());
        const at = env.clock.now();
        const client = cluster.client(env, ADMIN_USER, 'kubeprop-final');
        const objects: ObjectSummary[] = [];
        for (const r of OBSERVED) {
          const list = await client.list(r);
          for (const o of list.items) objects.push(summarize(r.kind, o as unknown as Record<string, unknown>));
        }
        const containers: FinalContainer[] = [];
        const liveNodes: string[] = [];
        for (const node of cluster.nodeNames()) {
          const rt = cluster.runtimeOf(node);
          if (!rt) continue;
          liveNodes.push(node);
          for (const c of (await rt).listContainers()) {
            const l = c.labels;
            containers.push({
              node,
              containerId: c.id,
              running: c.state === 'running',
              ...(l[CONTAINER_NAME_LABEL] ? { container: l[CONTAINER_NAME_LABEL] } : {}),
              ...(l[POD_UID_LABEL] ? { pod: { namespace: l[POD_NAMESPACE_LABEL] ?? '', name: l[POD_NAME_LABEL] ?? '', uid: l[POD_UID_LABEL] } } : {}),
            });
          }
        }
        final = { time: at, objects, containers, liveNodes };
        recordingRuntime = false;
        for (const name of kernel.processes()) if (name !== 'harness/final') kernel.process(name)?.kill();
      });
      const summary = await kernel.run({ until: end + 60_000 });
      const history: History = {
        target: 'sim',
        seed: scenario.seed,
        healedAt: heal,
        convergenceBoundMs: scenario.convergenceBoundMs,
        ...(tuning.controllerManager?.nodeMonitorGracePeriodMs !== undefined ? { nodeMonitorGracePeriodMs: tuning.controllerManager.nodeMonitorGracePeriodMs } : {}),
        storeWrites,
        audit,
        watches,
        runtime,
        operations,
        faults,
        ...(final ? { final, convergedAt: final.time } : {}),
      };
      return { history, traceHash: kernel.trace.hash(), wallMs: performance.now() - wallStart, targetMs: summary.time - (t0 - BOOT_MS) };
    },
  };
}
