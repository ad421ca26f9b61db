// Hand-written cases for the embedded store's etcd 3.4 semantics. Where etcd behaves in a
// way one might not guess, the case says so; those were checked against etcd 3.4.23.

import { describe, expect, it } from 'vitest';
import { MemoryAppendLog, type AppendLog } from '../env/append-log.js';
import { SeededRandom } from '../env/random.js';
import { EmbeddedStore, type EmbeddedStoreOptions } from './embedded-store.js';
import { ManualTime } from './manual-time.js';
import { StoreError, type KeyValue, type Watch, type WatchResponse } from './store.js';

async function open(options: Partial<EmbeddedStoreOptions> = {}): Promise<{ store: EmbeddedStore; time: ManualTime }> {
  const time = new ManualTime();
  const store = await EmbeddedStore.open({ clock: time, timers: time, ...options });
  return { store, time };
}

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('expected a StoreError');
}

/** Lets queued promise callbacks run (watch delivery, log appends). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Takes the next `n` responses of a watch. */
async function take(watch: Watch, n: number): Promise<WatchResponse[]> {
  const out: WatchResponse[] = [];
  if (n === 0) return out;
  for await (const response of watch) {
    out.push(response);
    if (out.length === n) break;
  }
  return out;
}

/** The responses a watch has received so far. Consumes the watch: call it once per watch. */
async function drain(watch: Watch): Promise<WatchResponse[]> {
  const out: WatchResponse[] = [];
  const iterator = watch[Symbol.asyncIterator]();
  for (;;) {
    const result = await Promise.race([iterator.next(), settle().then(() => 'idle' as const)]);
    if (result === 'idle' || result.done) return out;
    out.push(result.value);
  }
}

function kv(key: string, value: string, createRevision: number, modRevision: number, version: number, lease = '0'): KeyValue {
  return { key, value, createRevision, modRevision, version, lease };
}

function gone(key: string, modRevision: number): KeyValue {
  return { key, value: '', createRevision: 0, modRevision, version: 0, lease: '0' };
}

describe('revisions and versions', () => {
  it('starts at revision 1 with no keys', async () => {
    const { store } = await open();
    expect(await store.revision()).toBe(1);
    expect(await store.range({ key: '', prefix: true })).toEqual({ revision: 1, kvs: [], count: 0, more: false });
  });

  it('counts versions since (re)creation; a delete resets them and recreation gets a new createRevision', async () => {
    const { store } = await open();
    expect(await store.put('a', '1')).toEqual({ revision: 2 });
    expect(await store.put('a', '2', { prevKv: true })).toEqual({ revision: 3, prevKv: kv('a', '1', 2, 2, 1) });
    expect((await store.range({ key: 'a' })).kvs).toEqual([kv('a', '2', 2, 3, 2)]);
    expect(await store.delete({ key: 'a', prevKv: true })).toEqual({ revision: 4, deleted: 1, prevKvs: [kv('a', '2', 2, 3, 2)] });
    expect(await store.put('a', '3')).toEqual({ revision: 5 });
    expect((await store.range({ key: 'a' })).kvs).toEqual([kv('a', '3', 5, 5, 1)]);
  });

  it('does not bump the revision for a delete of nothing', async () => {
    const { store } = await open();
    await store.put('a', '1');
    expect(await store.delete({ key: 'b' })).toEqual({ revision: 2, deleted: 0 });
    expect(await store.delete({ key: 'b', prevKv: true })).toEqual({ revision: 2, deleted: 0, prevKvs: [] });
    expect(await store.revision()).toBe(2);
  });

  it('deletes a range, a prefix and from a key onwards at one revision', async () => {
    const { store } = await open();
    for (const key of ['a', 'b/1', 'b/2', 'c', 'd']) await store.put(key, 'x');
    expect(await store.delete({ key: 'b/', prefix: true })).toMatchObject({ revision: 7, deleted: 2 });
    expect(await store.delete({ key: 'c', end: '\0' })).toMatchObject({ revision: 8, deleted: 2 });
    expect(await store.delete({ key: 'a', end: 'a' })).toMatchObject({ revision: 8, deleted: 0 });
    expect((await store.range({ key: '', prefix: true })).kvs.map((x) => x.key)).toEqual(['a']);
  });

  it('rejects an empty key as etcd does', async () => {
    const { store } = await open();
    expect(await failure(store.put('', 'x'))).toMatchObject({ code: 'invalid', message: 'etcdserver: key is not provided' });
    expect((await failure(store.range({ key: '' }))).code).toBe('invalid');
    expect((await failure(store.range({ key: '', end: '\0' }))).code).toBe('invalid');
    expect((await failure(store.delete({ key: '' }))).code).toBe('invalid');
  });
});

