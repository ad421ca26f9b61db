// A ProcessScope is the bookkeeping of one running process: its liveness and everything it
// holds (listeners, calls in flight, streams, real timers), released together when it ends.
// Sim and live both build their processes on it.

import type { ProcessExit } from './env.js';

/** Turns a thrown value into the one-line text kept in traces and ProcessExit. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export class ProcessScope {
  /** The exit, once the process has ended; null while it runs. */
  exit: ProcessExit | null = null;
  /** Release callbacks of everything the process holds, run in the order they were taken. */
  private readonly holdings = new Set<() => void>();
  private settle!: (exit: ProcessExit) => void;
  readonly exited: Promise<ProcessExit> = new Promise((resolve) => (this.settle = resolve));

  constructor(
    readonly name: string,
    /** Called when the process's own code throws where nobody can catch it (a timer callback, a message handler). */
    private readonly onCrash: (scope: ProcessScope, error: unknown) => void,
  ) {}

  get alive(): boolean {
    return this.exit === null;
  }

  /**
   * Registers a resource to release when the process ends; returns a function that
   * unregisters it (when the resource is given back earlier). On an ended process the
   * resource is not taken: nothing is registered.
   */
  hold(release: () => void): () => void {
    if (!this.alive) return noop;
    this.holdings.add(release);
    return () => void this.holdings.delete(release);
  }

  /**
   * Runs `fn` as this process's code: not at all if the process has ended, and a throw
   * crashes the process rather than the caller (the kernel or another process).
   */
  run(fn: () => void): void {
    if (!this.alive) return;
    try {
      fn();
    } catch (error) {
      this.crash(error);
    }
  }

  /** Ends the process as failed because of `error` (does nothing once ended). */
  crash(error: unknown): void {
    if (this.alive) this.onCrash(this, error);
  }

  /**
   * Marks the process ended and releases everything it holds. Releases must not run the
   * process's own code (it is dead) and run before `exited` settles, so whoever awaits
   * the exit sees the world already cleaned up. Returns false if it had already ended.
   */
  end(exit: ProcessExit): boolean {
    if (!this.alive) return false;
    this.exit = exit;
    const releases = [...this.holdings];
    this.holdings.clear();
    for (const release of releases) release();
    this.settle(exit);
    return true;
  }
}

function noop(): void {}
