// One worker per pod, as upstream's podWorkers: syncs of a pod never overlap, an update that
// arrives mid-sync makes the worker sync once more afterwards (updates coalesce: the sync
// reads the current state, so one pass covers them all), and a sync can ask to run again
// later (a back-off expiring). Pods never wait for each other: a pod whose containers take
// their grace period to stop holds up no other.

import type { Clock, Millis } from '../env/clock.js';
import type { TimerHandle, Timers } from '../env/timers.js';

export interface PodSyncResult {
  /** Sync again after this long (a back-off expiring, an image pull to retry). */
  readonly retryAfterMs?: Millis;
  /** The pod is gone and cleaned up: its worker can go. */
  readonly finished?: boolean;
}

export type PodSync = (uid: string) => Promise<PodSyncResult>;

interface Worker {
  busy: boolean;
  pending: boolean;
  /** The earliest scheduled re-sync, if any. */
  timer?: TimerHandle;
  timerAt?: Millis;
  /** Consecutive failed syncs, for the retry delay. */
  failures: number;
}

/** A failed sync is retried after 1 s, doubling to 30 s. */
const ERROR_RETRY_MS = 1_000;
const ERROR_RETRY_MAX_MS = 30_000;

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly sync: PodSync,
    private readonly onError: (uid: string, error: unknown) => void,
  ) {}

  /** Syncs the pod now (or right after the sync in progress). */
  update(uid: string): void {
    const w = this.worker(uid);
    w.pending = true;
    if (!w.busy) void this.run(uid, w);
  }

  /** Syncs the pod after `ms` unless an earlier sync is already scheduled. */
  syncAfter(uid: string, ms: Millis): void {
    const w = this.worker(uid);
    const at = this.clock.now() + Math.max(0, ms);
    if (w.timer && w.timerAt !== undefined && w.timerAt <= at) return;
    if (w.timer) this.timers.cancel(w.timer);
    w.timerAt = at;
    w.timer = this.timers.setTimer(Math.max(0, ms), () => {
      w.timer = undefined;
      w.timerAt = undefined;
      this.update(uid);
    });
  }

  /** The pods that have a worker. */
  uids(): string[] {
    return [...this.workers.keys()];
  }

  private worker(uid: string): Worker {
    let w = this.workers.get(uid);
    if (!w) {
      w = { busy: false, pending: false, failures: 0 };
      this.workers.set(uid, w);
    }
    return w;
  }

  private async run(uid: string, w: Worker): Promise<void> {
    w.busy = true;
    try {
      while (w.pending) {
        w.pending = false;
        try {
          const result = await this.sync(uid);
          w.failures = 0;
          if (result.finished && !w.pending) {
            if (w.timer) this.timers.cancel(w.timer);
            this.workers.delete(uid);
            return;
          }
          if (result.retryAfterMs !== undefined) this.syncAfter(uid, result.retryAfterMs);
        } catch (error) {
          this.onError(uid, error);
          const delay = Math.min(ERROR_RETRY_MAX_MS, ERROR_RETRY_MS * 2 ** Math.min(w.failures, 10));
          w.failures++;
          this.syncAfter(uid, delay);
        }
      }
    } finally {
      w.busy = false;
    }
  }
}