describe('range', () => {
  it('orders keys by their UTF-8 bytes, not UTF-16 code units', async () => {
    const { store } = await open();
    // U+E000 is 0xEE 0x80 0x80 in UTF-8, U+1F600 is 0xF0 ...; in UTF-16 the emoji (0xD83D) sorts first.
    for (const key of ['\u{1F600}', '\uE000', 'z', 'é', 'a']) await store.put(key, 'x');
    const keys = (await store.range({ key: '', prefix: true })).kvs.map((x) => x.key);
    expect(keys).toEqual(['a', 'z', 'é', '\uE000', '\u{1F600}']);
    expect((await store.range({ key: '\uE000', end: '\uE001' })).kvs.map((x) => x.key)).toEqual(['\uE000']);
  });

  it('serves [key, end), prefixes, from-key and single keys', async () => {
    const { store } = await open();
    for (const key of ['a', 'ab', 'abc', 'ac', 'b']) await store.put(key, key.toUpperCase());
    const keys = async (options: Parameters<EmbeddedStore['range']>[0]): Promise<string[]> =>
      (await store.range(options)).kvs.map((x) => x.key);
    expect(await keys({ key: 'ab', prefix: true })).toEqual(['ab', 'abc']);
    expect(await keys({ key: 'a', end: 'ac' })).toEqual(['a', 'ab', 'abc']);
    expect(await keys({ key: 'ab', end: '\0' })).toEqual(['ab', 'abc', 'ac', 'b']);
    expect(await keys({ key: 'ac', end: 'ab' })).toEqual([]);
    expect(await keys({ key: 'abc' })).toEqual(['abc']);
    expect(await keys({ key: 'x' })).toEqual([]);
  });

  it('limits, counts all matches, and says when there is more', async () => {
    const { store } = await open();
    for (const key of ['a', 'b', 'c']) await store.put(key, 'v');
    expect(await store.range({ key: 'a', end: 'z', limit: 2 })).toMatchObject({ count: 3, more: true, revision: 4 });
    expect((await store.range({ key: 'a', end: 'z', limit: 2 })).kvs.map((x) => x.key)).toEqual(['a', 'b']);
    expect(await store.range({ key: 'a', end: 'z', limit: 3 })).toMatchObject({ count: 3, more: false });
    expect(await store.range({ key: 'a', end: 'z', countOnly: true, limit: 1 })).toEqual({ revision: 4, kvs: [], count: 3, more: false });
    expect((await store.range({ key: 'a', keysOnly: true })).kvs).toEqual([kv('a', '', 2, 2, 1)]);
  });

  it('reads at a past revision; a future one or one below the compact revision fails', async () => {
    const { store } = await open();
    await store.put('a', '1');
    await store.put('a', '2');
    await store.delete({ key: 'a' });
    expect(await store.range({ key: 'a', revision: 2 })).toEqual({ revision: 4, kvs: [kv('a', '1', 2, 2, 1)], count: 1, more: false });
    expect((await store.range({ key: 'a', revision: 4 })).kvs).toEqual([]);
    expect((await store.range({ key: 'a', revision: 0 })).kvs).toEqual([]);
    expect(await failure(store.range({ key: 'a', revision: 5 }))).toMatchObject({
      code: 'future-revision',
      message: 'mvcc: required revision is a future revision',
    });
    await store.compact(3);
    expect(await failure(store.range({ key: 'a', revision: 2 }))).toMatchObject({
      code: 'compacted',
      message: 'mvcc: required revision has been compacted',
      compactRevision: 3,
    });
    expect((await store.range({ key: 'a', revision: 3 })).kvs).toEqual([kv('a', '2', 2, 3, 2)]);
  });
});

