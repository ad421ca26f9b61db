// The crash test's intended write sequence: write i is a pure function of i, and every write
// makes exactly one revision (i + 2), so after a crash the store must hold exactly the first
// n writes for some n, with every acknowledged write among them.

import type { KeyValue, Store, WatchEvent } from './store.js';

export type CrashWrite =
  | { readonly kind: 'put'; readonly key: string; readonly value: string }
  /** Several keys in one txn: a torn record would show some of them without the others. */
  | { readonly kind: 'txn'; readonly puts: readonly (readonly [key: string, value: string])[] }
  /** Always deletes a key the previous write created, so it always writes a revision. */
  | { readonly kind: 'delete'; readonly key: string };

export function crashWrite(i: number): CrashWrite {
  const value = `v${i}`;
  if (i % 7 === 5) return { kind: 'put', key: `d/${i}`, value };
  if (i % 7 === 6) return { kind: 'delete', key: `d/${i - 1}` };
  if (i % 11 === 0) return { kind: 'txn', puts: [['t/a', value], ['t/b', value], ['t/c', value]] };
  return { kind: 'put', key: `k/${i % 13}`, value };
}

/** Performs write `i`; resolves with its revision once the store acknowledges it. */
export async function performCrashWrite(store: Store, i: number): Promise<number> {
  const write = crashWrite(i);
  switch (write.kind) {
    case 'put':
      return (await store.put(write.key, write.value)).revision;
    case 'delete':
      return (await store.delete({ key: write.key })).revision;
    case 'txn':
      return (
        await store.txn({
          compare: [],
          success: write.puts.map(([key, value]) => ({ type: 'put' as const, key, value })),
          failure: [],
        })
      ).revision;
  }
}

/** The keyspace after the first `n` intended writes, and each write's watch events, by a plain model. */
export function intendedHistory(n: number): { state: Map<string, KeyValue>; events: WatchEvent[][] } {
  const state = new Map<string, KeyValue>();
  const events: WatchEvent[][] = [];
  const put = (key: string, value: string, revision: number): WatchEvent => {
    const prev = state.get(key);
    const kv = {
      key,
      value,
      createRevision: prev?.createRevision ?? revision,
      modRevision: revision,
      version: (prev?.version ?? 0) + 1,
      lease: '0',
    };
    state.set(key, kv);
    return { type: 'put', kv };
  };
  for (let i = 0; i < n; i++) {
    const revision = i + 2;
    const write = crashWrite(i);
    if (write.kind === 'put') events.push([put(write.key, write.value, revision)]);
    else if (write.kind === 'txn') events.push(write.puts.map(([key, value]) => put(key, value, revision)));
    else {
      state.delete(write.key);
      const kv = { key: write.key, value: '', createRevision: 0, modRevision: revision, version: 0, lease: '0' };
      events.push([{ type: 'delete', kv }]);
    }
  }
  return { state, events };
}
