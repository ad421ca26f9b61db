// A test world for the kubelet: the reference API server (with an embedded store) in a sim
// kernel, simulated nodes (machine + runtime) and their kubelets, a recorder of every pod
// change seen through a watch, and a way to drive scenarios as an admin. No scheduler and
// no controllers: tests bind pods themselves, and set a node's podCIDR as IPAM would.

import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import { compareEvents } from '../../api/event-time.js';
import type { Env, ProcessHandle } from '../../env/env.js';
import type { TokenEntry } from '../../apiserver/authn.js';
import { ApiClient } from '../../client/api-client.js';
import { EVENTS, NODES, PODS } from '../../client/resources.js';
import { NetworkTransport } from '../../client/transport.js';
import { spawnSimApiServer } from '../../cluster/sim/sim-apiserver.js';
import { SimKernel } from '../../sim/index.js';
import { EmbeddedStore } from '../../store/index.js';
import { spawnSimNode, SimRuntimeClient, type SimNodeRuntime } from '../../runtime/sim/index.js';
import { runKubelet } from '../kubelet.js';
import type { KubeletOptions } from '../kubelet-options.js';
import { NetworkPodLogSource } from '../log-source-sim.js';

export const ADMIN: TokenEntry = { token: 'admin-token', user: { name: 'admin', uid: '', groups: ['system:masters', 'system:authenticated'] } };

export function nodeToken(node: string): TokenEntry {
  return { token: `node-${node}-token`, user: { name: `system:node:${node}`, uid: '', groups: ['system:nodes', 'system:authenticated'] } };
}

export interface PodRecord {
  readonly at: number;
  readonly type: string;
  readonly pod: Pod;
}

export interface KubeletSimOptions {
  readonly seed: number;
  readonly nodes: readonly string[];
  /** Extra kubelet options (nodeName is filled in). */
  readonly kubelet?: Partial<KubeletOptions>;
  /** Each node's podCIDR, set before its kubelet starts (default 10.244.<i>.0/24). */
  readonly podCIDRs?: boolean;
}

export class KubeletSim {
  readonly kernel: SimKernel;
  /** Every pod change the recorder's watch saw, in order. */
  readonly history: PodRecord[] = [];
  private readonly runtimes = new Map<string, SimNodeRuntime>();
  private readonly nodeHandles = new Map<string, ProcessHandle>();
  private drivers = 0;

  constructor(private readonly options: KubeletSimOptions) {
    this.kernel = new SimKernel({ seed: options.seed, network: { minDelayMs: 1, maxDelayMs: 5 } });
  }

