// The controller-manager: one process running every controller of the reference over one
// set of shared informers — ReplicaSet, Deployment, node lifecycle, taint eviction, node
// IPAM, pod GC, garbage collector and namespace. It talks to the API server only through the
// ApiClient it is given and gets time from its Env, so the same code runs in the sim kernel
// and as a live process. Mutant switches (mutants.ts) pass through to the controllers.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { ApiClient, ApiObject } from '../client/api-client.js';
import { runControllerLoop, type ControllerLoop } from '../client/controller-loop.js';
import { ApiEventRecorder, type EventRecorder } from '../client/event-recorder.js';
import { DEPLOYMENTS, LEASES, NAMESPACES, NODES, PODS, REPLICASETS, SERVICES, type ResourceRef } from '../client/resources.js';
import type { Env } from '../env/env.js';
import { DeploymentController } from './deployment/deployment-controller.js';
import { GarbageCollector } from './gc/garbage-collector.js';
import type { ControllerMutants } from './mutants.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { NodeIpamController } from './node/node-ipam-controller.js';
import { NodeLifecycleController } from './node/node-lifecycle-controller.js';
import { PodGCController } from './node/pod-gc-controller.js';
import { TaintEvictionController } from './node/taint-eviction-controller.js';
import { ReplicaSetController } from './replicaset/replicaset-controller.js';
import { SharedInformers } from './shared-informers.js';

/** The controllers by the names upstream's --controllers flag uses. */
export const CONTROLLER_NAMES = ['replicaset', 'deployment', 'nodelifecycle', 'taint-eviction-controller', 'nodeipam', 'podgc', 'garbagecollector', 'namespace'] as const;
export type ControllerName = (typeof CONTROLLER_NAMES)[number];

export interface ControllerManagerOptions {
  /** Silence after which a node is marked Unknown (upstream 40 s). */
  readonly nodeMonitorGracePeriodMs?: number;
  /** How often node heartbeats are checked (upstream 5 s). */
  readonly nodeMonitorPeriodMs?: number;
  // Upstream's pod eviction timeout has no option here: pods leave unreachable or not-ready
  // nodes after their tolerationSeconds, and the API server gives every pod default
  // tolerations of its defaultTolerationSeconds, so that is where the timeout is set.
  /** Concurrent syncs per controller (upstream --concurrent-*-syncs, 5). */
  readonly workers?: number;
  /** Informer resync: every cached object is re-delivered this often (0: never; default 30 s). */
  readonly resyncMs?: number;
  /** ReplicaSet expectations expire after this long (upstream 5 min). */
  readonly expectationsTimeoutMs?: number;
  /** Pods on a deleted node are deleted after the node has been gone this long (upstream 40 s). */
  readonly podGCQuarantineMs?: number;
  readonly clusterCIDR?: string;
  readonly nodeCIDRMaskSize?: number;
  /** Largest back-off between retries of a failing key. */
  readonly retryMaxMs?: number;
  /** Which controllers to run (default: all). */
  readonly controllers?: readonly ControllerName[];
  /** Behaviour switches for mutation testing; all off in the reference. */
  readonly mutants?: ControllerMutants;
  /** Writes events (default: through the client, as component "controller-manager" sources). */
  readonly recorder?: (component: string) => EventRecorder;
}

export interface ControllerManager {
  /** Resolves once every informer has listed and the workers run. */
  readonly ready: Promise<void>;
  /** The running controllers, by name (tests reach their queues and expectations). */
  readonly controllers: ReadonlyMap<ControllerName, ControllerLoop>;
  /** Stops informers, timers and workers; `stopped` then resolves. */
  stop(): void;
  readonly stopped: Promise<void>;
}

/**
 * Upstream resyncs every 12 h or so; a shorter period costs only cache walks here, and a
 * periodic resync is what rescues a key whose last sync failed without a retry.
 */
export const DEFAULT_RESYNC_MS = 30_000;

/** Resources whose ownerReferences the garbage collector follows (and whose owners it judges). */
const GC_RESOURCES: readonly ResourceRef[] = [PODS, REPLICASETS, DEPLOYMENTS, SERVICES, NODES, NAMESPACES, LEASES];

