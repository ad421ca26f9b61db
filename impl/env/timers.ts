// The Timers seam: sleeping and callbacks after a delay, owned by one process.
// Killing the owning process cancels its timers, so a crashed component leaves nothing behind.

export interface TimerHandle {
  readonly id: number;
}

export interface Timers {
  /** Resolves after `ms` of (virtual or real) time. Never resolves if the owning process is killed. */
  sleep(ms: number): Promise<void>;
  /** Calls `fn` once after `ms`. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** Cancels a timer; cancelling a fired or unknown timer does nothing. */
  cancel(handle: TimerHandle): void;
}
