// Pod garbage collection of orphaned pods (upstream's podgc gcOrphaned): a pod bound to a
// node that no longer exists has no kubelet to run or finish it, so once the node has been
// gone for a quarantine period (confirmed by a fresh read, not just the cache) the pod is
// deleted at once (grace period 0), terminating or not. The quarantine spares pods bound to
// a node that is about to register.

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { ApiClient, isNotFound, type ApiObject } from '../../client/api-client.js';
import type { ControllerLoop } from '../../client/controller-loop.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { objectKey } from '../../client/informer.js';
import { NODES, PODS } from '../../client/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Millis } from '../../env/clock.js';
import type { Env } from '../../env/env.js';

export interface PodGCOptions {
  /** How long a node must have been missing before its pods are deleted (upstream 40 s). */
  readonly quarantineMs?: number;
  readonly retryMaxMs?: number;
}

export const DEFAULT_POD_GC_QUARANTINE_MS = 40_000;

export class PodGCController implements ControllerLoop {
  readonly name = 'pod-garbage-collector';
  /** Pod keys whose node may be gone. */
  readonly queue: WorkQueue<string>;
  sync: (key: string) => Promise<void> = (key) => this.syncPod(key);
  /** When each missing node was first confirmed missing (cleared when it appears). */
  private readonly missingSince = new Map<string, Millis>();

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    private readonly nodes: Informer<Node>,
    private readonly pods: Informer<Pod>,
    private readonly recorder: EventRecorder,
    private readonly options: PodGCOptions = {},
  ) {
    this.queue = new WorkQueue<string>(env.timers, { maxMs: options.retryMaxMs ?? 30_000 });
    pods.on({ add: (p) => this.podChanged(p), update: (_old, p) => this.podChanged(p) });
    nodes.on({
      add: (n) => this.missingSince.delete(n.metadata?.name ?? ''),
      delete: (n) => {
        const name = n.metadata?.name ?? '';
        for (const p of this.pods.list()) if (p.spec?.nodeName === name) this.queue.add(objectKey(p));
      },
    });
  }

  private podChanged(pod: Pod): void {
    const node = pod.spec?.nodeName;
    if (node && !this.nodes.get(node)) this.queue.add(objectKey(pod));
  }

  private get quarantineMs(): Millis {
    return this.options.quarantineMs ?? DEFAULT_POD_GC_QUARANTINE_MS;
  }

  private async syncPod(key: string): Promise<void> {
    const pod = this.pods.get(key);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || this.nodes.get(nodeName)) return;
    try {
      await this.client.get(NODES, undefined, nodeName);
      this.missingSince.delete(nodeName);
      return;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const now = this.env.clock.now();
    const since = this.missingSince.get(nodeName) ?? now;
    this.missingSince.set(nodeName, since);
    if (now - since < this.quarantineMs) {
      this.queue.addAfter(key, since + this.quarantineMs - now);
      return;
    }
    const m = pod.metadata ?? {};
    try {
      await this.client.delete(PODS, m.namespace, m.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: m.uid ?? '' } });
      this.recorder.event(pod as ApiObject, 'Normal', 'PodGC', `Deleted orphaned pod: node ${nodeName} no longer exists`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
