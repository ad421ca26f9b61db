// store-compaction: the store is compacted at its current revision, as the API server's
// periodic etcd compaction does. Watches in progress carry on (etcd cancels only watchers
// behind the compacted revision, and the sim store's watchers never fall behind); what
// changes is that every older resourceVersion is gone, so a client that resumes a watch or
// reads from one afterwards (after a watch-drop, a restart, a partition) gets 410 Gone and
// must relist. The harness reaches the store directly (SimCluster.storeHandle): the
// compaction is the store's own housekeeping, not an API request.

import fc from 'fast-check';
import type { FaultKind } from './fault-kind.js';
import { startTime } from './shape.js';

export const storeCompaction: FaultKind = {
  kind: 'store-compaction',
  description: 'the store is compacted at its current revision; older resourceVersions get 410 Gone',
  arbitrary: (_cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('store-compaction'),
      target: fc.constant('store'),
      durationMs: fc.constant(0),
    }),
  injectSim(ctx, fault) {
    ctx.after(fault.at, async () => {
      const store = ctx.cluster.storeHandle;
      if (!store) return ctx.record('inject', 'no store yet');
      let revision: number | undefined;
      try {
        revision = await store.revision();
        await store.compact(revision);
        ctx.record('inject', `compacted at revision ${revision}`);
      } catch (e) {
        // Already compacted there (two compactions with no write in between): nothing to do.
        ctx.record('inject', `not compacted at revision ${revision ?? '?'}: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  },
};
