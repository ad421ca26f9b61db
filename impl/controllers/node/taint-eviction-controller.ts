// Taint-based eviction (upstream's taint-eviction-controller): a pod on a node with a
// NoExecute taint it does not tolerate is deleted at once; one it tolerates for
// tolerationSeconds is deleted that long after the taint appeared; one it tolerates without
// a limit stays. sync(pod) computes the pod's eviction time from its node's taints and its
// tolerations and either deletes it or looks again at that time; a taint removed before
// then (the node recovered) leaves the pod be.

import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { toleratesTaint } from '../../api/tolerations.js';
import { ApiClient, isNotFound, type ApiObject } from '../../client/api-client.js';
import type { ControllerLoop } from '../../client/controller-loop.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { objectKey } from '../../client/informer.js';
import { PODS } from '../../client/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Millis } from '../../env/clock.js';
import type { Env } from '../../env/env.js';
import { mutantOn, type ControllerMutants } from '../mutants.js';

export interface TaintEvictionOptions {
  readonly retryMaxMs?: number;
  readonly mutants?: ControllerMutants;
}

/**
 * When the pod must be evicted from a node with these NoExecute taints: `now` if some taint
 * is not tolerated, Infinity if every taint is tolerated forever. `since(taint)` is when the
 * taint appeared. Taint times have whole seconds, so a limited toleration ends one second
 * after the last moment the taint can have appeared: never early, at most a second late.
 */
export function evictionTime(taints: readonly Taint[], tolerations: readonly Toleration[], since: (t: Taint) => Millis, now: Millis): Millis {
  let at = Infinity;
  for (const taint of taints) {
    const matching = tolerations.filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return now;
    const seconds = Math.min(...matching.map((t) => t.tolerationSeconds ?? Infinity));
    if (seconds === Infinity) continue;
    at = Math.min(at, seconds <= 0 ? now : since(taint) + seconds * 1000 + 1000);
  }
  return at;
}

export class TaintEvictionController implements ControllerLoop {
  readonly name = 'taint-eviction-controller';
  /** Pod keys (namespace/name) to check against their node's NoExecute taints. */
  readonly queue: WorkQueue<string>;
  sync: (key: string) => Promise<void> = (key) => this.syncPod(key);
  /** When taints without timeAdded (set by hand) were first seen: their tolerations count from then. */
  private readonly firstSeen = new Map<string, Millis>();

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    private readonly nodes: Informer<Node>,
    private readonly pods: Informer<Pod>,
    private readonly recorder: EventRecorder,
    private readonly options: TaintEvictionOptions = {},
  ) {
    this.queue = new WorkQueue<string>(env.timers, { maxMs: options.retryMaxMs ?? 30_000 });
    pods.on({
      add: (p) => this.podChanged(p),
      update: (old, p) => {
        if (old.spec?.nodeName !== p.spec?.nodeName || JSON.stringify(old.spec?.tolerations) !== JSON.stringify(p.spec?.tolerations)) this.podChanged(p);
      },
    });
    nodes.on({
      add: (n) => this.nodeChanged(undefined, n),
      update: (old, n) => this.nodeChanged(old, n),
    });
  }

  private podChanged(pod: Pod): void {
    if (pod.spec?.nodeName) this.queue.add(objectKey(pod));
  }

  private nodeChanged(old: Node | undefined, node: Node): void {
    const before = noExecute(old);
    const after = noExecute(node);
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    const name = node.metadata?.name ?? '';
    for (const p of this.pods.list()) if (p.spec?.nodeName === name) this.queue.add(objectKey(p));
  }

  private taintSince(node: string, taint: Taint, now: Millis): Millis {
    const t = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    if (!Number.isNaN(t)) return t;
    const key = `${node}\u0000${taint.key}\u0000${taint.value ?? ''}`;
    let seen = this.firstSeen.get(key);
    if (seen === undefined) {
      seen = now;
      this.firstSeen.set(key, seen);
    }
    return seen;
  }

  private async syncPod(key: string): Promise<void> {
    const pod = this.pods.get(key);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || pod.metadata?.deletionTimestamp) return;
    const node = this.nodes.get(nodeName);
    if (!node) return;
    const taints = noExecute(node);
    if (taints.length === 0) return;
    const now = this.env.clock.now();
    let at = evictionTime(taints, pod.spec?.tolerations ?? [], (t) => this.taintSince(nodeName, t, now), now);
    if (mutantOn(this.options.mutants, 'ignore-toleration-seconds')) at = now;
    if (at === Infinity) return;
    if (at > now) {
      this.queue.addAfter(key, at - now);
      return;
    }
    const m = pod.metadata ?? {};
    this.recorder.event(pod as ApiObject, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${m.namespace}/${m.name}`);
    try {
      await this.client.delete(PODS, m.namespace, m.name ?? '', { preconditions: { uid: m.uid ?? '' } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

function noExecute(node: Node | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}
