// The World: the processes of one sim kernel or one live Env tree, each with its Env, plus the
// network between them. It holds the semantics both modes share: how processes start, fail
// and die, what a dead process's timers and awaits become, and how a handle reports an exit.

import type { Millis } from './clock.js';
import type { Env, ProcessExit, ProcessHandle } from './env.js';
import type { LinkPolicy } from './link-policy.js';
import { LocalNetwork } from './local-network.js';
import { errorText, ProcessScope } from './process-scope.js';
import type { Random } from './random.js';
import type { Scheduled, Scheduler } from './scheduler.js';
import type { TimerHandle, Timers } from './timers.js';
import { NO_PAYLOAD, type WorldObserver } from './world-event.js';

export interface WorldOptions {
  readonly scheduler: Scheduler;
  readonly links: LinkPolicy;
  /** Every process's Random is forked from this one, in spawn order. */
  readonly random: Random;
  readonly observe: WorldObserver | null;
}

export type ProcessMain = (env: Env) => Promise<void>;

const RETURNED: ProcessExit = { kind: 'returned' };
const KILLED: ProcessExit = { kind: 'killed' };

/** The promise a dead process awaits forever. Sharing one is fine: it holds no callbacks' state. */
const NEVER: Promise<never> = new Promise<never>(() => {});

export class World {
  readonly network: LocalNetwork;
  /** Running processes by name: a name is unique among the living, so partitions and faults can name them. */
  private readonly running = new Map<string, ProcessScope>();
  private readonly clock: { now(): Millis };
  private nextTimer = 1;

  constructor(private readonly options: WorldOptions) {
    const { scheduler } = options;
    this.network = new LocalNetwork(scheduler, options.links, options.observe);
    this.clock = { now: () => scheduler.now() };
  }

  /**
   * Starts `main` as a new process. It starts as its own event (at the current time), never
   * inside the spawner's code. A process lives as long as its `main`: when main returns or
   * throws, everything the process holds (listeners, timers, streams) is released, as when a
   * Go program's main returns. A server's main therefore awaits forever, e.g. `sleep(Infinity)`.
   */
  spawn(name: string, main: ProcessMain, parent: ProcessScope | null): ProcessScope {
    if (parent && !parent.alive) return this.stillborn(name);
    if (this.running.has(name)) throw new Error(`a process named ${name} is already running`);
    const scope = new ProcessScope(name, (crashed, error) => this.fail(crashed, error));
    this.running.set(name, scope);
    this.forgetOnEnd(scope);
    this.options.observe?.({ t: this.options.scheduler.now(), k: 'spawn', p: name, by: parent?.name ?? null }, NO_PAYLOAD);
    const env = this.envFor(scope);
    this.options.scheduler.schedule(0, scope, () => {
      let done: Promise<void>;
      try {
        done = Promise.resolve(main(env));
      } catch (error) {
        done = Promise.reject(error);
      }
      done.then(
        () => this.end(scope, RETURNED, null),
        (error: unknown) => this.fail(scope, error),
      );
    });
    return scope;
  }

  /**
   * Makes a process of code that is already running (live mode's root Env): it has no main,
   * so it ends only when killed.
   */
  adopt(name: string): { scope: ProcessScope; env: Env } {
    if (this.running.has(name)) throw new Error(`a process named ${name} is already running`);
    const scope = new ProcessScope(name, (crashed, error) => this.fail(crashed, error));
    this.running.set(name, scope);
    this.forgetOnEnd(scope);
    return { scope, env: this.envFor(scope) };
  }

  /** The running process of that name, if any. */
  find(name: string): ProcessScope | undefined {
    return this.running.get(name);
  }

  /** Every running process, in spawn order. */
  processes(): ProcessScope[] {
    return [...this.running.values()];
  }

  kill(scope: ProcessScope, by: ProcessScope | null): void {
    this.end(scope, KILLED, by?.name ?? null);
  }

  /**
   * A handle on `scope` for `viewer` (null: the harness). A process's handle acts only while
   * that process lives: a dead parent's kill() does nothing and its await on `exited` never
   * resumes, like any other await of a dead process.
   */
  handle(scope: ProcessScope, viewer: ProcessScope | null): ProcessHandle {
    let exited: Promise<ProcessExit> | null = null;
    return {
      name: scope.name,
      get alive() {
        return scope.alive;
      },
      kill: () => {
        if (viewer === null || viewer.alive) this.kill(scope, viewer);
      },
      get exited() {
        exited ??= viewer === null ? scope.exited : gate(scope.exited, viewer);
        return exited;
      },
    };
  }

  private forgetOnEnd(scope: ProcessScope): void {
    scope.hold(() => {
      if (this.running.get(scope.name) === scope) this.running.delete(scope.name);
    });
  }

  private fail(scope: ProcessScope, error: unknown): void {
    const text = errorText(error);
    this.end(scope, { kind: 'failed', error: text }, text);
  }

  private end(scope: ProcessScope, exit: ProcessExit, why: string | null): void {
    if (!scope.alive) return;
    this.options.observe?.({ t: this.options.scheduler.now(), k: 'exit', p: scope.name, how: exit.kind, why }, NO_PAYLOAD);
    scope.end(exit);
  }

  /** What a dead process gets when it tries to spawn: a child that never ran. */
  private stillborn(name: string): ProcessScope {
    const scope = new ProcessScope(name, () => {});
    scope.end(KILLED);
    return scope;
  }

  private envFor(scope: ProcessScope): Env {
    return {
      process: scope.name,
      clock: this.clock,
      timers: this.timersFor(scope),
      random: this.options.random.fork(),
      network: this.network.bind(scope),
      spawn: (name, main) => this.handle(this.spawn(name, main, scope), scope),
    };
  }

  private timersFor(scope: ProcessScope): Timers {
    const { scheduler, observe } = this.options;
    // Timers not yet fired or cancelled, so cancel() can find them. A dead process's entries
    // are never cleaned: the map dies with its Env.
    const pending = new Map<number, Scheduled>();
    const fired = (id: number): void => observe?.({ t: scheduler.now(), k: 'timer', p: scope.name, id }, NO_PAYLOAD);
    return {
      sleep: (ms) => {
        const delay = checkDelay(ms);
        // Infinity is the idiom for "wait until killed": nothing is scheduled for it.
        if (!scope.alive || delay === Infinity) return NEVER;
        const id = this.nextTimer++;
        return new Promise<void>((resolve) => {
          scheduler.schedule(delay, scope, () => {
            fired(id);
            resolve();
          });
        });
      },
      setTimer: (ms, fn): TimerHandle => {
        const delay = checkDelay(ms);
        const id = this.nextTimer++;
        if (scope.alive && delay !== Infinity) {
          const task = scheduler.schedule(delay, scope, () => {
            pending.delete(id);
            fired(id);
            scope.run(fn);
          });
          pending.set(id, task);
        }
        return { id };
      },
      cancel: (handle) => {
        const task = pending.get(handle.id);
        if (!task) return;
        pending.delete(handle.id);
        task.cancel();
      },
    };
  }
}

/** Negative delays mean "now"; NaN is a bug in the caller. */
function checkDelay(ms: number): number {
  if (Number.isNaN(ms)) throw new RangeError('timer delay is NaN');
  return Math.max(0, ms);
}

/** `exited` as seen by `viewer`: it settles only if the viewer is still alive by then. */
function gate(exited: Promise<ProcessExit>, viewer: ProcessScope): Promise<ProcessExit> {
  return new Promise((resolve) => {
    void exited.then((exit) => {
      if (viewer.alive) resolve(exit);
    });
  });
}
