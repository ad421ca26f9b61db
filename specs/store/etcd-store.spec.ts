// Smoke test of EtcdStore against a private etcd 3.4: each part of the Store contract once
// (CRUD, txn, watch, compaction errors, leases, auth, closing). The differential suite next
// to it compares the whole contract with the embedded store; this one reads plainly.

import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdStore, StoreError, type Watch, type WatchResponse } from '../../impl/store/index.js';
import { labelSpec } from '../../reports/spec-labels.js';
import { etcdAvailable, startEtcd, type EtcdServer } from '../support/etcd-server.js';

/** Reads responses until one carries an event at `revision` or later. */
async function readUntil(watch: Watch, revision: number): Promise<WatchResponse[]> {
  const responses: WatchResponse[] = [];
  for await (const response of watch) {
    responses.push(response);
    if (response.events.some((event) => event.kv.modRevision >= revision)) break;
  }
  return responses;
}

async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('expected a StoreError, but the call succeeded');
}

describe.skipIf(!etcdAvailable())('EtcdStore against etcd 3.4', () => {
  labelSpec({ feature: 'store', story: 'EtcdStore client', target: 'etcd 3.4' });
  let server: EtcdServer;
  let store: EtcdStore;

  beforeAll(async () => {
    server = await startEtcd({ inMemory: true });
    store = await EtcdStore.connect({ endpoints: server.endpoints });
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('puts, reads and deletes keys with etcd revisions and versions', async () => {
    const start = await store.revision();
    const first = await store.put('/crud/a', '1');
    expect(first.revision).toBe(start + 1);
    const second = await store.put('/crud/a', '2', { prevKv: true });
    expect(second.prevKv).toMatchObject({ key: '/crud/a', value: '1', version: 1, modRevision: first.revision });
    await store.put('/crud/b', 'b');
    await store.put('/crud/c', 'c');

    const all = await store.range({ key: '/crud/', prefix: true });
    expect(all.kvs.map((kv) => kv.key)).toEqual(['/crud/a', '/crud/b', '/crud/c']);
    expect(all.kvs[0]).toEqual({
      key: '/crud/a',
      value: '2',
      createRevision: first.revision,
      modRevision: second.revision,
      version: 2,
      lease: '0',
    });

    const limited = await store.range({ key: '/crud/', prefix: true, limit: 2, keysOnly: true });
    expect(limited).toMatchObject({ count: 3, more: true });
    expect(limited.kvs.map((kv) => kv.value)).toEqual(['', '']);
    expect(await store.range({ key: '/crud/b', end: '\0', countOnly: true })).toMatchObject({ count: 2, kvs: [] });

    const old = await store.range({ key: '/crud/a', revision: first.revision });
    expect(old.kvs[0]?.value).toBe('1');

    const deleted = await store.delete({ key: '/crud/', prefix: true, prevKv: true });
    expect(deleted.deleted).toBe(3);
    expect(deleted.prevKvs?.map((kv) => kv.key)).toEqual(['/crud/a', '/crud/b', '/crud/c']);
    expect((await store.range({ key: '/crud/', prefix: true })).count).toBe(0);
    expect(await store.revision()).toBe(deleted.revision);
  });

  it('runs transactions: compare on mod revision, then/else branches, op responses', async () => {
    const created = await store.put('/txn/k', 'v1');
    const update = (modRevision: number) =>
      store.txn({
        compare: [{ key: '/txn/k', target: 'mod', result: '=', value: modRevision }],
        success: [
          { type: 'put', key: '/txn/k', value: 'v2', prevKv: true },
          { type: 'range', key: '/txn/', prefix: true },
        ],
        failure: [{ type: 'range', key: '/txn/k' }],
      });
    const won = await update(created.revision);
    expect(won.succeeded).toBe(true);
    expect(won.revision).toBe(created.revision + 1);
    expect(won.responses[0]).toMatchObject({ type: 'put', revision: won.revision, prevKv: { value: 'v1' } });
    expect(won.responses[1]).toMatchObject({ type: 'range', count: 1, kvs: [{ value: 'v2' }] });

    const lost = await update(created.revision);
    expect(lost.succeeded).toBe(false);
    expect(lost.revision).toBe(won.revision);
    expect(lost.responses).toEqual([expect.objectContaining({ type: 'range', kvs: [expect.objectContaining({ value: 'v2' })] })]);

    const duplicate = await storeError(
      store.txn({
        compare: [],
        success: [
          { type: 'put', key: '/txn/k', value: 'a' },
          { type: 'put', key: '/txn/k', value: 'b' },
        ],
        failure: [],
      }),
    );
    expect(duplicate).toMatchObject({ code: 'duplicate-key', message: 'etcdserver: duplicate key given in txn request' });
  });

  it('watches from a revision with prevKv, in order, and ends iteration on cancel', async () => {
    const first = await store.put('/watch/a', '1');
    await store.put('/watch/a', '2');
    await store.delete({ key: '/watch/a' });
    const last = await store.put('/watch/b', '1');

    const watch = await store.watch({ key: '/watch/', prefix: true, startRevision: first.revision, prevKv: true });
    const events = (await readUntil(watch, last.revision)).flatMap((response) => response.events);
    expect(events.map((event) => [event.type, event.kv.key, event.kv.modRevision - first.revision])).toEqual([
      ['put', '/watch/a', 0],
      ['put', '/watch/a', 1],
      ['delete', '/watch/a', 2],
      ['put', '/watch/b', 3],
    ]);
    expect(events[0]?.prevKv).toBeUndefined();
    expect(events[1]?.prevKv?.value).toBe('1');
    expect(events[2]?.prevKv?.value).toBe('2');
    expect(events[2]?.kv).toMatchObject({ value: '', version: 0, createRevision: 0 });

    // A watch from "now" sees only later writes.
    const live = await store.watch({ key: '/watch/b' });
    const next = await store.put('/watch/b', '2');
    expect((await readUntil(live, next.revision)).flatMap((r) => r.events).map((e) => e.kv.value)).toEqual(['2']);
    live.cancel();
    const iterator = live[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    watch.cancel();
  });

  it('fails reads and watches below the compaction with "compacted" and its revision', async () => {
    const old = await store.put('/compact/k', 'old');
    const current = await store.put('/compact/k', 'new');
    await store.compact(current.revision);

    const read = await storeError(store.range({ key: '/compact/k', revision: old.revision }));
    expect(read).toMatchObject({ code: 'compacted', message: 'mvcc: required revision has been compacted', compactRevision: current.revision });
    expect((await store.range({ key: '/compact/k', revision: current.revision })).kvs[0]?.value).toBe('new');

    const watch = await store.watch({ key: '/compact/k', startRevision: old.revision });
    const watched = await storeError(readUntil(watch, current.revision));
    expect(watched).toMatchObject({ code: 'compacted', compactRevision: current.revision });

    expect(await storeError(store.compact(old.revision))).toMatchObject({ code: 'compacted' });
    expect(await storeError(store.range({ key: '/compact/k', revision: current.revision + 100 }))).toMatchObject({
      code: 'future-revision',
      message: 'mvcc: required revision is a future revision',
    });
  });

  it('grants, renews, inspects and revokes leases; revoking deletes the keys in one revision', async () => {
    const lease = await store.leaseGrant(1);
    expect(lease.ttl).toBe(2); // etcd 3.4's minimum with default heartbeat and election timeout
    const big = await store.leaseGrant(60);
    await store.put('/lease/b', '1', { lease: big.id });
    await store.put('/lease/a', '1', { lease: big.id });
    const info = await store.leaseTimeToLive(big.id);
    expect(info).toMatchObject({ id: big.id, grantedTtl: 60, keys: ['/lease/a', '/lease/b'] });
    expect(info.ttl).toBeGreaterThan(55);
    expect(await store.leaseKeepAlive(big.id)).toBe(60);

    const before = await store.revision();
    await store.leaseRevoke(big.id);
    expect(await store.revision()).toBe(before + 1);
    expect((await store.range({ key: '/lease/', prefix: true })).count).toBe(0);
    expect(await store.leaseTimeToLive(big.id)).toEqual({ id: big.id, ttl: -1, grantedTtl: 0, keys: [] });
    expect(await storeError(store.leaseKeepAlive(big.id))).toMatchObject({ code: 'lease-not-found' });
    expect(await storeError(store.leaseRevoke(big.id))).toMatchObject({
      code: 'lease-not-found',
      message: 'etcdserver: requested lease not found',
    });
    expect(await storeError(store.put('/lease/c', '1', { lease: big.id }))).toMatchObject({ code: 'lease-not-found' });

    // The short lease expires by itself (etcd checks expiry every 500 ms).
    await store.put('/lease/short', '1', { lease: lease.id });
    for (let i = 0; i < 100 && (await store.leaseTimeToLive(lease.id)).ttl !== -1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await store.leaseTimeToLive(lease.id)).ttl).toBe(-1);
    expect((await store.range({ key: '/lease/short' })).count).toBe(0);
  });

  it('reports an unreachable etcd as "unavailable" and a closed store as "closed"', async () => {
    const dead = await storeError(EtcdStore.connect({ endpoints: ['http://127.0.0.1:1'] }));
    expect(dead.code).toBe('unavailable');

    const other = await EtcdStore.connect({ endpoints: server.endpoints });
    await other.close();
    expect(await storeError(other.put('/closed', '1'))).toMatchObject({ code: 'closed' });
  });

  // Last: once auth is on, only clients with credentials get in.
  it('connects with credentials when etcd auth is on', async () => {
    const admin = new Etcd3({ hosts: server.endpoints });
    try {
      await admin.role('root').create();
      await (await admin.user('root').create('root-secret')).addRole('root');
      await admin.auth.authEnable({});
    } finally {
      admin.close();
    }
    const authed = await EtcdStore.connect({ endpoints: server.endpoints, auth: { username: 'root', password: 'root-secret' } });
    try {
      const put = await authed.put('/auth/k', 'v');
      expect((await authed.range({ key: '/auth/k' })).kvs[0]?.modRevision).toBe(put.revision);
      const anonymous = await storeError(store.put('/auth/k', 'x'));
      expect(anonymous.code).toBe('invalid');
      const wrong = await storeError(
        EtcdStore.connect({ endpoints: server.endpoints, auth: { username: 'root', password: 'wrong' } }).then((s) => s.put('/auth/k', 'x')),
      );
      expect(wrong.message).toContain('authentication failed');
    } finally {
      await authed.close();
    }
  });
});
