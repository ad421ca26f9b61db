// A work queue as client-go's: keys are deduplicated while waiting, a key being processed
// is never handed to a second worker (a re-add during processing is held until done()), and
// failed keys come back after a per-key exponential back-off. Time comes from the Env.

import type { Timers } from '../env/timers.js';

export interface BackoffOptions {
  /** First retry delay (default 5 ms, as client-go's item rate limiter). */
  readonly baseMs?: number;
  /** Largest retry delay (default 1000 s; components pass smaller caps). */
  readonly maxMs?: number;
}

export class WorkQueue<K = string> {
  private readonly queue: K[] = [];
  /** Keys waiting in `queue` or to be re-queued when their processing ends. */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private waiters: ((k: K | undefined) => void)[] = [];
  private shuttingDown = false;

  constructor(
    private readonly timers: Timers,
    private readonly backoff: BackoffOptions = {},
  ) {}

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const w = this.waiters.shift();
    if (w) {
      this.dirty.delete(key);
      this.processing.add(key);
      w(key);
    } else this.queue.push(key);
  }

  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) this.add(key);
    else this.timers.setTimer(ms, () => this.add(key));
  }

  /** Re-adds after this key's next back-off delay (doubling per failure). */
  addRateLimited(key: K): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const base = this.backoff.baseMs ?? 5;
    const max = this.backoff.maxMs ?? 1_000_000;
    this.addAfter(key, Math.min(max, base * 2 ** Math.min(n, 30)));
  }

  /** Clears the key's failure count (after a successful sync). */
  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key to process; undefined once the queue is shut down. */
  get(): Promise<K | undefined> {
    if (this.queue.length > 0) {
      const key = this.queue.shift() as K;
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks the key processed; if it was added meanwhile it is queued again. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  get length(): number {
    return this.queue.length;
  }

  shutdown(): void {
    this.shuttingDown = true;
    for (const w of this.waiters) w(undefined);
    this.waiters = [];
  }
}