describe('txn', () => {
  it('writes all its ops at one revision, and later ops read the earlier ones', async () => {
    const { store } = await open();
    await store.put('a', '1');
    const result = await store.txn({
      compare: [{ key: 'a', target: 'value', result: '=', value: '1' }],
      success: [
        { type: 'range', key: 'b' },
        { type: 'put', key: 'b', value: '2', prevKv: true },
        { type: 'range', key: 'a', end: 'c' },
        { type: 'delete', key: 'a', prevKv: true },
        { type: 'range', key: 'a', end: 'c', countOnly: true },
      ],
      failure: [],
    });
    expect(result).toEqual({
      succeeded: true,
      revision: 3,
      responses: [
        { type: 'range', revision: 2, kvs: [], count: 0, more: false },
        { type: 'put', revision: 3 },
        { type: 'range', revision: 3, kvs: [kv('a', '1', 2, 2, 1), kv('b', '2', 3, 3, 1)], count: 2, more: false },
        { type: 'delete', revision: 3, deleted: 1, prevKvs: [kv('a', '1', 2, 2, 1)] },
        { type: 'range', revision: 3, kvs: [], count: 1, more: false },
      ],
    });
  });

  it('does not bump the revision when the taken branch writes nothing', async () => {
    const { store } = await open();
    await store.put('a', '1');
    const result = await store.txn({
      compare: [{ key: 'a', target: 'version', result: '>', value: 5 }],
      success: [{ type: 'put', key: 'a', value: '2' }],
      failure: [{ type: 'delete', key: 'zz' }],
    });
    expect(result).toEqual({ succeeded: false, revision: 2, responses: [{ type: 'delete', revision: 2, deleted: 0 }] });
  });

  it('compares every target; a missing key has version, create, mod and lease 0 and fails a value compare', async () => {
    const { store } = await open();
    await store.put('a', 'm');
    await store.put('a', 'm');
    const holds = async (compare: Parameters<EmbeddedStore['txn']>[0]['compare'][number]): Promise<boolean> =>
      (await store.txn({ compare: [compare], success: [], failure: [] })).succeeded;
    expect(await holds({ key: 'a', target: 'version', result: '=', value: 2 })).toBe(true);
    expect(await holds({ key: 'a', target: 'create', result: '=', value: 2 })).toBe(true);
    expect(await holds({ key: 'a', target: 'mod', result: '>', value: 2 })).toBe(true);
    expect(await holds({ key: 'a', target: 'mod', result: '<', value: 3 })).toBe(false);
    expect(await holds({ key: 'a', target: 'value', result: '<', value: 'n' })).toBe(true);
    expect(await holds({ key: 'a', target: 'value', result: '!=', value: 'm' })).toBe(false);
    expect(await holds({ key: 'a', target: 'lease', result: '=', value: '0' })).toBe(true);
    expect(await holds({ key: 'missing', target: 'version', result: '=', value: 0 })).toBe(true);
    expect(await holds({ key: 'missing', target: 'create', result: '=', value: 0 })).toBe(true);
    expect(await holds({ key: 'missing', target: 'mod', result: '<', value: 1 })).toBe(true);
    expect(await holds({ key: 'missing', target: 'lease', result: '=', value: 0 })).toBe(true);
    expect(await holds({ key: 'missing', target: 'value', result: '=', value: '' })).toBe(false);
    expect(await holds({ key: 'missing', target: 'value', result: '!=', value: '' })).toBe(false);
  });

  it('rejects a branch that puts a key twice or puts a key it deletes, in either branch', async () => {
    const { store } = await open();
    const duplicate = (success: Parameters<EmbeddedStore['txn']>[0]['success'], failureOps: typeof success = []) =>
      failure(store.txn({ compare: [], success, failure: failureOps }));
    const put = (key: string) => ({ type: 'put' as const, key, value: 'v' });
    expect(await duplicate([put('a'), put('a')])).toMatchObject({
      code: 'duplicate-key',
      message: 'etcdserver: duplicate key given in txn request',
    });
    expect((await duplicate([put('a'), { type: 'delete', key: 'a' }])).code).toBe('duplicate-key');
    expect((await duplicate([{ type: 'delete', key: 'a', end: 'b' }, put('a')])).code).toBe('duplicate-key');
    expect((await duplicate([{ type: 'delete', key: 'a', prefix: true }, put('ab')])).code).toBe('duplicate-key');
    // The branch not taken is checked too.
    expect((await duplicate([put('a')], [put('b'), put('b')])).code).toBe('duplicate-key');
    expect(await store.revision()).toBe(1);
  });

  it('allows overlapping deletes, and (as etcd 3.4) a put with a from-key delete covering it', async () => {
    const { store } = await open();
    await store.put('k', 'old');
    const overlapping = await store.txn({
      compare: [],
      success: [
        { type: 'delete', key: 'a', end: 'z' },
        { type: 'delete', key: 'k' },
      ],
      failure: [],
    });
    expect(overlapping.responses).toEqual([
      { type: 'delete', revision: 3, deleted: 1 },
      { type: 'delete', revision: 3, deleted: 0 },
    ]);
    // etcd 3.4's checkIntervals sees ["a", "\0") as an empty interval: this txn is accepted,
    // and its delete removes the key the put just wrote.
    const quirk = await store.txn({
      compare: [],
      success: [
        { type: 'put', key: 'k', value: 'new' },
        { type: 'delete', key: 'a', end: '\0', prevKv: true },
      ],
      failure: [],
    });
    expect(quirk.responses).toEqual([
      { type: 'put', revision: 4 },
      { type: 'delete', revision: 4, deleted: 1, prevKvs: [kv('k', 'new', 4, 4, 1)] },
    ]);
    expect((await store.range({ key: 'k' })).kvs).toEqual([]);
    expect((await store.range({ key: 'k', revision: 3 })).kvs).toEqual([]);
  });

  it('checks leases of the taken branch only', async () => {
    const { store } = await open();
    const taken = await store.txn({
      compare: [],
      success: [{ type: 'put', key: 'a', value: '1' }],
      failure: [{ type: 'put', key: 'b', value: '1', lease: '999' }],
    });
    expect(taken.succeeded).toBe(true);
    expect(
      await failure(store.txn({ compare: [], success: [{ type: 'put', key: 'b', value: '1', lease: '999' }], failure: [] })),
    ).toMatchObject({ code: 'lease-not-found', message: 'etcdserver: requested lease not found' });
  });

  it('refuses more than 128 ops in a branch', async () => {
    const { store } = await open();
    const ops = Array.from({ length: 129 }, (_, i) => ({ type: 'put' as const, key: `k${i}`, value: 'v' }));
    expect((await failure(store.txn({ compare: [], success: ops, failure: [] }))).code).toBe('invalid');
  });
});

