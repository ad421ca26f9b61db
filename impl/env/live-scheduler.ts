// The live Scheduler: real time and real timers. A process's timers are cleared when it ends,
// so a killed component leaves nothing in the event loop.

import type { Millis } from './clock.js';
import type { ProcessScope } from './process-scope.js';
import type { Scheduled, Scheduler } from './scheduler.js';

/** setTimeout's longest delay (about 24.8 days); longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class LiveScheduler implements Scheduler {
  now(): Millis {
    return Date.now();
  }

  schedule(ms: Millis, owner: ProcessScope | null, task: () => void): Scheduled {
    if (owner && !owner.alive) return { cancel: () => {} };
    let clear = (): void => {};
    let cancelled = false;
    let unhold = (): void => {};
    const fire = (): void => {
      unhold();
      if (cancelled || (owner && !owner.alive)) return;
      task();
    };
    const arm = (remaining: Millis): void => {
      if (remaining <= 0) {
        // Zero-delay work (message deliveries) waits only for the current turn of the event loop.
        const immediate = setImmediate(fire);
        clear = () => clearImmediate(immediate);
      } else if (remaining > MAX_TIMEOUT_MS) {
        const timeout = setTimeout(() => arm(remaining - MAX_TIMEOUT_MS), MAX_TIMEOUT_MS);
        clear = () => clearTimeout(timeout);
      } else {
        const timeout = setTimeout(fire, remaining);
        clear = () => clearTimeout(timeout);
      }
    };
    arm(ms);
    if (owner) unhold = owner.hold(() => clear());
    return {
      cancel: () => {
        cancelled = true;
        clear();
        unhold();
      },
    };
  }
}
