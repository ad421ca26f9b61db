// Runs a scenario spec on the sim target: the spec's cluster in a fresh sim kernel (seeded by
// the spec), with the periods of `kubeprop up --fast` so one spec's time bounds fit both
// targets, a recorder of everything the invariants read, and the spec runner in a harness
// process. The whole run is virtual time; it ends when the spec's last check is done. A
// mutant (a named bug of the reference) can be switched on to see that a spec catches it.

import { auditEntry } from '../history/audit-entry.js';
import { ADMIN_USER, SimCluster } from '../../impl/cluster/sim/sim-cluster.js';
import { NAMESPACES, NODES } from '../../impl/client/resources.js';
import { isAlreadyExists, type ApiObject } from '../../impl/client/api-client.js';
import { SimKernel } from '../../impl/sim/kernel.js';
import { mutantSwitches } from '../../impl/mutants.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../../impl/runtime/runtime.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { OBSERVED, observe } from '../targets/history-recorder.js';
import { untilNodesReady } from './nodes-ready.js';
import { newRecording } from './recording.js';
import type { ScenarioSpec } from './scenario-spec.js';
import { SimDriver } from './sim-driver.js';
import { runSpec, type RunSpecOptions, type SpecOutcome } from './spec-runner.js';

/** The periods `kubeprop up --fast` gives the live components (impl/cluster/live/supervisor.ts). */
export const FAST_PERIODS = {
  defaultTolerationSeconds: 10,
  nodeMonitorGracePeriodMs: 8_000,
  heartbeatMs: 2_000,
} as const;

/** How long the nodes get to register and become Ready before the first step. */
const BOOT_TIMEOUT_MS = 60_000;
/** No spec runs longer than this in virtual time (a guard against a runaway run). */
const VIRTUAL_LIMIT_MS = 6 * 3_600_000;

export interface SimSpecOptions extends RunSpecOptions {
  /** A named bug switched on in the reference (impl/mutants.ts): a spec should catch it. */
  readonly mutant?: string;
}

export async function runSpecOnSim(spec: ScenarioSpec, options: SimSpecOptions = {}): Promise<SpecOutcome> {
  const wallStart = performance.now();
  const kernel = new SimKernel({ seed: spec.seed, network: { minDelayMs: 1, maxDelayMs: 20 } });
  const recording = newRecording(spec.seed);
  const switches = mutantSwitches(options.mutant);
  const cluster = new SimCluster(kernel, {
    nodes: spec.nodes.map((n) => ({
      name: n.name,
      cpu: n.capacity.cpu,
      memory: n.capacity.memory,
      pods: n.capacity.pods,
      labels: n.labels,
      taints: n.taints.map((t) => ({ key: t.key, effect: t.effect, ...(t.value !== undefined ? { value: t.value } : {}) })),
    })),
    defaultTolerationSeconds: FAST_PERIODS.defaultTolerationSeconds,
    controllerManager: { nodeMonitorGracePeriodMs: FAST_PERIODS.nodeMonitorGracePeriodMs, ...(switches.controllers ? { mutants: switches.controllers } : {}) },
    kubelet: { nodeLeaseRenewIntervalMs: FAST_PERIODS.heartbeatMs, nodeStatusUpdateFrequencyMs: FAST_PERIODS.heartbeatMs, ...(switches.kubelet ? { mutants: switches.kubelet } : {}) },
    ...(switches.scheduler ? { scheduler: { mutants: switches.scheduler } } : {}),
    ...(switches.apiserver ? { apiserverMutants: switches.apiserver } : {}),
    onAudit: (r) => recording.audit.push(auditEntry(r)),
    onStoreWrite: (revision, changes) => recording.storeWrites.push({ revision, time: kernel.now(), changes }),
  });
  cluster.start();

  // Runtime events of every node's machine (a machine that comes back is a new runtime).
  const subscribed = new Set<unknown>();
  kernel.spawn('harness/runtime-recorder', async (env) => {
    for (;;) {
      for (const node of cluster.nodeNames()) {
        const pending = cluster.runtimeOf(node);
        if (!pending) continue;
        const r = await pending;
        if (subscribed.has(r)) continue;
        subscribed.add(r);
        r.subscribe((e) => {
          const l = e.labels ?? {};
          recording.runtime.push({
            time: e.at,
            node,
            containerId: e.id,
            type: e.type,
            ...(l[POD_UID_LABEL] ? { pod: { namespace: l[POD_NAMESPACE_LABEL] ?? '', name: l[POD_NAME_LABEL] ?? '', uid: l[POD_UID_LABEL] } } : {}),
            ...(l[CONTAINER_NAME_LABEL] ? { container: l[CONTAINER_NAME_LABEL] } : {}),
            ...(e.exitCode !== undefined ? { exitCode: e.exitCode } : {}),
          });
        });
      }
      await env.timers.sleep(1000);
    }
  });
  kernel.spawn('harness/observer', async (env) => {
    const client = cluster.client(env, ADMIN_USER, 'kubeprop-observer');
    await Promise.all(OBSERVED.map((r) => observe(env, client, r, 'observer', recording.watches)));
  });

  let outcome: SpecOutcome | undefined;
  let failure: unknown;
  kernel.spawn('harness/spec', async (env) => {
    const client = cluster.client(env, ADMIN_USER, 'kubectl');
    const driver = new SimDriver(env, cluster, client, spec.namespace, recording);
    try {
      await untilNodesReady(
        { names: spec.nodes.map((n) => n.name) },
        env.clock.now() + BOOT_TIMEOUT_MS,
        async () => (await client.list<ApiObject & Node>(NODES)).items,
        () => env.clock.now(),
        (ms) => env.timers.sleep(ms),
      );
      try {
        await client.create(NAMESPACES, undefined, { metadata: { name: spec.namespace } });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
      outcome = await runSpec(spec, driver, options);
    } catch (e) {
      failure = e;
    } finally {
      driver.finish();
      for (const name of kernel.processes()) if (name !== 'harness/spec') kernel.process(name)?.kill();
    }
  });
  await kernel.run({ until: kernel.now() + VIRTUAL_LIMIT_MS });
  if (!outcome) {
    const why = failure instanceof Error ? failure.message : failure !== undefined ? String(failure) : `the spec did not finish within ${VIRTUAL_LIMIT_MS / 3_600_000} virtual hours`;
    return { name: spec.metadata.name, file: spec.file, target: 'sim', status: 'fail', reasons: [`the sim run broke: ${why}`], stepsRun: 0, invariants: [], targetMs: 0, wallMs: performance.now() - wallStart };
  }
  outcome.wallMs = performance.now() - wallStart;
  return outcome;
}

