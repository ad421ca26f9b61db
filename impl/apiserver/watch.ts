// Watch streams: every change after a resourceVersion as ADDED/MODIFIED/DELETED events, one
// JSON object per line, filtered by label and field selectors (an object leaving the
// selection is DELETED, entering it ADDED), with optional BOOKMARKs, timeoutSeconds, and
// 410 Gone when the requested resourceVersion was compacted away.

import type { TimerHandle } from '../env/timers.js';
import type { Revision, WatchEvent } from '../store/store.js';
import { StoreError } from '../store/store.js';
import { AsyncQueue } from '../util/async-queue.js';
import type { ResponseStream } from '../env/http.js';
import { decodeObject } from './object-store.js';
import { apiVersionOf, type KubeObject } from './resource-type.js';
import type { RequestContext } from './request-context.js';
import { listObjects, parseResourceVersion, withTypeMeta } from './rest.js';
import { listSelection } from './selection.js';
import { ApiError } from './status.js';
import { tableColumns, toTable, type IncludeObject } from './table.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchOptions {
  /** Emit each object as a one-row Table (kubectl get -w). */
  readonly table: boolean;
  readonly bookmarkIntervalMs: number;
  /** Upper bound of a watch without timeoutSeconds. */
  readonly defaultTimeoutMs: number;
}

export async function watch(ctx: RequestContext, options: WatchOptions): Promise<ResponseStream> {
  const q = ctx.req.query;
  const t = ctx.type;
  const selection = listSelection(t, q);
  const namespace = t.namespaced ? ctx.info.namespace : undefined;
  const objects = ctx.services.objects;
  const { timers, clock } = ctx.services;
  const requested = parseResourceVersion(q.resourceVersion);
  const timeoutSeconds = q.timeoutSeconds !== undefined ? Number(q.timeoutSeconds) : undefined;
  if (timeoutSeconds !== undefined && (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0)) {
    throw ApiError.badRequest(`invalid timeoutSeconds "${q.timeoutSeconds}"`);
  }
  const bookmarks = q.allowWatchBookmarks === 'true';
  const include: IncludeObject = q.includeObject === 'Object' ? 'Object' : q.includeObject === 'None' ? 'None' : 'Metadata';
  const columns = tableColumns(t.strategy);
  let firstTable = true;

  const render = (type: WatchEventType, obj: KubeObject): string => {
    let object: unknown = withTypeMeta(t, obj);
    if (options.table && type !== 'BOOKMARK' && type !== 'ERROR') {
      object = toTable([obj], columns, { now: clock.now() }, { include, withColumns: firstTable, ...(obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}) });
      firstTable = false;
    }
    return `${JSON.stringify({ type, object })}\n`;
  };

  // Where the stream starts: synthetic ADDED events for the current state when no
  // resourceVersion (or "0") is given, else only changes after the given one.
  const initial: KubeObject[] = [];
  let from: Revision;
  if (requested === undefined || requested === 0) {
    const listed = await listObjects({ ...ctx, req: { ...ctx.req, query: { labelSelector: q.labelSelector ?? '', fieldSelector: q.fieldSelector ?? '' } } }, selection);
    initial.push(...listed.items);
    from = Number(listed.resourceVersion);
  } else {
    from = requested;
    const current = await objects.revision();
    if (from < current) {
      try {
        await objects.list(t, namespace, { revision: from, limit: 1 });
      } catch (e) {
        if (e instanceof StoreError && e.code === 'compacted') {
          throw ApiError.gone(`too old resource version: ${from} (${e.compactRevision ?? 0})`);
        }
        throw e;
      }
    }
  }

  const store = await objects.watch(t, namespace, from + 1);
  const timerHandles: TimerHandle[] = [];
  const stop = () => {
    store.cancel();
    for (const h of timerHandles) timers.cancel(h);
  };
  const out = new AsyncQueue<string>(stop);
  let lastRevision = from;
  for (const o of initial) out.push(render('ADDED', o));

  const dropsEvents = ctx.services.mutants['watch-drops-events'] === true;
  let delivered = 0;
  const toEvent = (e: WatchEvent): string | undefined => {
    const line = toEventLine(e);
    if (line && dropsEvents && ++delivered % 7 === 0) return undefined;
    return line;
  };
  const toEventLine = (e: WatchEvent): string | undefined => {
    const now = e.type === 'put' ? decodeObject(e.kv) : undefined;
    const before = e.prevKv ? decodeObject(e.prevKv) : undefined;
    const was = before !== undefined && selection.matches(before);
    // Deleted, or leaving the selection: upstream sends the last state the watcher selected,
    // at the revision of the change (its etcd3 watcher and cacher alike).
    const gone = () => (before ? render('DELETED', { ...before, metadata: { ...before.metadata, resourceVersion: String(e.kv.modRevision) } }) : undefined);
    if (e.type === 'delete') return was ? gone() : undefined;
    const is = now !== undefined && selection.matches(now);
    if (is && now) return render(was ? 'MODIFIED' : 'ADDED', now);
    if (was) return gone();
    return undefined;
  };

  void (async () => {
    try {
      for await (const batch of store) {
        for (const e of batch.events) {
          const line = toEvent(e);
          if (line) out.push(line);
        }
        lastRevision = batch.revision;
      }
      out.end();
    } catch (e) {
      if (e instanceof StoreError && e.code === 'compacted') {
        out.push(`${JSON.stringify({ type: 'ERROR', object: ApiError.gone(`too old resource version: ${lastRevision} (${e.compactRevision ?? 0})`).toStatus() })}\n`);
        out.end();
      } else out.fail(e);
      stop();
    }
  })();

  const timeoutMs = timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds * 1000 : options.defaultTimeoutMs;
  timerHandles.push(
    timers.setTimer(timeoutMs, () => {
      stop();
      out.end();
    }),
  );
  if (bookmarks) {
    const tick = () => {
      out.push(render('BOOKMARK', { apiVersion: apiVersionOf(t), kind: t.kind, metadata: { resourceVersion: String(lastRevision) } }));
      timerHandles.push(timers.setTimer(options.bookmarkIntervalMs, tick));
    };
    timerHandles.push(timers.setTimer(options.bookmarkIntervalMs, tick));
  }
  return {
    [Symbol.asyncIterator]: () => out,
    close: () => {
      stop();
      out.end();
    },
  };
}
