// Per-key exponential back-off as client-go's flowcontrol.Backoff, which the kubelet uses for
// CrashLoopBackOff and image pulls: each failure doubles the delay up to a cap, and an entry
// idle for longer than `resetAfterMs` starts over (a container that ran 10 minutes before
// crashing again restarts at once). Time is passed in, so the policy is a pure function of it.

import type { Millis } from '../env/clock.js';

export interface BackoffPolicy {
  readonly initialMs: Millis;
  readonly maxMs: Millis;
  /** Upstream: twice the cap (5 min → 10 min). */
  readonly resetAfterMs: Millis;
}

/** The kubelet's CrashLoopBackOff and image pull back-off: 10 s doubling to 5 min, reset after 10 min. */
export const KUBELET_BACKOFF: BackoffPolicy = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

interface Entry {
  delayMs: Millis;
  lastUpdate: Millis;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly policy: BackoffPolicy) {}

  /** The delay currently in force for `key` (0 when it has none). */
  get(key: string): Millis {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** When the delay of `key` was last set (undefined when it has none). */
  lastUpdate(key: string): Millis | undefined {
    return this.entries.get(key)?.lastUpdate;
  }

  /** Records a failure at `eventTime`: the delay starts at the initial value or doubles. */
  next(key: string, eventTime: Millis): Millis {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventTime)) {
      this.entries.set(key, { delayMs: this.policy.initialMs, lastUpdate: eventTime });
      return this.policy.initialMs;
    }
    e.delayMs = Math.min(e.delayMs * 2, this.policy.maxMs);
    e.lastUpdate = eventTime;
    return e.delayMs;
  }

  /** Is `now` still inside the back-off window that opened at `eventTime` (upstream IsInBackOffSince)? */
  isInBackOffSince(key: string, eventTime: Millis, now: Millis): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, now)) return false;
    return now - eventTime < e.delayMs;
  }

  /** Is `now` inside the window that opened at the last failure (upstream IsInBackOffSinceUpdate)? */
  isInBackOffSinceUpdate(key: string, now: Millis): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, now)) return false;
    return now - e.lastUpdate < e.delayMs;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key that starts with `prefix` (a deleted pod's containers). */
  forgetPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private expired(e: Entry, at: Millis): boolean {
    return at - e.lastUpdate > this.policy.resetAfterMs;
  }
}
