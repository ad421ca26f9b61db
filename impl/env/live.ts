// Live mode's Env: the wall clock, real timers, and an in-process network that delivers at
// once (on the next turn of the event loop), with the same process, kill and stream semantics
// as the sim kernel. Each createLiveEnv call makes its own world; the processes spawned from
// its Env share that world's network.

import { randomBytes } from 'node:crypto';
import type { Env } from './env.js';
import { directLinks } from './link-policy.js';
import { LiveScheduler } from './live-scheduler.js';
import { SeededRandom } from './random.js';
import { World } from './world.js';

export interface LiveEnvOptions {
  /** Seeds the Env's Random (and its children's); drawn from crypto when absent. */
  seed?: number;
  /** The name of the process the returned Env belongs to (default "main"). */
  process?: string;
}

export interface LiveEnv extends Env {
  /** The seed of this world's randomness, to reproduce a run's random choices. */
  readonly seed: number;
  /**
   * Kills every process of this world, the root included: their timers, listeners and streams
   * go. Like any dead process's, the root's awaits (its sleeps, calls, and handles' `exited`)
   * never resume afterwards: close is the last thing a component's owner does.
   */
  close(): void;
}

export function createLiveEnv(options: LiveEnvOptions = {}): LiveEnv {
  const seed = options.seed ?? randomBytes(4).readUInt32LE(0);
  const world = new World({
    scheduler: new LiveScheduler(),
    links: directLinks,
    random: new SeededRandom(seed),
    observe: null,
  });
  const { env } = world.adopt(options.process ?? 'main');
  return {
    ...env,
    seed,
    close: () => {
      for (const scope of world.processes()) world.kill(scope, null);
    },
  };
}
