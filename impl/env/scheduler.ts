// The Scheduler: what the in-process machinery (processes, timers, network) needs from time.
// The sim kernel implements it with its seeded event queue, live mode with real timers, so
// one implementation of process and network semantics serves both modes.

import type { Millis } from './clock.js';
import type { ProcessScope } from './process-scope.js';

/** A scheduled task that has not run yet; cancelling a task that ran or was dropped does nothing. */
export interface Scheduled {
  cancel(): void;
}

export interface Scheduler {
  now(): Millis;
  /**
   * Runs `task` after `ms` (>= 0). With an `owner`, the task is silently dropped if the owner has
   * ended by then: that is how a killed process's timers and pending awaits disappear.
   */
  schedule(ms: Millis, owner: ProcessScope | null, task: () => void): Scheduled;
}
