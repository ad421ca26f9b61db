// Builders and helpers for the scheduler's tests: Node objects as a kubelet would register
// them (capacity, allocatable, Ready condition), pods with requests and placement rules,
// a world with the reference API server and a scheduler in it, and polling on virtual time.

import type { Node, NodeSpec, Pod, PodSpec, Taint } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../client/api-client.js';
import { PODS } from '../client/resources.js';
import type { Env } from '../env/env.js';
import { createSimWorld, IDENTITIES, type SimWorld } from '../../specs/support/sim-world.js';
import type { SimNetworkOptions } from '../sim/sim-links.js';
import type { FilterPlugin, ScorePlugin } from './framework.js';
import { Scheduler, type SchedulerOptions, type SchedulingOutcome } from './scheduler.js';
import { buildSnapshot, podInfoOf } from './snapshot.js';

export interface NodeShape {
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
  readonly labels?: Record<string, string>;
  readonly taints?: Taint[];
  /** The Ready condition's status; undefined leaves the condition out. Default 'True'. */
  readonly ready?: 'True' | 'False' | 'Unknown' | undefined;
  readonly unschedulable?: boolean;
}

export function node(name: string, shape: NodeShape = {}): Node {
  const resources = { cpu: shape.cpu ?? '4', memory: shape.memory ?? '8Gi', pods: shape.pods ?? '110' };
  const spec: NodeSpec = {};
  if (shape.taints) spec.taints = shape.taints;
  if (shape.unschedulable) spec.unschedulable = true;
  const ready = 'ready' in shape ? shape.ready : 'True';
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...shape.labels } },
    spec,
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: ready ? [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'KubeletReady' : 'KubeletNotReady', lastHeartbeatTime: '2023-11-14T22:13:20Z', lastTransitionTime: '2023-11-14T22:13:20Z' }] : [],
    },
  };
}

export interface PodShape {
  readonly cpu?: string;
  readonly memory?: string;
  /** Requests of one init container. */
  readonly initCpu?: string;
  readonly labels?: Record<string, string>;
  /** The uid of the controller (a ReplicaSet) that owns the pod. */
  readonly owner?: string;
  readonly spec?: Partial<PodSpec>;
}

export function pod(name: string, shape: PodShape = {}): Pod {
  const requests: Record<string, string> = {};
  if (shape.cpu) requests.cpu = shape.cpu;
  if (shape.memory) requests.memory = shape.memory;
  return {
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'test', ...shape.labels },
      ...(shape.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: shape.owner, controller: true }] } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'busybox', ...(Object.keys(requests).length ? { resources: { requests } } : {}) }],
      ...(shape.initCpu ? { initContainers: [{ name: 'init', image: 'busybox', resources: { requests: { cpu: shape.initCpu } } }] } : {}),
      ...shape.spec,
    },
  };
}

/** Polls `check` every `pollMs` of virtual time until it returns a value. */
export async function waitFor<T>(env: Env, what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, pollMs = 100): Promise<T> {
  const deadline = env.clock.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (env.clock.now() >= deadline) throw new Error(`timed out after ${timeoutMs} virtual ms waiting for ${what}`);
    await env.timers.sleep(pollMs);
  }
}

/** Pods of the default namespace by name → node ('' while unbound). */
export async function placements(client: ApiClient): Promise<Map<string, string>> {
  const list = await client.list<Pod>(PODS, 'default');
  return new Map(list.items.map((p) => [p.metadata?.name ?? '', p.spec?.nodeName ?? '']));
}

/** Waits until every named pod is bound; returns pod → node. */
export function waitForBound(env: Env, client: ApiClient, names: readonly string[], timeoutMs?: number, pollMs?: number): Promise<Map<string, string>> {
  return waitFor(env, `pods ${names.join(', ')} to be bound`, async () => {
    const all = await placements(client);
    return names.every((n) => all.get(n)) ? all : undefined;
  }, timeoutMs, pollMs);
}

export interface SchedulerWorld extends SimWorld {
  /** Every decision the scheduler made, with its virtual time. */
  readonly outcomes: (SchedulingOutcome & { readonly at: number })[];
  /** Starts the scheduler (call before or during drive). */
  startScheduler(options?: SchedulerOptions): void;
}

export function schedulerWorld(seed: number, network: SimNetworkOptions = { minDelayMs: 1, maxDelayMs: 20 }): SchedulerWorld {
  const world = createSimWorld({ seed, network });
  const outcomes: (SchedulingOutcome & { at: number })[] = [];
  return {
    ...world,
    outcomes,
    startScheduler(options: SchedulerOptions = {}) {
      world.spawn('scheduler', IDENTITIES.scheduler, async (env, client) => {
        const scheduler = new Scheduler(env, client, options);
        scheduler.onOutcome((o) => outcomes.push({ ...o, at: env.clock.now() }));
        scheduler.start();
        await env.timers.sleep(Infinity);
      });
    },
  };
}

/** Runs one filter for `p` against every node of a snapshot of `nodes` and `bound` pods: node → reasons. */
export function filterOn(plugin: FilterPlugin, p: Pod, nodes: readonly Node[], bound: readonly Pod[] = [], namespaceLabels?: (ns: string) => Record<string, string> | undefined): Record<string, readonly string[]> {
  const snapshot = buildSnapshot({ nodes, pods: bound, ...(namespaceLabels ? { namespaceLabels } : {}) });
  const info = podInfoOf(p);
  return Object.fromEntries(snapshot.nodes.map((n) => [n.name, plugin.filter(info, n, snapshot)]));
}

/** Runs one score plugin (normalised) for `p` against every node: node → score. */
export function scoreOn(plugin: ScorePlugin, p: Pod, nodes: readonly Node[], bound: readonly Pod[] = []): Record<string, number> {
  const snapshot = buildSnapshot({ nodes, pods: bound });
  const info = podInfoOf(p);
  const raw = snapshot.nodes.map((n) => plugin.score(info, n, snapshot));
  const scores = plugin.normalize ? plugin.normalize(raw) : raw;
  return Object.fromEntries(snapshot.nodes.map((n, i) => [n.name, scores[i] as number]));
}

/** `p` as bound to `nodeName`. */
export function boundTo(p: Pod, nodeName: string): Pod {
  return { ...p, spec: { containers: [], ...p.spec, nodeName } };
}
