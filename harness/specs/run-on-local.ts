// Runs scenario specs on the local target: the reference as processes (`kubeprop up --fast`,
// with the process or the docker runtime) driven by the real kubectl. One cluster serves every spec whose cluster
// shape it has; each spec lives in its own namespace, which is deleted afterwards, and any
// fault still in force is healed (a lost node comes back) before the next spec starts.

import { isDeepStrictEqual } from 'node:util';
import { nodeNames } from '../../impl/cluster/live/supervisor.js';
import type { LocalRuntimeName } from '../targets/local-runtime.js';
import { LocalCluster } from './local-cluster.js';
import { LocalDriver, LOCAL_FAULTS } from './local-driver.js';
import { newRecording } from './recording.js';
import type { ScenarioSpec } from './scenario-spec.js';
import { DEFAULT_CAPACITY } from './spec-file.js';
import { runSpec, runtimeProblem, type RunSpecOptions, type SpecOutcome } from './spec-runner.js';
import { WatchRecorder } from './watch-recorder.js';

/** How long a spec's namespace (pods included) gets to go away, and nodes to be Ready again. */
const CLEANUP_TIMEOUT_MS = 90_000;

export interface LocalTargetOptions {
  /** The kubelets' container runtime (default process). */
  readonly runtime?: LocalRuntimeName;
  /** Every line the cluster's components print (noisy: for debugging). */
  readonly componentLog?: (line: string) => void;
}

/** Why `kubeprop up` cannot give this spec its cluster, or undefined when it can. */
export function localShapeProblem(spec: ScenarioSpec): string | undefined {
  const want = nodeNames(spec.nodes.length);
  const names = spec.nodes.map((n) => n.name);
  if (!isDeepStrictEqual(names, want)) return `kubeprop up names its nodes ${want.join(', ')}; the spec has ${names.join(', ')}`;
  for (const n of spec.nodes) {
    if (n.capacity.cpu !== DEFAULT_CAPACITY.cpu || n.capacity.memory !== DEFAULT_CAPACITY.memory || n.capacity.pods !== DEFAULT_CAPACITY.pods) {
      return `kubeprop up's nodes have cpu ${DEFAULT_CAPACITY.cpu}, memory ${DEFAULT_CAPACITY.memory}, pods ${DEFAULT_CAPACITY.pods}; ${n.name} asks for cpu ${n.capacity.cpu}, memory ${n.capacity.memory}, pods ${n.capacity.pods}`;
    }
    if (Object.keys(n.labels).length > 0 || n.taints.length > 0) return `kubeprop up cannot label or taint nodes (${n.name})`;
  }
  return undefined;
}

/** Why the local target cannot inject the spec's faults, or undefined when it can. */
export function localFaultProblem(spec: ScenarioSpec): string | undefined {
  const kinds = [...new Set(spec.steps.flatMap((s) => (s.op === 'fault' ? [s.fault.kind] : [])))];
  const missing = kinds.filter((k) => !(LOCAL_FAULTS as readonly string[]).includes(k));
  return missing.length ? `the local target cannot inject ${missing.join(', ')} (it can: ${LOCAL_FAULTS.join(', ')})` : undefined;
}

export class LocalSpecTarget {
  private cluster: LocalCluster | undefined;
  readonly runtime: LocalRuntimeName;

  constructor(private readonly options: LocalTargetOptions = {}) {
    this.runtime = options.runtime ?? 'process';
  }

  /** The cluster specs run on, started on first use (or again for another node count). */
  private async clusterFor(nodes: number, log: (line: string) => void): Promise<LocalCluster> {
    if (this.cluster && this.cluster.nodes.length !== nodes) await this.close();
    if (!this.cluster) {
      const started = Date.now();
      log(`  starting kubeprop up --fast with ${nodes} nodes (${this.runtime} runtime)`);
      this.cluster = await LocalCluster.start({ nodes, runtime: this.runtime, ...(this.options.componentLog ? { log: this.options.componentLog } : {}) });
      log(`  cluster Ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    }
    return this.cluster;
  }

  async run(spec: ScenarioSpec, options: RunSpecOptions = {}): Promise<SpecOutcome> {
    const wallStart = Date.now();
    const log = options.log ?? (() => {});
    const base = { name: spec.metadata.name, file: spec.file, target: 'local', stepsRun: 0, invariants: [], targetMs: 0 };
    const problem = runtimeProblem(spec, 'local', this.runtime) ?? localShapeProblem(spec) ?? localFaultProblem(spec);
    if (problem) return { ...base, status: 'skip', reasons: [problem], wallMs: 0 };
    let cluster: LocalCluster;
    try {
      cluster = await this.clusterFor(spec.nodes.length, log);
      await cluster.untilReady(cluster.nodes, CLEANUP_TIMEOUT_MS);
    } catch (e) {
      await this.close();
      return { ...base, status: 'fail', reasons: [e instanceof Error ? e.message : String(e)], wallMs: Date.now() - wallStart };
    }
    const ns = spec.namespace;
    const kubectl = cluster.kubectl;
    const created = await kubectl.run(['create', 'namespace', ns]);
    if (created.exitCode !== 0 && /AlreadyExists/.test(created.stderr)) {
      // Left over from an interrupted run: start clean.
      await kubectl.run(['delete', 'namespace', ns, '--timeout=90s'], { timeoutMs: CLEANUP_TIMEOUT_MS });
      await kubectl.run(['create', 'namespace', ns]);
    } else if (created.exitCode !== 0) {
      return { ...base, status: 'fail', reasons: [`kubectl create namespace ${ns}: ${created.stderr.trim()}`], wallMs: Date.now() - wallStart };
    }

    const recording = newRecording();
    const recorder = new WatchRecorder(cluster.client, ns, recording.watches);
    const driver = new LocalDriver(cluster, ns, recording);
    let outcome: SpecOutcome;
    try {
      outcome = await runSpec(spec, driver, options);
    } catch (e) {
      outcome = { ...base, status: 'fail', reasons: [`the local run broke: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`], wallMs: 0 };
    } finally {
      await driver.healAll();
      await recorder.stop();
    }
    if (outcome.status === 'fail') outcome = { ...outcome, reasons: [...outcome.reasons, `last lines of the components:\n${cluster.logLines.slice(-25).join('\n')}`] };

    // Clean up for the next spec: the namespace and its pods go, every node is Ready again.
    const cleanup = await kubectl.run(['delete', 'namespace', ns, '--timeout=90s'], { timeoutMs: CLEANUP_TIMEOUT_MS + 10_000 });
    try {
      if (cleanup.exitCode !== 0) throw new Error(`kubectl delete namespace ${ns}: ${cleanup.stderr.trim()}`);
      await cluster.untilReady(cluster.nodes, CLEANUP_TIMEOUT_MS);
    } catch (e) {
      log(`  the cluster did not recover (${e instanceof Error ? e.message : String(e)}); the next spec gets a new one`);
      await this.close();
    }
    outcome.wallMs = Date.now() - wallStart;
    return outcome;
  }

  async close(): Promise<void> {
    const c = this.cluster;
    this.cluster = undefined;
    if (c) await c.stop();
  }
}
