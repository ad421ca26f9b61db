// The store benchmark: puts/s, ranges/s and watch events delivered/s through the Store
// interface, for the embedded store in memory, the embedded store with its file WAL, and a
// real etcd 3.4 (on disk, and on tmpfs to show what fsync costs it). Every phase runs a fixed
// time with a fixed number of requests in flight, like an API server serving many clients.

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLiveEnv, FileAppendLog } from '../impl/env/index.js';
import { EmbeddedStore, EtcdStore, type Revision, type Store } from '../impl/store/index.js';
import { etcdAvailable, startEtcd } from '../specs/support/etcd-server.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';

/** How long each phase runs. */
const PHASE_MS = 2500;
/** Unmeasured puts and ranges first: the JIT and the client's connections warm up. */
const WARM_UP_MS = 500;
/** Requests in flight at once during a phase. */
const CONCURRENCY = 16;
/** A phase also stops after this many operations, so the in-memory store's history stays small. */
const MAX_OPS_PER_PHASE = 150_000;
/** Distinct keys written and read. */
const KEYS = 1000;
/** A small Kubernetes object's worth of JSON. */
const VALUE = JSON.stringify({ kind: 'Pod', pad: 'x'.repeat(240) });
/** Give up waiting for a watch to catch up after this long. */
const WATCH_CATCH_UP_MS = 15_000;

interface Backend {
  readonly name: string;
  /** Opens the store, or returns why this backend is skipped here. */
  open(): Promise<{ store: Store; close(): Promise<void> } | string>;
}

