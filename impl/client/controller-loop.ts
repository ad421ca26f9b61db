// The loop every controller runs: take a key from the work queue, sync it, and on failure
// put it back with back-off. The sync handler is a field so tests can replace it.

import type { WorkQueue } from './work-queue.js';

export interface ControllerLoop {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  sync: (key: string) => Promise<void>;
  /** Called with each failed sync (for events/logs); the key is retried with back-off. */
  onError?: (key: string, error: unknown) => void;
}

/** Runs `workers` concurrent workers until the queue shuts down. */
export function runControllerLoop(loop: ControllerLoop, workers = 1): Promise<void[]> {
  const worker = async () => {
    for (;;) {
      const key = await loop.queue.get();
      if (key === undefined) return;
      try {
        await loop.sync(key);
        loop.queue.forget(key);
      } catch (e) {
        loop.onError?.(key, e);
        loop.queue.addRateLimited(key);
      } finally {
        loop.queue.done(key);
      }
    }
  };
  return Promise.all(Array.from({ length: workers }, worker));
}
