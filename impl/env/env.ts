// The Env: everything a component may use to touch the world. A component gets one Env
// for its process; sim and live differ only in which Env they hand out.

import type { Clock } from './clock.js';
import type { Network } from './network.js';
import type { Random } from './random.js';
import type { Timers } from './timers.js';

/** How a process ended. */
export type ProcessExit =
  | { readonly kind: 'returned' }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'killed' };

export interface ProcessHandle {
  readonly name: string;
  readonly alive: boolean;
  /** Stops the process at once: its timers, listeners and streams are gone; its pending awaits never resume. */
  kill(): void;
  /** Settles when the process returns, fails or is killed. */
  readonly exited: Promise<ProcessExit>;
}

export interface Env {
  /** The name of the process this Env belongs to. */
  readonly process: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  readonly network: Network;
  /** Starts a child process with its own Env; killing the parent does not kill it. */
  spawn(name: string, main: (env: Env) => Promise<void>): ProcessHandle;
}
