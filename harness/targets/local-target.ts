// The local target: the reference control plane as processes on this machine (`kubeprop up`
// with the process or the docker runtime and short failure detection), started once and
// reused by every run, each run in a namespace of its own through the kubeconfig target's
// machinery (the admin kubeconfig), plus process-level faults: a container killed from
// outside its kubelet (kill -9 of its process, or the engine's kill), a node's machine lost
// or powered off, kubelet and control-plane restarts. The store is file-backed, so an API
// server restart loses nothing it acknowledged. The final state also holds the nodes'
// runtime containers, read from the process runtime's records or from the Docker Engine.
// Whatever containers the cluster made are removed when it closes, however its runs ended.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type ApiObject } from '../../impl/client/api-client.js';
import { NODES } from '../../impl/client/resources.js';
import { loadKubeconfig, transportFor } from '../../impl/cluster/live/kubeconfig-load.js';
import { dockerClusterOf, nodeNames, Supervisor } from '../../impl/cluster/live/supervisor.js';
import { DockerRuntime } from '../../impl/runtime/docker/index.js';
import type { FaultKind } from '../../chaos/fault-kind.js';
import { createKubeTarget, type KubeTarget } from './kube-target.js';
import { LocalDockerRuntime } from './local-docker-runtime.js';
import { LocalProcessRuntime } from './local-process-runtime.js';
import { LocalProcesses } from './local-processes.js';
import type { LocalRuntime, LocalRuntimeName } from './local-runtime.js';

export interface LocalTargetOptions {
  /** Nodes of the cluster (default 3); scenarios naming more wrap around onto them. */
  readonly nodes?: number;
  /** The kubelets' container runtime: process (default) or docker (the local Docker Engine, images from scripts/build-images.sh). */
  readonly runtime?: LocalRuntimeName;
  /** As the kubeconfig target's (defaults 0.05, 60 s, 10 s, 30 s). */
  readonly timeScale?: number;
  readonly minConvergenceMs?: number;
  readonly quietMs?: number;
  readonly outageSettleMs?: number;
  readonly faultKinds?: readonly FaultKind[];
  /** Where the cluster keeps its state (default a fresh temporary directory, removed on close). */
  readonly dataDir?: string;
  /** The API server's port (default a free one). */
  readonly port?: number;
  /** The components' output, line by line (default dropped). */
  readonly log?: (line: string) => void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until every node has registered and reports Ready. */
async function nodesReady(kubeconfig: string, count: number, timeoutMs: number): Promise<void> {
  const transport = transportFor(loadKubeconfig(kubeconfig));
  const client = new ApiClient(transport, 'kubeprop-local');
  const deadline = performance.now() + timeoutMs;
  let seen = 'no answer';
  try {
    while (performance.now() < deadline) {
      try {
        const nodes = (await client.list<ApiObject & { status?: { conditions?: { type: string; status: string }[] } }>(NODES)).items;
        const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        if (ready.length >= count) return;
        seen = `${ready.length} of ${count} nodes Ready`;
      } catch (e) {
        seen = e instanceof Error ? e.message : String(e);
      }
      await sleep(250);
    }
    throw new Error(`the local cluster did not come up within ${timeoutMs / 1000}s (${seen})`);
  } finally {
    transport.close();
  }
}

/** The harness's view of the nodes' runtimes of a cluster in `dataDir`. */
export function localRuntime(name: LocalRuntimeName, dataDir: string, nodes: readonly string[]): LocalRuntime {
  return name === 'docker' ? new LocalDockerRuntime(dockerClusterOf(dataDir)) : new LocalProcessRuntime(dataDir, nodes);
}

/** Why the runtime cannot run here (an unreachable Docker Engine), or undefined when it can. */
export async function localRuntimeProblem(name: LocalRuntimeName): Promise<string | undefined> {
  if (name !== 'docker' || (await DockerRuntime.reachable())) return undefined;
  return 'the Docker Engine is not reachable: start dockerd --bridge=none --iptables=false --ip-masq=false (apt-get install docker.io), then build the images with scripts/build-images.sh';
}

export async function createLocalTarget(options: LocalTargetOptions = {}): Promise<KubeTarget> {
  const count = options.nodes ?? 3;
  const runtimeName = options.runtime ?? 'process';
  const problem = await localRuntimeProblem(runtimeName);
  if (problem) throw new Error(problem);
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kubeprop-local-'));
  const log = options.log ?? (() => {});
  const supervisor = new Supervisor({
    nodes: count,
    runtime: runtimeName,
    store: `file:${join(dataDir, 'store')}`,
    port: options.port ?? (await freePort()),
    dataDir,
    fast: true,
    log,
  });
  const runtime = localRuntime(runtimeName, dataDir, nodeNames(count));
  const processes = new LocalProcesses(supervisor, runtime, nodeNames(count), log);
  const stop = async () => {
    try {
      await supervisor.down();
    } finally {
      // Kubelets remove their containers when stopped; one killed by a fault left its own.
      const removed = await runtime.removeAll();
      if (removed > 0) log(`[local] removed ${removed} container${removed === 1 ? '' : 's'} left behind`);
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    }
  };
  let inner: KubeTarget;
  try {
    await supervisor.up();
    await nodesReady(supervisor.kubeconfigPath, count, 60_000);
    inner = await createKubeTarget({
      kubeconfig: supervisor.kubeconfigPath,
      name: 'local',
      reshapeNodes: true,
      processes,
      runtime: processes,
      ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
      ...(options.minConvergenceMs !== undefined ? { minConvergenceMs: options.minConvergenceMs } : {}),
      ...(options.quietMs !== undefined ? { quietMs: options.quietMs } : {}),
      ...(options.outageSettleMs !== undefined ? { outageSettleMs: options.outageSettleMs } : {}),
      ...(options.faultKinds ? { faultKinds: options.faultKinds } : {}),
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    name: inner.name,
    nodes: inner.nodes,
    faultKinds: inner.faultKinds,
    deterministic: false,
    async run(scenario, runOptions) {
      try {
        return await inner.run(scenario, runOptions);
      } finally {
        // A run that failed midway may leave outages in force; the next one starts whole.
        await processes.healAll();
      }
    },
    async close() {
      await inner.close();
      await stop();
    },
  };
}
