// Records what an observer sees: one watch per resource kind from a list's resourceVersion,
// re-watching (as a new stream) whenever a stream ends or breaks, with each event reduced to
// the ObjectSummary invariants read. The sim target watches every namespace until its
// process dies; the live targets scope namespaced kinds to the run's namespace, record the
// list's items as initial state, and stop (or reset) their streams through ObservedStreams.

import type { Env } from '../../impl/env/env.js';
import { isGone, type ApiClient, type ApiObject, type WatchStream } from '../../impl/client/api-client.js';
import { DEPLOYMENTS, NODES, PODS, REPLICASETS, type ResourceRef } from '../../impl/client/resources.js';
import type { WatchObservation, WatchScope } from '../history/history.js';
import { summarize } from '../history/summarize.js';

export const OBSERVED: readonly ResourceRef[] = [PODS, REPLICASETS, DEPLOYMENTS, NODES];

/**
 * The streams a live observer holds open, shared with its harness: closing them is how a run
 * ends its observers, and whether all are connected tells the harness that silence on them
 * means quiet rather than a broken watch.
 */
export class ObservedStreams {
  private readonly open = new Set<WatchStream<ApiObject>>();
  private done = false;

  get stopped(): boolean {
    return this.done;
  }

  /** How many streams are open now. */
  get connected(): number {
    return this.open.size;
  }

  add(stream: WatchStream<ApiObject>): void {
    if (this.done) stream.close();
    else this.open.add(stream);
  }

  remove(stream: WatchStream<ApiObject>): void {
    this.open.delete(stream);
  }

  /** Ends observing: open streams close and no new one opens. */
  stop(): void {
    this.done = true;
    for (const s of [...this.open]) s.close();
    this.open.clear();
  }
}

export interface ObserveOptions {
  /** Watch this namespace only (namespaced kinds); absent: every namespace. */
  readonly namespace?: string;
  /**
   * Record each list's items as synthetic initial ADDED events (state, not changes), so
   * objects that existed before the watch (a live cluster's Nodes) are known to checkers.
   */
  readonly recordInitial?: boolean;
  /**
   * Live observers: register streams here, stop when it is stopped, and after a stream ends
   * or breaks (or the server is briefly unreachable) resume from the last resourceVersion
   * seen, relisting only when the server says it is gone (410, or an ERROR event), as
   * client-go's reflector does.
   */
  readonly streams?: ObservedStreams;
  /**
   * Start the first watch after this resourceVersion instead of at a list's: "1" replays
   * every write since the store began (an etcd-style store keeps them until compacted), so
   * objects created before the observer started (Nodes registered at boot) are seen from
   * their creation, every version. Relists after a failure start from the list as usual.
   */
  readonly fromResourceVersion?: string;
}

/** Watches `resource` until the process dies (or `options.streams` stops), recording every event. */
export async function observe(
  env: Pick<Env, 'clock' | 'timers'>,
  client: ApiClient,
  resource: ResourceRef,
  observer: string,
  out: WatchObservation[],
  options: ObserveOptions = {},
): Promise<void> {
  const namespace = resource.namespaced ? options.namespace : undefined;
  const control = options.streams;
  let streams = 0;
  let rv: string | undefined = options.fromResourceVersion;
  while (!control?.stopped) {
    try {
      if (rv === undefined) {
        const list = await client.list<ApiObject>(resource, namespace);
        rv = list.resourceVersion;
        if (options.recordInitial) {
          const stream = `${observer}/${resource.plural}/${streams}`;
          const scope = scopeOf(resource, namespace, rv);
          for (const item of list.items) {
            out.push({ observer, stream, scope, initial: true, time: env.clock.now(), type: 'ADDED', object: summarize(resource.kind, item as Record<string, unknown>) });
          }
        }
      }
      if (control?.stopped) return;
      const stream = `${observer}/${resource.plural}/${streams++}`;
      const scope = scopeOf(resource, namespace, rv);
      const watch = await client.watch<ApiObject>(resource, namespace, { resourceVersion: rv });
      control?.add(watch);
      try {
        for await (const e of watch) {
          if (e.type === 'ERROR') {
            rv = undefined;
            break;
          }
          if (e.type === 'BOOKMARK') continue;
          const summary = summarize(resource.kind, e.object as Record<string, unknown>);
          rv = String(summary.resourceVersion);
          out.push({ observer, stream, scope, time: env.clock.now(), type: e.type, object: summary });
        }
      } finally {
        // The event stream closes itself when iteration ends; a live observer also forgets it.
        control?.remove(watch);
      }
    } catch (e) {
      // The sim observer relists after any failure; a live one resumes from where it was.
      if (!control || isGone(e)) rv = undefined;
      if (control?.stopped) return;
      await env.timers.sleep(500);
    }
  }
}

function scopeOf(resource: ResourceRef, namespace: string | undefined, rv: string): WatchScope {
  return { resource: resource.plural, ...(namespace !== undefined ? { namespace } : {}), resourceVersion: Number(rv) };
}