describe('compaction', () => {
  it('fails for a future revision or one at or below the last compaction', async () => {
    const { store } = await open();
    await store.put('a', '1');
    expect((await failure(store.compact(3))).code).toBe('future-revision');
    await store.compact(2);
    expect(await failure(store.compact(2))).toMatchObject({ code: 'compacted', compactRevision: 2 });
    expect((await failure(store.compact(1))).code).toBe('compacted');
  });

  it('accepts compact(0) once on a fresh store, as etcd does', async () => {
    const { store } = await open();
    await store.compact(0);
    expect((await failure(store.compact(0))).code).toBe('compacted');
  });

  it('keeps the latest version at or below the compact revision, and drops deleted keys', async () => {
    const { store } = await open();
    await store.put('a', '1'); // 2
    await store.put('b', '1'); // 3
    await store.put('a', '2'); // 4
    await store.delete({ key: 'b' }); // 5
    await store.put('a', '3'); // 6
    await store.compact(5);
    expect((await store.range({ key: '', prefix: true, revision: 5 })).kvs).toEqual([kv('a', '2', 2, 4, 2)]);
    expect((await store.range({ key: '', prefix: true })).kvs).toEqual([kv('a', '3', 2, 6, 3)]);
    await store.put('b', 'again');
    expect((await store.range({ key: 'b' })).kvs).toEqual([kv('b', 'again', 7, 7, 1)]);
  });
});

