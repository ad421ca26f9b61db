// One `kubeprop up` cluster for the local target: the Supervisor's processes (API server,
// controller-manager, scheduler, a kubelet per node with the process or the docker
// runtime, --fast periods) on a free port with a private data directory, an admin API
// client, kubectl set up for it, and the harness's view of the nodes' runtimes. Specs share
// one while their cluster shapes agree.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type ApiObject } from '../../impl/client/api-client.js';
import { NODES } from '../../impl/client/resources.js';
import { loadKubeconfig, transportFor } from '../../impl/cluster/live/kubeconfig-load.js';
import { nodeNames, Supervisor } from '../../impl/cluster/live/supervisor.js';
import type { HttpClientTransport } from '../../impl/env/http-client.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { LocalRuntime, LocalRuntimeName } from '../targets/local-runtime.js';
import { localRuntime, localRuntimeProblem } from '../targets/local-target.js';
import { Kubectl } from './kubectl.js';
import { untilNodesReady } from './nodes-ready.js';

/** Boot: ~15 s for six node processes compiling TypeScript on two cores; generous for slow CI. */
const BOOT_TIMEOUT_MS = 120_000;
/** Component output kept for diagnostics when something fails. */
const LOG_LINES = 400;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

export class LocalCluster {
  readonly nodes: readonly string[];
  readonly kubectl: Kubectl;
  readonly client: ApiClient;

  private constructor(
    readonly supervisor: Supervisor,
    readonly dataDir: string,
    private readonly transport: HttpClientTransport,
    nodeCount: number,
    /** What the nodes' runtimes really hold, and what faults do to their containers. */
    readonly runtime: LocalRuntime,
    /** The components' last lines of output, for failure messages. */
    readonly logLines: string[],
  ) {
    this.nodes = nodeNames(nodeCount);
    this.kubectl = new Kubectl(supervisor.kubeconfigPath, join(dataDir, 'kubectl-cache'));
    this.client = new ApiClient(transport, 'kubeprop-spec');
  }

  /** Starts `kubeprop up --fast` with `nodes` nodes (process runtime unless told) and waits until they are Ready. */
  static async start(options: { readonly nodes: number; readonly runtime?: LocalRuntimeName; readonly log?: (line: string) => void }): Promise<LocalCluster> {
    const runtimeName = options.runtime ?? 'process';
    const problem = await localRuntimeProblem(runtimeName);
    if (problem) throw new Error(problem);
    const dataDir = mkdtempSync(join(tmpdir(), 'kubeprop-local-'));
    const runtime = localRuntime(runtimeName, dataDir, nodeNames(options.nodes));
    const lines: string[] = [];
    const supervisor = new Supervisor({
      nodes: options.nodes,
      runtime: runtimeName,
      store: 'memory',
      port: await freePort(),
      dataDir,
      fast: true,
      log: (line) => {
        lines.push(line);
        if (lines.length > LOG_LINES) lines.shift();
        options.log?.(line);
      },
    });
    try {
      await supervisor.up(BOOT_TIMEOUT_MS);
      const cluster = new LocalCluster(supervisor, dataDir, transportFor(loadKubeconfig(supervisor.kubeconfigPath)), options.nodes, runtime, lines);
      await cluster.untilReady(cluster.nodes, BOOT_TIMEOUT_MS);
      return cluster;
    } catch (e) {
      await supervisor.down();
      await runtime.removeAll();
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`kubeprop up did not come up: ${e instanceof Error ? e.message : String(e)}\n${lines.slice(-40).join('\n')}`);
    }
  }

  async listNodes(): Promise<Node[]> {
    return (await this.client.list<ApiObject & Node>(NODES)).items;
  }

  untilReady(names: readonly string[], timeoutMs: number): Promise<void> {
    return untilNodesReady({ names }, Date.now() + timeoutMs, () => this.listNodes(), () => Date.now(), sleep);
  }

  async stop(): Promise<void> {
    this.transport.close();
    try {
      await this.supervisor.down();
    } finally {
      // Kubelets remove their containers on SIGTERM; a kubelet killed by a fault left its own.
      await this.runtime.removeAll();
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}
