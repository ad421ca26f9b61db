// Records what an observer sees: one watch per resource kind from a list's resourceVersion,
// re-watching (as a new stream) whenever a stream ends or breaks, with each event reduced to
// the ObjectSummary invariants read.

import type { Env } from '../../impl/env/env.js';
import type { ApiClient, ApiObject } from '../../impl/client/api-client.js';
import { DEPLOYMENTS, NODES, PODS, REPLICASETS, type ResourceRef } from '../../impl/client/resources.js';
import type { WatchObservation } from '../history/history.js';
import { summarize } from '../history/summarize.js';

export const OBSERVED: readonly ResourceRef[] = [PODS, REPLICASETS, DEPLOYMENTS, NODES];

/** Watches `resource` forever (until the process dies), recording every event. */
export async function observe(env: Env, client: ApiClient, resource: ResourceRef, observer: string, out: WatchObservation[]): Promise<void> {
  let streams = 0;
  let rv: string | undefined;
  for (;;) {
    try {
      if (rv === undefined) rv = (await client.list(resource)).resourceVersion;
      const stream = `${observer}/${resource.plural}/${streams++}`;
      const scope = { resource: resource.plural, resourceVersion: Number(rv) };
      const watch = await client.watch<ApiObject>(resource, undefined, { resourceVersion: rv });
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
    } catch {
      rv = undefined;
      await env.timers.sleep(500);
    }
  }
}
