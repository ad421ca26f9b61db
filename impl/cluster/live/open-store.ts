// Opens the store a live component asked for: "memory", "file:DIR" (the embedded store with
// its write-ahead log in DIR) or "etcd:URL" (a real etcd through the etcd3 client).

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../env/clock.js';
import { FileAppendLog } from '../../env/file-append-log.js';
import type { Random } from '../../env/random.js';
import type { Timers } from '../../env/timers.js';
import { EmbeddedStore, EtcdStore, type Store } from '../../store/index.js';

export function describeStoreSpec(spec: string): string {
  if (spec === 'memory') return 'embedded store in memory';
  if (spec.startsWith('file:')) return `embedded store with write-ahead log in ${spec.slice(5)}`;
  if (spec.startsWith('etcd:')) return `etcd at ${spec.slice(5)}`;
  return spec;
}

export function isStoreSpec(spec: string): boolean {
  return spec === 'memory' || (spec.startsWith('file:') && spec.length > 5) || (spec.startsWith('etcd:') && spec.length > 5);
}

export async function openStore(spec: string, env: { clock: Clock; timers: Timers; random: Random }): Promise<Store> {
  if (spec === 'memory') return EmbeddedStore.open({ clock: env.clock, timers: env.timers, random: env.random });
  if (spec.startsWith('file:')) {
    const dir = spec.slice('file:'.length);
    await mkdir(dir, { recursive: true });
    const log = await FileAppendLog.open(join(dir, 'store.wal'));
    return EmbeddedStore.open({ clock: env.clock, timers: env.timers, random: env.random, log });
  }
  if (spec.startsWith('etcd:')) {
    const endpoints = spec.slice('etcd:'.length).split(',');
    return EtcdStore.connect({ endpoints });
  }
  throw new Error(`unknown store "${spec}": use memory, file:DIR or etcd:URL`);
}