  /** Starts the store, API server, nodes and kubelets; resolves once every kubelet is Ready. */
  async start(): Promise<void> {
    const kernel = this.kernel;
    const store = new Promise<EmbeddedStore>((resolve) => {
      kernel.spawn('etcd', async (env) => {
        resolve(await EmbeddedStore.open({ clock: env.clock, timers: env.timers, random: env.random }));
        await env.timers.sleep(Infinity);
      });
    });
    kernel.spawn('apiserver-starter', async () => {
      spawnSimApiServer((n, m) => kernel.spawn(n, m), {
        store: await store,
        tokens: [ADMIN, ...this.options.nodes.map(nodeToken)],
        podLogs: (env) => new NetworkPodLogSource(env.network),
      });
    });
    for (const node of this.options.nodes) {
      const machine = spawnSimNode((n, m) => kernel.spawn(n, m), { node });
      this.nodeHandles.set(node, machine.handle);
      void machine.runtime.then((r) => this.runtimes.set(node, r));
    }
    kernel.spawn('pod-recorder', async (env) => {
      await env.timers.sleep(100);
      const admin = this.client(env);
      let rv = (await admin.list(PODS)).resourceVersion;
      for (;;) {
        try {
          const watch = await admin.watch<Pod>(PODS, undefined, { resourceVersion: rv });
          for await (const e of watch) {
            if (e.type === 'BOOKMARK' || e.type === 'ERROR') continue;
            rv = e.object.metadata?.resourceVersion ?? rv;
            this.history.push({ at: env.clock.now(), type: e.type, pod: e.object });
          }
        } catch {
          await env.timers.sleep(100);
        }
      }
    });
    await this.drive(async (api, env) => {
      await env.timers.sleep(200);
      if (this.options.podCIDRs !== false) {
        // The node IPAM controller's part: pre-create each Node with its podCIDR.
        for (const [i, name] of this.options.nodes.entries()) {
          await api.create(NODES, undefined, { metadata: { name }, spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] } } as never);
        }
      }
    });
    for (const node of this.options.nodes) this.startKubelet(node);
    await this.drive(async (api, env) => {
      for (;;) {
        const nodes = await api.list<Node>(NODES);
        const ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        if (ready.length === this.options.nodes.length) return;
        await env.timers.sleep(100);
      }
    });
  }

  client(env: Env, token = ADMIN.token): ApiClient {
    return new ApiClient(new NetworkTransport(env.network, token), 'kubelet-sim-test');
  }

  /** The machine's runtime of `node`, for fault hooks. */
  runtime(node: string): SimNodeRuntime {
    const r = this.runtimes.get(node);
    if (!r) throw new Error(`node ${node} has no runtime (not started, or lost)`);
    return r;
  }

  startKubelet(node: string, extra: Partial<KubeletOptions> = {}): void {
    this.kernel.spawn(`kubelet/${node}`, async (env) => {
      const client = new ApiClient(new NetworkTransport(env.network, nodeToken(node).token), `kubelet/${node}`);
      await runKubelet(env, client, new SimRuntimeClient(env, node), { ...this.options.kubelet, ...extra, nodeName: node });
    });
  }

  stopKubelet(node: string): void {
    this.kernel.process(`kubelet/${node}`)?.kill();
  }

  /** Node loss: the machine (and its containers) and the kubelet are gone. */
  loseNode(node: string): void {
    this.stopKubelet(node);
    this.nodeHandles.get(node)?.kill();
    this.runtimes.delete(node);
  }

  /**
   * Runs `fn` as an admin process and the kernel until it settles (or `maxMs` of virtual
   * time pass: then it throws). Resolves with what `fn` returned.
   */
  async drive<T>(fn: (api: ApiClient, env: Env) => Promise<T>, maxMs = 30 * 60_000): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    const name = `driver-${this.drivers++}`;
    this.kernel.spawn(name, async (env) => {
      try {
        outcome = { ok: true, value: await fn(this.client(env), env) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    const deadline = this.kernel.now() + maxMs;
    while (!outcome && this.kernel.now() < deadline) await this.kernel.run({ until: Math.min(deadline, this.kernel.now() + 1000) });
    if (!outcome) throw new Error(`${name} did not finish within ${maxMs} ms of virtual time`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Lets `ms` of virtual time pass. */
  async advance(ms: number): Promise<void> {
    await this.kernel.run({ until: this.kernel.now() + ms });
  }

  /** The pod's status changes as the watch saw them. */
  podHistory(name: string, namespace = 'default'): PodRecord[] {
    return this.history.filter((r) => r.pod.metadata?.name === name && (r.pod.metadata?.namespace ?? 'default') === namespace);
  }

  /** Stops every process (so a test leaves nothing scheduled). */
  stop(): void {
    for (const name of this.kernel.processes()) this.kernel.process(name)?.kill();
  }
}

/** A pod manifest with one container. */
export function podManifest(name: string, container: { image?: string; command?: string[]; args?: string[] }, spec: Partial<Pod['spec']> = {}): Pod {
  return {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: container.image ?? 'busybox', ...(container.command ? { command: container.command } : {}), ...(container.args ? { args: container.args } : {}) }], ...spec },
  } as Pod;
}

/** Creates a pod and binds it to `node`, as a scheduler would. */
export async function createBound(api: ApiClient, pod: Pod, node: string): Promise<Pod> {
  const created = await api.create<Pod>(PODS, pod.metadata?.namespace ?? 'default', pod);
  await api.bind(pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '', node);
  return created;
}

/** Polls the pod until `done` holds; returns it. */
export async function waitForPod(api: ApiClient, env: Env, name: string, done: (p: Pod) => boolean, what = 'the condition', maxMs = 10 * 60_000): Promise<Pod> {
  const until = env.clock.now() + maxMs;
  for (;;) {
    const pod = await api.get<Pod>(PODS, 'default', name);
    if (done(pod)) return pod;
    if (env.clock.now() > until) throw new Error(`pod ${name}: ${what} did not happen within ${maxMs} ms; status: ${JSON.stringify(pod.status)}`);
    await env.timers.sleep(100);
  }
}

/** Events about pod `name`, oldest first. */
export async function podEvents(api: ApiClient, name: string): Promise<Event[]> {
  const list = await api.list<Event>(EVENTS, 'default', { fieldSelector: `involvedObject.name=${name}` });
  return list.items.sort(compareEvents);
}
