// Recovery from a damaged write-ahead log: whatever byte the log is cut at, or wherever its
// tail is garbled, the reopened store holds exactly the writes whose records are whole.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryAppendLog } from '../env/append-log.js';
import { EmbeddedStore } from './embedded-store.js';
import { ManualTime } from './manual-time.js';
import type { WatchResponse } from './store.js';
import { intendedHistory, performCrashWrite } from './wal-crash-workload.js';

async function open(log: MemoryAppendLog): Promise<EmbeddedStore> {
  const time = new ManualTime();
  return EmbeddedStore.open({ clock: time, timers: time, log });
}

describe('recovery from a damaged log', () => {
  it('applies exactly the whole records before a cut or a garbled byte', async () => {
    const log = new MemoryAppendLog();
    const store = await open(log);
    const WRITES = 60;
    // Concurrent writers, as in production: the records still land in revision order.
    await Promise.all(Array.from({ length: WRITES }, (_, i) => performCrashWrite(store, i)));
    await store.close();
    const intact = log.bytes();

    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.option(fc.nat(), { nil: undefined }), async (cutPick, flipPick) => {
        const damaged = intact.slice(0, cutPick % (intact.length + 1));
        if (flipPick !== undefined && damaged.length > 0) {
          const at = flipPick % damaged.length;
          damaged[at] = (damaged[at] as number) ^ 0x01;
        }
        const reopened = await open(new MemoryAppendLog(damaged));
        const revision = await reopened.revision();
        const applied = revision - 1;
        expect(applied).toBeLessThanOrEqual(WRITES);
        const { state, events } = intendedHistory(applied);
        const history: WatchResponse[] = [];
        if (applied > 0) {
          for await (const response of await reopened.watch({ key: '', prefix: true, startRevision: 2 })) {
            history.push(response);
            if (response.revision === revision) break;
          }
        }
        expect(history.map((response) => response.events)).toEqual(events);
        const all = await reopened.range({ key: '', prefix: true });
        expect(new Map(all.kvs.map((kv) => [kv.key, kv]))).toEqual(state);
        // The store keeps working after recovery: the next write gets the next revision.
        expect(await performCrashWrite(reopened, applied)).toBe(revision + 1);
        await reopened.close();
      }),
      { numRuns: 200 },
    );
  });
});
