// One `kubeprop up` cluster for the local target: the Supervisor's processes (API server,
// controller-manager, scheduler, a kubelet per node with the process runtime, --fast
// periods) on a free port with a private data directory, an admin API client, and kubectl
// set up for it. Specs share one while their cluster shapes agree.

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
import { Kubectl } from './kubectl.js';
import { killNodeContainers } from './node-containers.js';
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
    /** The components' last lines of output, for failure messages. */
    readonly logLines: string[],
  ) {
    this.nodes = nodeNames(nodeCount);
    this.kubectl = new Kubectl(supervisor.kubeconfigPath, join(dataDir, 'kubectl-cache'));
    this.client = new ApiClient(transport, 'kubeprop-spec');
  }

  /** Starts `kubeprop up --fast` with `nodes` nodes and waits until they are Ready. */
  static async start(options: { readonly nodes: number; readonly log?: (line: string) => void }): Promise<LocalCluster> {
    const dataDir = mkdtempSync(join(tmpdir(), 'kubeprop-local-'));
    const lines: string[] = [];
    const supervisor = new Supervisor({
      nodes: options.nodes,
      runtime: 'process',
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
      const cluster = new LocalCluster(supervisor, dataDir, transportFor(loadKubeconfig(supervisor.kubeconfigPath)), options.nodes, lines);
      await cluster.untilReady(cluster.nodes, BOOT_TIMEOUT_MS);
      return cluster;
    } catch (e) {
      await supervisor.down();
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`kubeprop up did not come up: ${e instanceof Error ? e.message : String(e)}\n${lines.slice(-40).join('\n')}`);
    }
  }

  /** The node's kubelet data directory (its process runtime's containers live there). */
  nodeDataDir(node: string): string {
    return join(this.dataDir, 'nodes', node);
  }

  async listNodes(): Promise<Node[]> {
    return (await this.client.list<ApiObject & Node>(NODES)).items;
  }

  untilReady(names: readonly string[], timeoutMs: number): Promise<void> {
    return untilNodesReady({ names }, Date.now() + timeoutMs, () => this.listNodes(), () => Date.now(), sleep);
  }

  async stop(): Promise<void> {
    this.transport.close();
    await this.supervisor.down();
    // Kubelets kill their containers on SIGTERM; a kubelet killed by a fault left its own running.
    for (const node of this.nodes) killNodeContainers(this.nodeDataDir(node));
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
