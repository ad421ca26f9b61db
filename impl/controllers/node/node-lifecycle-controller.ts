// The node lifecycle controller: watches each node's heartbeats (its Lease in
// kube-node-lease and the Ready condition's lastHeartbeatTime) and, when none arrives for the
// grace period, marks the node's conditions Unknown ("Kubelet stopped posting node status.").
// sync(node) keeps the node's taints in line with its conditions (node-taints.ts): an
// unreachable or not-ready node gets NoSchedule and NoExecute taints, a Ready one loses them;
// the NoExecute taints are what the taint eviction controller evicts pods by. When a node
// stops being Ready its pods are marked not Ready, so their workloads stop counting them.

import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition, Pod } from 'kubernetes-types/core/v1.js';
import { metaTime } from '../../api/meta-time.js';
import { ApiClient, isNotFound, type ApiObject } from '../../client/api-client.js';
import type { ControllerLoop } from '../../client/controller-loop.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { NODES, PODS } from '../../client/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Millis } from '../../env/clock.js';
import type { Env } from '../../env/env.js';
import type { TimerHandle } from '../../env/timers.js';
import { mutantOn, type ControllerMutants } from '../mutants.js';
import { desiredTaints, nodeCondition, taintsEqual } from './node-taints.js';

export interface NodeLifecycleOptions {
  /** Silence after which a node's conditions become Unknown (upstream --node-monitor-grace-period, 40 s). */
  readonly nodeMonitorGracePeriodMs?: number;
  /** How often heartbeats are checked (upstream --node-monitor-period, 5 s). */
  readonly nodeMonitorPeriodMs?: number;
  readonly retryMaxMs?: number;
  readonly mutants?: ControllerMutants;
}

export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 40_000;
export const DEFAULT_NODE_MONITOR_PERIOD_MS = 5_000;

/** Conditions a kubelet reports that become Unknown when it falls silent. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * What this controller observed of a node's heartbeats. The times are this controller's
 * own clock readings when a heartbeat changed, never the kubelet's timestamps: a kubelet with
 * a skewed clock must not look alive or dead because of it.
 */
interface NodeHealth {
  /** When a heartbeat (lease renewal or Ready heartbeat) last changed. */
  probeTimestamp: Millis;
  /** The last Ready lastHeartbeatTime seen. */
  heartbeat: string | undefined;
  /** The last lease renewTime seen. */
  leaseRenewTime: string | undefined;
  /** The Ready status of the last sync: marking pods not Ready happens on the way out of True. */
  ready: string | undefined;
}

