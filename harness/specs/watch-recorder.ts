// Records what an observer of a live cluster sees while a spec runs: one watch per kind
// (pods, ReplicaSets and Deployments of the spec's namespace; nodes), re-watching from the
// last resourceVersion when a stream ends, each event summarised as invariants read it.
// The live counterpart of harness/targets/history-recorder.ts, which needs a sim Env.

import type { ApiClient, ApiObject, WatchStream } from '../../impl/client/api-client.js';
import { DEPLOYMENTS, NODES, PODS, REPLICASETS, type ResourceRef } from '../../impl/client/resources.js';
import type { WatchObservation } from '../history/history.js';
import { summarize } from '../history/summarize.js';

const RESOURCES: readonly ResourceRef[] = [PODS, REPLICASETS, DEPLOYMENTS, NODES];

export class WatchRecorder {
  private stopped = false;
  private readonly open = new Set<WatchStream<ApiObject>>();
  private readonly loops: Promise<void>[];

  constructor(
    private readonly client: ApiClient,
    private readonly namespace: string,
    private readonly out: WatchObservation[],
    private readonly observer = 'observer',
  ) {
    this.loops = RESOURCES.map((r) => this.watch(r));
  }

  private async watch(resource: ResourceRef): Promise<void> {
    const ns = resource.namespaced ? this.namespace : undefined;
    let streams = 0;
    let rv: string | undefined;
    while (!this.stopped) {
      try {
        if (rv === undefined) rv = (await this.client.list(resource, ns)).resourceVersion;
        const stream = `${this.observer}/${resource.plural}/${streams++}`;
        const scope = { resource: resource.plural, ...(ns ? { namespace: ns } : {}), resourceVersion: Number(rv) };
        const watch = await this.client.watch<ApiObject>(resource, ns, { resourceVersion: rv });
        this.open.add(watch);
        try {
          for await (const e of watch) {
            if (e.type === 'ERROR') {
              rv = undefined;
              break;
            }
            if (e.type === 'BOOKMARK') continue;
            const object = summarize(resource.kind, e.object as Record<string, unknown>);
            rv = String(object.resourceVersion);
            this.out.push({ observer: this.observer, stream, scope, time: Date.now(), type: e.type, object });
          }
        } finally {
          this.open.delete(watch);
        }
      } catch {
        rv = undefined;
        if (!this.stopped) await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.open) w.close();
    await Promise.all(this.loops);
  }
}
