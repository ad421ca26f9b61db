// The crash test: a child process writes to the embedded store over the real file log and
// is SIGKILLed at random moments; after each kill the store is reopened from the log and must
// hold every acknowledged write at its revision, contiguous revisions, and exactly a prefix
// of the intended write sequence (no half-applied record).
// Replay a run: KUBEPROP_CRASH_SEED=<seed> npx vitest run impl/store/wal-crash.test.ts

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileAppendLog } from '../env/file-append-log.js';
import { SeededRandom } from '../env/random.js';
import { EmbeddedStore } from './embedded-store.js';
import { ManualTime } from './manual-time.js';
import type { WatchResponse } from './store.js';
import { intendedHistory } from './wal-crash-workload.js';

const CHILD = fileURLToPath(new URL('./wal-crash-child.ts', import.meta.url));
const MIN_KILLS = 20;
const TARGET_KILLS = 30;
const BUDGET_MS = 30_000;

interface ChildRun {
  /** Acknowledged writes: index → revision. */
  readonly acks: Map<number, number>;
  /** The write index the child resumed at, if it got that far. */
  readonly resumedAt: number | undefined;
  readonly stderr: string;
}

/** Starts the child, kills it with SIGKILL at the moment `killAt` picks, and reports what it printed. */
function runChild(dir: string, killAfterSpawnMs: number | undefined, killAfterReadyMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks = new Map<number, number>();
    let resumedAt: number | undefined;
    let stderr = '';
    let buffered = '';
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    if (killAfterSpawnMs !== undefined) setTimeout(kill, killAfterSpawnMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const [word, a, b] = buffered.slice(0, newline).split(' ');
        buffered = buffered.slice(newline + 1);
        if (word === 'ready') {
          resumedAt = Number(a);
          if (killAfterSpawnMs === undefined) setTimeout(kill, killAfterReadyMs);
        } else if (word === 'ack') {
          acks.set(Number(a), Number(b));
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`crash child ended by itself (${String(signal)}): ${stderr}`));
      else resolve({ acks, resumedAt, stderr });
    });
  });
}

/** Reopens the store from the log and checks it against every acknowledgement so far. */
async function verify(dir: string, acks: ReadonlyMap<number, number>): Promise<number> {
  const time = new ManualTime();
  const store = await EmbeddedStore.open({ clock: time, timers: time, log: await FileAppendLog.open(join(dir, 'wal')) });
  try {
    const revision = await store.revision();
    const applied = revision - 1;
    for (const [i, acked] of acks) {
      expect(acked, `write ${i} was acknowledged at revision ${acked}`).toBe(i + 2);
      expect(i, `write ${i} was acknowledged but the store holds only ${applied} writes`).toBeLessThan(applied);
    }
    const { state, events } = intendedHistory(applied);
    // The whole history, revision by revision, must be the intended prefix: contiguous, nothing torn.
    const history: WatchResponse[] = [];
    if (applied > 0) {
      const watch = await store.watch({ key: '', prefix: true, startRevision: 2 });
      for await (const response of watch) {
        history.push(response);
        if (response.revision === revision) break;
      }
    }
    expect(history.map((response) => response.revision)).toEqual(events.map((_, i) => i + 2));
    expect(history.map((response) => response.events)).toEqual(events);
    const all = await store.range({ key: '', prefix: true });
    expect(new Map(all.kvs.map((kv) => [kv.key, kv]))).toEqual(state);
    return applied;
  } finally {
    await store.close();
  }
}

describe('write-ahead log under SIGKILL', () => {
  it(`keeps every acknowledged write across ${MIN_KILLS}+ kills`, async () => {
    const seed = Number(process.env.KUBEPROP_CRASH_SEED ?? Date.now() % 1_000_000);
    const random = new SeededRandom(seed);
    const dir = await mkdtemp(join(tmpdir(), 'kubeprop-wal-crash-'));
    const started = Date.now();
    const acks = new Map<number, number>();
    let kills = 0;
    let applied = 0;
    let resumedDuringStartup = 0;
    try {
      while (kills < TARGET_KILLS && (kills < MIN_KILLS || Date.now() - started < BUDGET_MS)) {
        // Mostly kill while writes are in flight; sometimes during start-up and log replay.
        const early = random.chance(0.15);
        const run = await runChild(dir, early ? random.int(0, 400) : undefined, random.int(0, 150));
        kills++;
        if (run.resumedAt === undefined) resumedDuringStartup++;
        else expect(run.resumedAt, `seed ${seed}: the child resumed at write ${run.resumedAt}`).toBe(applied);
        for (const [i, revision] of run.acks) acks.set(i, revision);
        const now = await verify(dir, acks);
        expect(now, `seed ${seed}: the log lost writes between kills`).toBeGreaterThanOrEqual(applied);
        applied = now;
      }
      expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
      expect(acks.size, `seed ${seed}: too few acknowledged writes to mean anything`).toBeGreaterThan(100);
      console.log(
        `wal crash test (seed ${seed}): ${kills} kills (${resumedDuringStartup} before the child was ready), ` +
          `${acks.size} acknowledged writes, ${applied} writes in the log, ${Date.now() - started} ms`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
