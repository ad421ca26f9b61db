// Registers the kubelet's Node and keeps its status current, as upstream's node status
// loop: registration creates the Node (or, if it exists, reconciles its labels), then every
// nodeStatusUpdateFrequency the status is computed against the Node the API holds and
// posted when anything changed (a node controller's Unknown included) or when
// nodeStatusReportFrequency has passed since the last post.

import type { Node } from 'kubernetes-types/core/v1.js';
import type { Env } from '../env/env.js';
import type { Millis } from '../env/clock.js';
import { isAlreadyExists, isConflict, isNotFound, type ApiClient, type ApiObject } from '../client/api-client.js';
import type { EventRecorder } from '../client/event-recorder.js';
import { NODES } from '../client/resources.js';
import { defaultNodeLabels, nodeStatus, nodeStatusChanged, registrationNode, type NodeDescription } from './node-object.js';
import { stableJson } from './stable-json.js';

/** Wait between failed registration attempts. */
const REGISTER_RETRY_MS = 1_000;

export class NodeStatusReporter {
  private lastPostedAt: Millis | undefined;
  /** Whether the Starting event was recorded (once per kubelet). */
  private started = false;

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    private readonly node: NodeDescription,
    private readonly updateFrequencyMs: Millis,
    private readonly reportFrequencyMs: Millis,
    /** The Node as the kubelet's node informer last saw it. */
    private readonly cached: () => Node | undefined,
    private readonly recorder: EventRecorder,
    private readonly onError: (what: string, error: unknown) => void,
  ) {}

  /** Creates the Node, or adopts the existing one; retries until the API server answers. */
  async register(): Promise<Node> {
    for (;;) {
      try {
        return await this.registerOnce();
      } catch (e) {
        this.onError('registering the node', e);
        await this.env.timers.sleep(REGISTER_RETRY_MS);
      }
    }
  }

  /** Posts the status every update period when due; runs until the process ends. */
  start(): void {
    void (async () => {
      for (;;) {
        await this.env.timers.sleep(this.updateFrequencyMs);
        try {
          await this.update();
        } catch (e) {
          this.onError('updating the node status', e);
        }
      }
    })();
  }

  private async registerOnce(): Promise<Node> {
    const name = this.node.nodeName;
    try {
      const created = await this.client.create<Node>(NODES, undefined, registrationNode(this.node, this.env.clock.now()));
      this.lastPostedAt = this.env.clock.now();
      this.nodeEvents(created, undefined);
      return created;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    let existing = await this.client.get<Node>(NODES, undefined, name);
    const labels = { ...existing.metadata?.labels, ...defaultNodeLabels(name), ...this.node.labels };
    if (stableJson(labels) !== stableJson(existing.metadata?.labels ?? {})) {
      existing = await this.client.update<Node>(NODES, { ...existing, metadata: { ...existing.metadata, labels } });
    }
    return this.post(existing);
  }

  /** Posts the status if it changed or the report period is over. */
  private async update(): Promise<void> {
    let current = this.cached();
    if (!current) {
      try {
        current = await this.client.get<Node>(NODES, undefined, this.node.nodeName);
      } catch (e) {
        // Someone deleted our Node: register again.
        if (isNotFound(e)) await this.registerOnce();
        else throw e;
        return;
      }
    }
    const now = this.env.clock.now();
    const due = this.lastPostedAt === undefined || now - this.lastPostedAt >= this.reportFrequencyMs;
    if (!due && !nodeStatusChanged(current.status, nodeStatus(this.node, current.status, now))) return;
    await this.post(current);
  }

  private async post(node: Node): Promise<Node> {
    let current = node;
    for (let attempt = 0; ; attempt++) {
      const status = { ...current.status, ...nodeStatus(this.node, current.status, this.env.clock.now()) };
      try {
        const updated = await this.client.update<Node>(NODES, { ...current, status }, 'status');
        this.lastPostedAt = this.env.clock.now();
        this.nodeEvents(updated, current);
        return updated;
      } catch (e) {
        if (!isConflict(e) || attempt >= 3) throw e;
        current = await this.client.get<Node>(NODES, undefined, this.node.nodeName);
      }
    }
  }

  /** The Node's events kubectl describe shows: the kubelet starting, and the node becoming Ready. */
  private nodeEvents(now: Node, before: Node | undefined): void {
    const ref = { ...(now as ApiObject), kind: 'Node', apiVersion: 'v1' };
    const readyBefore = before?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    if (!this.started) {
      this.started = true;
      this.recorder.event(ref, 'Normal', 'Starting', 'Starting kubelet.');
    }
    if (readyBefore !== 'True') this.recorder.event(ref, 'Normal', 'NodeReady', `Node ${this.node.nodeName} status is now: NodeReady`);
  }
}