describe('watch', () => {
  it('replays from a start revision, one response per revision, deletes as key + modRevision', async () => {
    const { store } = await open();
    await store.put('a', '1'); // 2
    await store.txn({
      compare: [],
      success: [
        { type: 'put', key: 'b', value: '1' },
        { type: 'put', key: 'a', value: '2' },
      ],
      failure: [],
    }); // 3
    await store.delete({ key: 'a' }); // 4
    const watch = await store.watch({ key: '', prefix: true, startRevision: 2, prevKv: true });
    expect(await take(watch, 3)).toEqual([
      { revision: 2, events: [{ type: 'put', kv: kv('a', '1', 2, 2, 1) }] },
      {
        revision: 3,
        events: [
          { type: 'put', kv: kv('b', '1', 3, 3, 1) },
          { type: 'put', kv: kv('a', '2', 2, 3, 2), prevKv: kv('a', '1', 2, 2, 1) },
        ],
      },
      { revision: 4, events: [{ type: 'delete', kv: gone('a', 4), prevKv: kv('a', '2', 2, 3, 2) }] },
    ]);
  });

  it('continues live after catching up, filtered by key range, and sees only later changes without a start', async () => {
    const { store } = await open();
    await store.put('x/1', 'old');
    const fromNow = await store.watch({ key: 'x/', prefix: true });
    const fromStart = await store.watch({ key: 'x/', prefix: true, startRevision: 1 });
    await store.put('y', 'ignored');
    await store.put('x/2', 'new');
    expect(await take(fromNow, 1)).toEqual([{ revision: 4, events: [{ type: 'put', kv: kv('x/2', 'new', 4, 4, 1) }] }]);
    expect((await take(fromStart, 2)).map((response) => response.revision)).toEqual([2, 4]);
  });

  it('gives prevKv as the value before the revision, even when the txn wrote the key before deleting it', async () => {
    const { store } = await open();
    await store.put('m', 'A'); // 2
    const watch = await store.watch({ key: 'm', prevKv: true });
    await store.txn({
      compare: [],
      success: [
        { type: 'put', key: 'm', value: 'B' },
        { type: 'delete', key: 'a', end: '\0' },
      ],
      failure: [],
    }); // 3
    expect(await take(watch, 1)).toEqual([
      {
        revision: 3,
        events: [
          { type: 'put', kv: kv('m', 'B', 2, 3, 2), prevKv: kv('m', 'A', 2, 2, 1) },
          { type: 'delete', kv: gone('m', 3), prevKv: kv('m', 'A', 2, 2, 1) },
        ],
      },
    ]);
  });

  it('waits for a future start revision', async () => {
    const { store } = await open();
    const watch = await store.watch({ key: 'a', startRevision: 3 });
    await store.put('a', '1');
    await store.put('a', '2');
    expect(await take(watch, 1)).toEqual([{ revision: 3, events: [{ type: 'put', kv: kv('a', '2', 2, 3, 2) }] }]);
  });

  it('fails with the compact revision below it; at exactly it, misses its deletes and prevKvs (as etcd)', async () => {
    const { store } = await open();
    await store.put('w/a', '1'); // 2
    await store.put('w/b', '1'); // 3
    await store.txn({
      compare: [],
      success: [
        { type: 'put', key: 'w/a', value: '2' },
        { type: 'delete', key: 'w/b' },
      ],
      failure: [],
    }); // 4
    await store.put('w/a', '3'); // 5
    await store.compact(4);
    const below = await store.watch({ key: 'w/', prefix: true, startRevision: 3 });
    const error = await failure(take(below, 1));
    expect(error).toMatchObject({ code: 'compacted', compactRevision: 4, message: 'mvcc: required revision has been compacted' });
    const at = await store.watch({ key: 'w/', prefix: true, startRevision: 4, prevKv: true });
    expect(await take(at, 2)).toEqual([
      { revision: 4, events: [{ type: 'put', kv: kv('w/a', '2', 2, 4, 2) }] },
      { revision: 5, events: [{ type: 'put', kv: kv('w/a', '3', 2, 5, 3), prevKv: kv('w/a', '2', 2, 4, 2) }] },
    ]);
  });

  it('ends iteration on cancel(), and on break', async () => {
    const { store } = await open();
    const watch = await store.watch({ key: 'a' });
    const iterator = watch[Symbol.asyncIterator]();
    const next = iterator.next();
    watch.cancel();
    expect(await next).toEqual({ value: undefined, done: true });
    await store.put('a', '1');
    expect(await iterator.next()).toEqual({ value: undefined, done: true });

    const broken = await store.watch({ key: 'a', startRevision: 1 });
    for await (const response of broken) {
      expect(response.revision).toBe(2);
      break;
    }
    await store.put('a', '2');
    expect(await broken[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
  });

  it('ends every watch with a closed error when the store closes', async () => {
    const { store } = await open();
    const watch = await store.watch({ key: 'a' });
    const pending = take(watch, 1);
    await store.close();
    expect((await failure(pending)).code).toBe('closed');
    expect((await failure(store.put('a', '1'))).code).toBe('closed');
  });

  it('delivers asynchronously: nothing reaches the consumer inside the write call', async () => {
    const { store } = await open();
    const watch = await store.watch({ key: 'a' });
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const response of watch) seen.push(response.revision);
    })();
    const put = store.put('a', '1');
    expect(seen).toEqual([]);
    await put;
    await settle();
    expect(seen).toEqual([2]);
    watch.cancel();
    await consumer;
    expect(await drain(await store.watch({ key: 'a', startRevision: 2 }))).toHaveLength(1);
  });
});

