// A hand-driven Clock and Timers for the store's tests: time moves only when a test calls
// advance(), which fires due timers in (due time, arming order), each at its own instant.

import type { Clock, Millis } from '../env/clock.js';
import type { TimerHandle, Timers } from '../env/timers.js';

interface PendingTimer {
  readonly id: number;
  readonly due: Millis;
  readonly fn: () => void;
}

export class ManualTime implements Clock, Timers {
  private time: Millis;
  private nextId = 1;
  private pending: PendingTimer[] = [];

  constructor(start: Millis = 1_700_000_000_000) {
    this.time = start;
  }

  now(): Millis {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer = { id: this.nextId++, due: this.time + Math.max(0, ms), fn };
    this.pending.push(timer);
    return { id: timer.id };
  }

  cancel(handle: TimerHandle): void {
    this.pending = this.pending.filter((timer) => timer.id !== handle.id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }

  /** Timers not yet fired or cancelled. */
  get timerCount(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: PendingTimer | undefined;
      for (const timer of this.pending) {
        if (timer.due <= end && (next === undefined || timer.due < next.due || (timer.due === next.due && timer.id < next.id))) {
          next = timer;
        }
      }
      if (next === undefined) break;
      const fired = next;
      this.pending = this.pending.filter((timer) => timer !== fired);
      this.time = Math.max(this.time, fired.due);
      fired.fn();
    }
    this.time = end;
  }
}