interface PhaseResult {
  readonly ops: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

interface BackendResult {
  readonly backend: string;
  readonly skipped?: string;
  readonly puts?: PhaseResult;
  readonly ranges?: PhaseResult;
  readonly watch?: PhaseResult & { readonly caughtUp: boolean };
}

function embedded(withLog: boolean): Backend {
  return {
    name: withLog ? 'embedded (file WAL)' : 'embedded (memory)',
    async open() {
      const env = createLiveEnv({ process: 'store-bench' });
      const dir = withLog ? await mkdtemp(join(tmpdir(), 'kubeprop-bench-wal-')) : undefined;
      const log = dir ? await FileAppendLog.open(join(dir, 'wal')) : undefined;
      const store = await EmbeddedStore.open({ clock: env.clock, timers: env.timers, ...(log ? { log } : {}) });
      return {
        store,
        close: async () => {
          await store.close();
          env.close();
          if (dir) await rm(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

function etcd(inMemory: boolean): Backend {
  return {
    name: inMemory ? 'etcd 3.4 (tmpfs)' : 'etcd 3.4 (disk)',
    async open() {
      if (!etcdAvailable()) return 'etcd is not installed (apt-get install etcd-server)';
      const server = await startEtcd({ inMemory });
      const store = await EtcdStore.connect({ endpoints: server.endpoints });
      return {
        store,
        close: async () => {
          await store.close();
          await server.stop();
        },
      };
    },
  };
}

const BACKENDS: readonly Backend[] = [embedded(false), embedded(true), etcd(false), etcd(true)];

/** Runs `op` from CONCURRENCY workers until the phase ends; op(i) gets a global sequence number. */
async function phase(op: (i: number) => Promise<unknown>, latencies?: number[], ms = PHASE_MS): Promise<PhaseResult> {
  let next = 0;
  const start = performance.now();
  const deadline = start + ms;
  const worker = async () => {
    while (next < MAX_OPS_PER_PHASE && performance.now() < deadline) {
      const i = next++;
      const t = performance.now();
      await op(i);
      latencies?.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  const result = { ops: next, seconds, perSecond: next / seconds };
  if (!latencies || latencies.length === 0) return result;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { ...result, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** Writers put under a prefix while one watch on it counts the events it receives. */
async function watchPhase(store: Store): Promise<PhaseResult & { caughtUp: boolean }> {
  const watch = await store.watch({ key: '/bench/watch/', prefix: true });
  let received = 0;
  let lastRevision: Revision = 0;
  let lastAt = performance.now();
  let target = Infinity;
  let reachedTarget: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (reachedTarget = resolve));
  const reader = (async () => {
    for await (const response of watch) {
      received += response.events.length;
      for (const event of response.events) lastRevision = Math.max(lastRevision, event.kv.modRevision);
      lastAt = performance.now();
      if (lastRevision >= target) reachedTarget();
    }
  })().catch(() => undefined);

  const start = performance.now();
  let lastPut: Revision = 0;
  const writes = await phase(async (i) => {
    const { revision } = await store.put(`/bench/watch/${i % KEYS}`, VALUE);
    lastPut = Math.max(lastPut, revision);
  });
  target = lastPut;
  if (lastRevision >= target) reachedTarget();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const caughtUp = await Promise.race([
    reached.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), WATCH_CATCH_UP_MS))),
  ]);
  clearTimeout(timer);
  watch.cancel();
  await reader;
  const seconds = (lastAt - start) / 1000;
  return { ops: received, seconds, perSecond: received / seconds, caughtUp: caughtUp && received === writes.ops };
}

async function measure(backend: Backend): Promise<BackendResult> {
  const opened = await backend.open();
  if (typeof opened === 'string') return { backend: backend.name, skipped: opened };
  const { store } = opened;
  try {
    process.stdout.write(`  ${backend.name}: warm-up`);
    await phase((i) => (i % 2 ? store.put(`/bench/kv/${i % KEYS}`, VALUE) : store.range({ key: `/bench/kv/${i % KEYS}` })), undefined, WARM_UP_MS);
    process.stdout.write(', puts');
    const puts = await phase((i) => store.put(`/bench/kv/${i % KEYS}`, VALUE), []);
    // Keep the in-memory history from growing across phases (an API server compacts too).
    await store.compact(await store.revision());
    process.stdout.write(', ranges');
    const ranges = await phase((i) => store.range({ key: `/bench/kv/${(i * 7919) % KEYS}` }), []);
    process.stdout.write(', watch');
    const watch = await watchPhase(store);
    process.stdout.write('\n');
    return { backend: backend.name, puts, ranges, watch };
  } finally {
    await opened.close();
  }
}

function etcdVersion(): string | undefined {
  const result = spawnSync(process.env.KUBEPROP_ETCD ?? 'etcd', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? /etcd Version: (\S+)/.exec(result.stdout)?.[1] : undefined;
}

export const storeBenchmark: Benchmark = {
  name: 'store',
  description: `puts/s, ranges/s, watch events/s through the Store interface (${CONCURRENCY} in flight, ${PHASE_MS / 1000} s a phase)`,
  async run(): Promise<BenchmarkResult> {
    const results: BackendResult[] = [];
    for (const backend of BACKENDS) results.push(await measure(backend));
    const notes: string[] = [
      `values are ${VALUE.length} B over ${KEYS} keys; ranges read one key at the current revision`,
      'latencies are per request with the others in flight; watch events/s counts from the first put to the last event received, so it cannot exceed what the writers put',
      'etcd shares the machine with this process: on few cores its numbers include the gRPC client\'s CPU and vary from run to run',
    ];
    for (const result of results) {
      if (result.skipped) notes.push(`${result.backend} skipped: ${result.skipped}`);
      else if (result.watch && !result.watch.caughtUp) notes.push(`${result.backend}: the watch did not deliver every event`);
    }
    return {
      table: {
        columns: ['backend', 'puts/s', 'put p50 ms', 'put p99 ms', 'ranges/s', 'range p99 ms', 'watch events/s'],
        rows: results
          .filter((result) => !result.skipped)
          .map((result) => [
            result.backend,
            result.puts?.perSecond ?? NaN,
            result.puts?.p50Ms ?? NaN,
            result.puts?.p99Ms ?? NaN,
            result.ranges?.perSecond ?? NaN,
            result.ranges?.p99Ms ?? NaN,
            result.watch?.perSecond ?? NaN,
          ]),
      },
      data: { phaseMs: PHASE_MS, concurrency: CONCURRENCY, valueBytes: VALUE.length, keys: KEYS, etcdVersion: etcdVersion(), results },
      notes,
    };
  },
};
