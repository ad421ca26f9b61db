// The whole reference control plane inside one sim kernel: an "etcd" process owning the
// embedded store, the API server, the controller-manager, the scheduler, and per node a
// machine (node/<name>, owning the container runtime) and its kubelet (kubelet/<name>).
// Each component is a process that can be killed and started again, which is how faults
// happen; components reach each other only over the simulated network.

import type { Env, ProcessHandle } from '../../env/env.js';
import type { AuditRecord } from '../../apiserver/audit.js';
import type { TokenEntry } from '../../apiserver/authn.js';
import type { ApiServerMutants } from '../../apiserver/mutants.js';
import { ApiClient } from '../../client/api-client.js';
import { NetworkTransport } from '../../client/transport.js';
import { runControllerManager, type ControllerManagerOptions } from '../../controllers/controller-manager.js';
import { runKubelet } from '../../kubelet/kubelet.js';
import { NetworkPodLogSource } from '../../kubelet/log-source-sim.js';
import type { KubeletOptions } from '../../kubelet/kubelet-options.js';
import { SimRuntimeClient, spawnSimNode, type SimNode, type SimNodeRuntime } from '../../runtime/sim/index.js';
import { runScheduler, type SchedulerOptions } from '../../scheduler/scheduler.js';
import type { SimKernel } from '../../sim/kernel.js';
import { EmbeddedStore } from '../../store/embedded-store.js';
import type { Store } from '../../store/store.js';
import { spawnSimApiServer } from './sim-apiserver.js';

export interface SimNodeSpec {
  readonly name: string;
  readonly cpu: string;
  readonly memory: string;
  readonly pods: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: KubeletOptions['taints'];
  /** A spare node: known (identity, spec) from the start but booted only by startNode (node-add). */
  readonly spare?: boolean;
}

export interface SimClusterOptions {
  readonly nodes: readonly SimNodeSpec[];
  /** Seconds pods tolerate a not-ready/unreachable node before eviction. */
  readonly defaultTolerationSeconds?: number;
  readonly controllerManager?: Omit<ControllerManagerOptions, never>;
  readonly scheduler?: SchedulerOptions;
  readonly kubelet?: Omit<KubeletOptions, 'nodeName' | 'capacity' | 'labels' | 'taints'>;
  readonly onAudit?: (r: AuditRecord) => void;
  readonly apiserverMutants?: ApiServerMutants;
  /** Every store revision with the keys it changed (the store's own history). */
  readonly onStoreWrite?: (revision: number, changes: { key: string; type: 'put' | 'delete' }[]) => void;
  /**
   * Every machine as it boots (at start, and again after each loss), with its runtime once the
   * machine runs: a listener subscribed then hears every container event, the first included.
   */
  readonly onMachine?: (node: string, runtime: Promise<SimNodeRuntime>) => void;
}

export const ADMIN_USER = 'admin';

function identity(name: string, groups: string[]): TokenEntry {
  return { token: `token-${name.replace(/[^a-z0-9]/gi, '-')}`, user: { name, uid: '', groups: [...groups, 'system:authenticated'] } };
}

export class SimCluster {
  readonly tokens: TokenEntry[];
  private store: Store | undefined;
  private storeReady: Promise<Store>;
  private readonly handles = new Map<string, ProcessHandle>();
  private readonly machines = new Map<string, SimNode>();
  private readonly nodeSpecs = new Map<string, SimNodeSpec>();

  constructor(
    readonly kernel: SimKernel,
    private readonly options: SimClusterOptions,
  ) {
    this.tokens = [
      identity(ADMIN_USER, ['system:masters']),
      identity('system:kube-controller-manager', []),
      identity('system:kube-scheduler', []),
    ];
    for (const n of options.nodes) this.nodeSpecs.set(n.name, n);
    for (const n of options.nodes) this.tokens.push(identity(`system:node:${n.name}`, ['system:nodes']));
    let resolve!: (s: Store) => void;
    this.storeReady = new Promise((r) => (resolve = r));
    this.spawn('etcd', async (env) => {
      const store = await EmbeddedStore.open({ clock: env.clock, timers: env.timers, random: env.random });
      this.store = store;
      if (options.onStoreWrite) {
        // The store's own history: every revision from the first, as a watch sees it.
        const watch = await store.watch({ key: '', prefix: true, startRevision: 1 });
        void (async () => {
          for await (const batch of watch) {
            options.onStoreWrite?.(
              batch.revision,
              batch.events.map((e) => ({ key: e.kv.key, type: e.type })),
            );
          }
        })();
      }
      resolve(store);
      await env.timers.sleep(Infinity);
    });
  }

  private spawn(name: string, main: (env: Env) => Promise<void>): ProcessHandle {
    const h = this.kernel.spawn(name, main);
    this.handles.set(name, h);
    return h;
  }