describe('leases', () => {
  it('raises a TTL below the minimum and counts ids up from 1 by default', async () => {
    const { store } = await open();
    expect(await store.leaseGrant(1)).toEqual({ id: '1', ttl: 2 });
    expect(await store.leaseGrant(0)).toEqual({ id: '2', ttl: 2 });
    expect(await store.leaseGrant(60)).toEqual({ id: '3', ttl: 60 });
    const custom = await open({ minLeaseTtlSeconds: 5 });
    expect((await custom.store.leaseGrant(1)).ttl).toBe(5);
  });

  it('draws ids from the Env random when given one, the same for the same seed', async () => {
    const a = await open({ random: new SeededRandom(7) });
    const b = await open({ random: new SeededRandom(7) });
    const idA = (await a.store.leaseGrant(10)).id;
    expect(idA).toMatch(/^[1-9]\d*$/);
    expect(BigInt(idA)).toBeLessThan(2n ** 63n);
    expect((await b.store.leaseGrant(10)).id).toBe(idA);
  });

  it('attaches keys, detaches them on re-put without the lease or delete, and revokes in one revision', async () => {
    const { store } = await open();
    const { id } = await store.leaseGrant(10);
    await store.put('l/a', '1', { lease: id });
    await store.put('l/b', '1', { lease: id });
    await store.put('l/c', '1', { lease: id });
    await store.put('l/d', '1', { lease: id });
    await store.put('l/b', '2');
    await store.delete({ key: 'l/c' });
    expect((await store.range({ key: 'l/a' })).kvs).toEqual([kv('l/a', '1', 2, 2, 1, id)]);
    expect((await store.leaseTimeToLive(id)).keys).toEqual(['l/a', 'l/d']);
    const watch = await store.watch({ key: 'l/', prefix: true });
    await store.leaseRevoke(id);
    expect(await store.revision()).toBe(8);
    expect(await take(watch, 1)).toEqual([{ revision: 8, events: [{ type: 'delete', kv: gone('l/a', 8) }, { type: 'delete', kv: gone('l/d', 8) }] }]);
    expect((await store.range({ key: 'l/', prefix: true })).kvs.map((x) => x.key)).toEqual(['l/b']);
    expect(await store.leaseTimeToLive(id)).toEqual({ id, ttl: -1, grantedTtl: 0, keys: [] });
    expect((await failure(store.leaseRevoke(id))).code).toBe('lease-not-found');
    expect((await failure(store.leaseKeepAlive(id))).code).toBe('lease-not-found');
  });

  it('does not bump the revision when a revoked lease held no keys', async () => {
    const { store } = await open();
    const { id } = await store.leaseGrant(10);
    await store.leaseRevoke(id);
    expect(await store.revision()).toBe(1);
  });

  it('refuses a put with an unknown lease', async () => {
    const { store } = await open();
    expect(await failure(store.put('a', '1', { lease: '12345' }))).toMatchObject({
      code: 'lease-not-found',
      message: 'etcdserver: requested lease not found',
    });
    expect(await store.revision()).toBe(1);
  });

  it('expires on the Env clock, deleting its keys like a revoke; keep-alive renews', async () => {
    const { store, time } = await open();
    const { id } = await store.leaseGrant(10);
    await store.put('a', '1', { lease: id });
    expect(await store.leaseTimeToLive(id)).toEqual({ id, ttl: 9, grantedTtl: 10, keys: ['a'] });
    time.advance(6_000);
    expect((await store.leaseTimeToLive(id)).ttl).toBe(3);
    expect(await store.leaseKeepAlive(id)).toBe(10);
    time.advance(9_999);
    expect((await store.range({ key: 'a' })).count).toBe(1);
    expect((await store.leaseTimeToLive(id)).ttl).toBe(0);
    time.advance(1);
    await settle();
    expect((await store.range({ key: 'a' })).count).toBe(0);
    expect(await store.revision()).toBe(3);
    expect((await store.leaseTimeToLive(id)).ttl).toBe(-1);
    expect(time.timerCount).toBe(0);
  });

  it('expires a lease past its deadline when it is named, even if its timer has not fired', async () => {
    const time = new ManualTime();
    let fakeNow = time.now();
    const store = await EmbeddedStore.open({ clock: { now: () => fakeNow }, timers: time });
    const { id } = await store.leaseGrant(5);
    await store.put('a', '1', { lease: id });
    fakeNow += 5_000; // the clock moves but the timer stays pending, as a late real timer would
    expect((await failure(store.put('b', '1', { lease: id }))).code).toBe('lease-not-found');
    expect((await store.range({ key: 'a' })).count).toBe(0);
    expect(await store.revision()).toBe(3);
  });
});