/** Source components of events, as upstream names them. */
const COMPONENTS: Readonly<Record<ControllerName, string>> = {
  replicaset: 'replicaset-controller',
  deployment: 'deployment-controller',
  nodelifecycle: 'node-controller',
  'taint-eviction-controller': 'taint-eviction-controller',
  nodeipam: 'cidrAllocator',
  podgc: 'pod-garbage-collector',
  garbagecollector: 'garbage-collector-controller',
  namespace: 'namespace-controller',
};

export function runControllerManager(env: Env, client: ApiClient, options: ControllerManagerOptions = {}): ControllerManager {
  const informers = new SharedInformers(env, client, { resyncMs: options.resyncMs ?? DEFAULT_RESYNC_MS });
  const enabled = new Set<ControllerName>(options.controllers ?? CONTROLLER_NAMES);
  const recorder = options.recorder ?? ((component: string) => new ApiEventRecorder(client, env.clock, { component }));
  const common = { ...(options.retryMaxMs !== undefined ? { retryMaxMs: options.retryMaxMs } : {}), ...(options.mutants ? { mutants: options.mutants } : {}) };
  const pods = () => informers.informer<Pod>(PODS);
  const nodes = () => informers.informer<Node>(NODES);
  const replicaSets = () => informers.informer<ReplicaSet>(REPLICASETS);
  const controllers = new Map<ControllerName, ControllerLoop>();
  const starters: (() => void)[] = [];
  const stoppers: (() => void)[] = [];
  const build: Record<ControllerName, () => ControllerLoop> = {
    replicaset: () =>
      new ReplicaSetController(env, client, replicaSets(), pods(), recorder(COMPONENTS.replicaset), {
        ...common,
        ...(options.expectationsTimeoutMs !== undefined ? { expectationsTimeoutMs: options.expectationsTimeoutMs } : {}),
      }),
    deployment: () => new DeploymentController(env, client, informers.informer<Deployment>(DEPLOYMENTS), replicaSets(), pods(), recorder(COMPONENTS.deployment), common),
    nodelifecycle: () => {
      const c = new NodeLifecycleController(env, client, nodes(), informers.informer<Lease>(LEASES, 'kube-node-lease'), pods(), recorder(COMPONENTS.nodelifecycle), {
        ...common,
        ...(options.nodeMonitorGracePeriodMs !== undefined ? { nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs } : {}),
        ...(options.nodeMonitorPeriodMs !== undefined ? { nodeMonitorPeriodMs: options.nodeMonitorPeriodMs } : {}),
      });
      starters.push(() => c.start());
      stoppers.push(() => c.stop());
      return c;
    },
    'taint-eviction-controller': () => new TaintEvictionController(env, client, nodes(), pods(), recorder(COMPONENTS['taint-eviction-controller']), common),
    nodeipam: () =>
      new NodeIpamController(env, client, nodes(), recorder(COMPONENTS.nodeipam), {
        ...common,
        ...(options.clusterCIDR !== undefined ? { clusterCIDR: options.clusterCIDR } : {}),
        ...(options.nodeCIDRMaskSize !== undefined ? { nodeCIDRMaskSize: options.nodeCIDRMaskSize } : {}),
      }),
    podgc: () =>
      new PodGCController(env, client, nodes(), pods(), recorder(COMPONENTS.podgc), {
        ...common,
        ...(options.podGCQuarantineMs !== undefined ? { quarantineMs: options.podGCQuarantineMs } : {}),
      }),
    garbagecollector: () =>
      new GarbageCollector(
        env,
        client,
        GC_RESOURCES.map((resource) => ({ resource, informer: informers.informer<ApiObject>(resource) })),
        common,
      ),
    namespace: () => new NamespaceController(env, client, informers.informer<Namespace>(NAMESPACES), common),
  };
  for (const name of CONTROLLER_NAMES) if (enabled.has(name)) controllers.set(name, build[name]());

  let stop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (stop = resolve));
  informers.start();
  // Workers start only once every cache is full: a sync on a half-listed cache would see
  // pods missing and create them again.
  let running = false;
  const ready = informers.waitForSync().then(() => {
    running = true;
    for (const start of starters) start();
  });
  const workers = ready.then(() => Promise.all([...controllers.values()].map((c) => runControllerLoop(c, options.workers ?? 2))));
  const stopped = stopRequested.then(async () => {
    informers.stop();
    for (const s of stoppers) s();
    for (const c of controllers.values()) c.queue.shutdown();
    if (running) await workers;
  });
  return { ready, controllers, stop, stopped };
}
