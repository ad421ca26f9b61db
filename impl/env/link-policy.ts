// The LinkPolicy decides the fate of each message between two processes: lost, cut off, or
// delivered after how long. The sim kernel's policy draws losses and delays from its seed and
// applies partitions; live mode delivers everything at once.

import type { Millis } from './clock.js';

export interface LinkPolicy {
  /** Is the link between the two processes cut (a partition)? Symmetric. */
  cut(from: string, to: string): boolean;
  /** Should this one message be lost (random loss)? Asked once per lossy message. */
  lose(from: string, to: string): boolean;
  /**
   * How long this one message travels (>= 0). `stream` marks an item of a streamed reply (a
   * watch event), which a policy may hold back longer than calls and replies: a watch that
   * lags behind the requests its receiver makes.
   */
  delay(from: string, to: string, stream?: boolean): Millis;
}

/** Live links: nothing is lost, nothing is cut, and delivery waits only for the event loop. */
export const directLinks: LinkPolicy = {
  cut: () => false,
  lose: () => false,
  delay: () => 0,
};