/** A log whose appends become durable only when the test says so. */
class GatedLog implements AppendLog {
  readonly records: Uint8Array[] = [];
  private gates: { record: Uint8Array; resolve: () => void; reject: (error: unknown) => void }[] = [];

  append(record: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.gates.push({ record, resolve, reject }));
  }

  /** Makes the oldest `n` pending appends durable. */
  release(n = this.gates.length): void {
    for (const gate of this.gates.splice(0, n)) {
      this.records.push(gate.record);
      gate.resolve();
    }
  }

  failAll(error: Error): void {
    for (const gate of this.gates.splice(0)) gate.reject(error);
  }

  async readAll(): Promise<Uint8Array[]> {
    return [...this.records];
  }

  async close(): Promise<void> {}
}

describe('write-ahead log', () => {
  it('acknowledges and shows a write only once it is durable, in revision order', async () => {
    const log = new GatedLog();
    const { store } = await open({ log });
    const watch = await store.watch({ key: 'a' });
    let acked = 0;
    const first = store.put('a', '1').then((result) => (acked = result.revision));
    const second = store.put('a', '2');
    const readOnly = store.txn({ compare: [{ key: 'a', target: 'value', result: '=', value: '2' }], success: [], failure: [] });
    await settle();
    expect(acked).toBe(0);
    expect(await store.revision()).toBe(1);
    expect((await store.range({ key: 'a' })).count).toBe(0);
    expect(await drain(watch)).toEqual([]);
    log.release(1);
    await first;
    expect(await store.revision()).toBe(2);
    expect((await store.range({ key: 'a' })).kvs[0]?.value).toBe('1');
    log.release();
    expect(await second).toEqual({ revision: 3 });
    // The txn read the unacknowledged write, so it waited for it to be durable.
    expect(await readOnly).toEqual({ succeeded: true, revision: 3, responses: [] });
  });

  it('replays revisions, leases and compaction on reopen', async () => {
    const log = new MemoryAppendLog();
    const { store } = await open({ log });
    const { id } = await store.leaseGrant(30);
    const other = await store.leaseGrant(30);
    await store.put('a', '1', { lease: id });
    await store.put('a', '2', { lease: id });
    await store.put('b', '1', { lease: other.id });
    await store.txn({
      compare: [],
      success: [
        { type: 'put', key: 'c', value: '1' },
        { type: 'delete', key: 'b' },
      ],
      failure: [],
    });
    await store.leaseRevoke(other.id);
    await store.compact(3);
    await store.put('d', '1');
    const third = await store.leaseGrant(30);
    await store.leaseRevoke(third.id);
    await store.close();

    const reopened = await open({ log: new MemoryAppendLog(log.bytes()) });
    const again = reopened.store;
    expect(await again.revision()).toBe(6);
    expect((await again.range({ key: '', prefix: true })).kvs).toEqual([
      kv('a', '2', 2, 3, 2, id),
      kv('c', '1', 5, 5, 1),
      kv('d', '1', 6, 6, 1),
    ]);
    expect((await failure(again.range({ key: 'a', revision: 2 }))).code).toBe('compacted');
    expect((await again.range({ key: 'a', revision: 3 })).kvs).toEqual([kv('a', '2', 2, 3, 2, id)]);
    expect(await again.leaseTimeToLive(id)).toEqual({ id, ttl: 29, grantedTtl: 30, keys: ['a'] });
    expect((await again.leaseTimeToLive(other.id)).ttl).toBe(-1);
    expect((await again.leaseGrant(5)).id).toBe('4');
    reopened.time.advance(30_000);
    await settle();
    expect((await again.range({ key: 'a' })).count).toBe(0);
  });

  it('drops a torn tail and applies only whole records', async () => {
    const log = new MemoryAppendLog();
    const { store } = await open({ log });
    await store.put('a', '1');
    await store.put('a', '2');
    const bytes = log.bytes();
    const torn = new MemoryAppendLog(bytes.subarray(0, bytes.length - 3));
    expect(torn.discardedBytes).toBeGreaterThan(0);
    const { store: again } = await open({ log: torn });
    expect(await again.revision()).toBe(2);
    expect(await again.put('a', '3')).toEqual({ revision: 3 });
  });

  it('stops serving once the log fails', async () => {
    const log = new GatedLog();
    const { store } = await open({ log });
    const watch = await store.watch({ key: 'a' });
    const put = store.put('a', '1');
    await settle();
    log.failAll(new Error('disk on fire'));
    expect(await failure(put)).toMatchObject({ code: 'unavailable' });
    expect((await failure(take(watch, 1))).code).toBe('unavailable');
    expect((await failure(store.range({ key: 'a' }))).code).toBe('unavailable');
  });
});