export class NodeLifecycleController implements ControllerLoop {
  readonly name = 'node-lifecycle-controller';
  /** Node names whose taints (and pods' readiness) may need an update. */
  readonly queue: WorkQueue<string>;
  sync: (key: string) => Promise<void> = (key) => this.syncNode(key);
  private readonly health = new Map<string, NodeHealth>();
  private monitorTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    private readonly nodes: Informer<Node>,
    private readonly leases: Informer<Lease>,
    private readonly pods: Informer<Pod>,
    private readonly recorder: EventRecorder,
    private readonly options: NodeLifecycleOptions = {},
  ) {
    this.queue = new WorkQueue<string>(env.timers, { maxMs: options.retryMaxMs ?? 30_000 });
    nodes.on({
      add: (n) => this.observeNode(n),
      update: (_old, n) => this.observeNode(n),
      delete: (n) => this.health.delete(n.metadata?.name ?? ''),
    });
    leases.on({ add: (l) => this.observeLease(l), update: (_old, l) => this.observeLease(l) });
  }

  private get gracePeriodMs(): Millis {
    return this.options.nodeMonitorGracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS;
  }

  private healthOf(name: string): NodeHealth {
    let h = this.health.get(name);
    if (!h) {
      // First sight (a new node, or this controller just started): a full grace period.
      h = { probeTimestamp: this.env.clock.now(), heartbeat: undefined, leaseRenewTime: undefined, ready: undefined };
      this.health.set(name, h);
    }
    return h;
  }

  private observeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const h = this.healthOf(name);
    const heartbeat = nodeCondition(node, 'Ready')?.lastHeartbeatTime;
    if (heartbeat !== undefined && heartbeat !== h.heartbeat) {
      h.heartbeat = heartbeat;
      h.probeTimestamp = this.env.clock.now();
    }
    this.queue.add(name);
  }

  private observeLease(lease: Lease): void {
    const name = lease.metadata?.name ?? '';
    if (!this.nodes.get(name)) return;
    const h = this.healthOf(name);
    const renew = lease.spec?.renewTime;
    if (renew !== undefined && renew !== h.leaseRenewTime) {
      h.leaseRenewTime = renew;
      h.probeTimestamp = this.env.clock.now();
    }
  }

  /** Starts the heartbeat monitor; workers are run by the caller. */
  start(): void {
    const period = this.options.nodeMonitorPeriodMs ?? DEFAULT_NODE_MONITOR_PERIOD_MS;
    const tick = () => {
      if (this.stopped) return;
      void this.monitorNodeHealth().finally(() => {
        if (!this.stopped) this.monitorTimer = this.env.timers.setTimer(period, tick);
      });
    };
    this.monitorTimer = this.env.timers.setTimer(period, tick);
  }

  stop(): void {
    this.stopped = true;
    if (this.monitorTimer) this.env.timers.cancel(this.monitorTimer);
  }

  /** One monitor pass: every node silent for longer than the grace period is marked Unknown. */
  async monitorNodeHealth(): Promise<void> {
    if (mutantOn(this.options.mutants, 'never-mark-unknown')) return;
    const now = this.env.clock.now();
    await Promise.all(
      this.nodes.list().map(async (node) => {
        const name = node.metadata?.name ?? '';
        if (now - this.healthOf(name).probeTimestamp <= this.gracePeriodMs) return;
        try {
          await this.markUnknown(node, now);
        } catch {
          // A conflict, a node deleted meanwhile, a lost answer: the next pass looks again.
        }
      }),
    );
  }

  private async markUnknown(cached: Node, now: Millis): Promise<void> {
    const conditions = unknownConditions(cached, now);
    if (!conditions) return;
    await this.client.update<Node>(NODES, { ...cached, status: { ...cached.status, conditions } } as Node, 'status');
    // Upstream names a node in events by its name, uid included.
    this.recorder.event({ apiVersion: 'v1', kind: 'Node', name: cached.metadata?.name ?? '', uid: cached.metadata?.name ?? '' }, 'Normal', 'NodeNotReady', `Node ${cached.metadata?.name ?? ''} status is now: NodeNotReady`);
  }

  // ---- sync: taints and pod readiness follow the conditions ----

  private async syncNode(name: string): Promise<void> {
    const node = this.nodes.get(name);
    if (!node) return;
    const now = this.env.clock.now();
    if (!taintsEqual(node.spec?.taints, desiredTaints(node, now))) await this.updateTaints(name);
    const h = this.healthOf(name);
    const ready = nodeCondition(node, 'Ready')?.status;
    if (h.ready === 'True' && ready !== 'True') await this.markPodsNotReady(name);
    h.ready = ready;
  }

  /** Re-reads the node and writes its taints with a resourceVersion precondition (a conflict retries the key). */
  private async updateTaints(name: string): Promise<void> {
    let fresh: Node;
    try {
      fresh = await this.client.get<Node>(NODES, undefined, name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const taints = desiredTaints(fresh, this.env.clock.now());
    if (taintsEqual(fresh.spec?.taints, taints)) return;
    await this.client.patch(NODES, undefined, name, 'merge', { metadata: { resourceVersion: fresh.metadata?.resourceVersion }, spec: { taints: taints.length > 0 ? taints : null } });
  }

  /** Sets Ready=False on the node's pods, as upstream's MarkPodsNotReady. */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const now = metaTime(this.env.clock.now());
    const errors: unknown[] = [];
    for (const pod of this.pods.list()) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const conditions = pod.status?.conditions ?? [];
      const ready = conditions.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c));
      try {
        await this.client.update<Pod>(PODS, { ...pod, status: { ...pod.status, conditions: next } } as Pod, 'status');
        this.recorder.event(pod as ApiObject, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (e) {
        if (!isNotFound(e)) errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}

/** The node's conditions with the kubelet's ones turned Unknown, or undefined if they already are. */
export function unknownConditions(node: Node, now: Millis): NodeCondition[] | undefined {
  const t = metaTime(now);
  const conditions = [...(node.status?.conditions ?? [])];
  let changed = false;
  for (const type of KUBELET_CONDITIONS) {
    const i = conditions.findIndex((c) => c.type === type);
    const c = conditions[i];
    if (!c) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata?.creationTimestamp ?? t,
        lastTransitionTime: t,
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      conditions[i] = { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: t };
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