  tokenOf(user: string): string {
    const t = this.tokens.find((e) => e.user.name === user);
    if (!t) throw new Error(`no identity ${user}`);
    return t.token;
  }

  /** A client for `user` from a process's Env. */
  client(env: Env, user: string, userAgent: string): ApiClient {
    return new ApiClient(new NetworkTransport(env.network, this.tokenOf(user)), userAgent);
  }

  /** Starts every component and every node that is not a spare. */
  start(): void {
    this.startApiServer();
    this.startControllerManager();
    this.startScheduler();
    for (const n of this.options.nodes) if (!n.spare) this.startNode(n.name);
  }

  // Each start* does nothing while that process runs: a component runs once.

  startApiServer(): void {
    if (this.alive('apiserver') || this.alive('apiserver-boot')) return;
    this.spawn('apiserver-boot', async () => {
      const store = await this.storeReady;
      const { handle } = spawnSimApiServer((n, m) => this.spawn(n, m), {
        store,
        tokens: this.tokens,
        ...(this.options.onAudit ? { onAudit: this.options.onAudit } : {}),
        ...(this.options.apiserverMutants ? { mutants: this.options.apiserverMutants } : {}),
        podLogs: (env) => new NetworkPodLogSource(env.network),
        ...(this.options.defaultTolerationSeconds !== undefined ? { defaultTolerationSeconds: this.options.defaultTolerationSeconds } : {}),
      });
      this.handles.set('apiserver', handle);
    });
  }

  startControllerManager(): void {
    if (this.alive('controller-manager')) return;
    this.spawn('controller-manager', async (env) => {
      runControllerManager(env, this.client(env, 'system:kube-controller-manager', 'kube-controller-manager'), this.options.controllerManager ?? {});
      await env.timers.sleep(Infinity);
    });
  }

  startScheduler(): void {
    if (this.alive('scheduler')) return;
    this.spawn('scheduler', (env) => runScheduler(env, this.client(env, 'system:kube-scheduler', 'kube-scheduler'), this.options.scheduler ?? {}));
  }

  /** Boots a node's machine (if it is not running) and its kubelet. */
  startNode(name: string): void {
    this.startMachine(name);
    this.startKubelet(name);
  }

  /** Boots a node's machine alone (a fresh one: no containers), if it is not running. */
  startMachine(name: string): void {
    if (!this.nodeSpecs.has(name)) throw new Error(`unknown node ${name}`);
    if (this.machineAlive(name)) return;
    const machine = spawnSimNode((n, m) => this.spawn(n, m), { node: name });
    this.machines.set(name, machine);
    this.options.onMachine?.(name, machine.runtime);
  }

  startKubelet(name: string): void {
    const spec = this.nodeSpecs.get(name);
    if (!spec) throw new Error(`unknown node ${name}`);
    if (this.alive(`kubelet/${name}`)) return;
    this.spawn(`kubelet/${name}`, async (env) => {
      await runKubelet(env, this.client(env, `system:node:${name}`, `kubelet/${name}`), new SimRuntimeClient(env, name), {
        ...(this.options.kubelet ?? {}),
        nodeName: name,
        capacity: { cpu: spec.cpu, memory: spec.memory, pods: spec.pods },
        ...(spec.labels ? { labels: spec.labels } : {}),
        ...(spec.taints ? { taints: spec.taints } : {}),
      });
    });
  }

  /** Adds a node that was not in the initial shape. */
  addNode(spec: SimNodeSpec): void {
    this.nodeSpecs.set(spec.name, spec);
    if (!this.tokens.some((t) => t.user.name === `system:node:${spec.name}`)) {
      // The API server reads its token list at start; a late node's identity must be known
      // already, so targets declare spare nodes up front (see SimClusterOptions.nodes).
      throw new Error(`node ${spec.name} has no identity; declare it in the cluster shape`);
    }
    this.startNode(spec.name);
  }

  kill(process: string): void {
    this.handles.get(process)?.kill();
  }

  alive(process: string): boolean {
    return this.handles.get(process)?.alive ?? false;
  }

  /** Node loss: the machine (and with it every container) and its kubelet are gone. */
  loseNode(name: string): void {
    this.kill(`kubelet/${name}`);
    this.machines.get(name)?.handle.kill();
  }

  machineAlive(name: string): boolean {
    return this.machines.get(name)?.handle.alive ?? false;
  }

  runtimeOf(name: string): Promise<SimNodeRuntime> | undefined {
    const m = this.machines.get(name);
    return m?.handle.alive ? m.runtime : undefined;
  }

  nodeNames(): string[] {
    return [...this.nodeSpecs.keys()];
  }

  /** The store, for the harness's final snapshot of store state only (never for components). */
  get storeHandle(): Store | undefined {
    return this.store;
  }
}
