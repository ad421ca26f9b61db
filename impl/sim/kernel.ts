// The deterministic simulation kernel: processes run as tasks over a seeded discrete-event
// queue in virtual time, talking through a simulated network. A run is a pure function of
// the seed, the processes' code and the harness's faults: same inputs, byte-identical trace.

import type { Millis } from '../env/clock.js';
import type { Env, ProcessHandle } from '../env/env.js';
import type { ProcessScope } from '../env/process-scope.js';
import { SeededRandom, type Random } from '../env/random.js';
import type { Scheduled, Scheduler } from '../env/scheduler.js';
import { World } from '../env/world.js';
import { EventQueue, SimEvent } from './event-queue.js';
import { SimLinks, type SimNetworkOptions } from './sim-links.js';
import { Trace, type KernelEvent, type TraceOptions } from './trace.js';

export interface SimKernelOptions {
  seed: number;
  /** Virtual epoch ms at the start (default 1_700_000_000_000, in November 2023). */
  startTime?: Millis;
  network?: SimNetworkOptions;
  trace?: TraceOptions;
}

export interface RunOptions {
  /** Run no event due after this virtual time; the clock then stands at `until`. */
  until?: Millis;
  /** Run at most this many events. */
  maxEvents?: number;
}

export interface RunSummary {
  /** Events run by this call (cancelled events and those of ended processes do not count). */
  readonly events: number;
  /** Virtual time at the end. */
  readonly time: Millis;
  /** Why the run stopped: nothing left to do, the time bound, or the event bound. */
  readonly stopped: 'idle' | 'until' | 'maxEvents';
}

export const DEFAULT_START_TIME: Millis = 1_700_000_000_000;

/**
 * Lets every promise continuation queued so far run, including those queued by those: a
 * setImmediate callback runs only once the microtask queue is empty. This is what makes
 * async/await code advance deterministically between two events.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class SimKernel implements Scheduler {
  readonly seed: number;
  readonly trace: Trace;
  private time: Millis;
  private readonly queue = new EventQueue();
  /** Draws the tiebreak of each event; separate from the network's draws so one does not shift the other. */
  private readonly order: Random;
  private readonly links: SimLinks;
  private readonly world: World;
  private seq = 0;
  private running = false;
  /** An exception thrown by a harness fault (at/after): it ends the run. */
  private harnessFailure: { error: unknown } | null = null;

  constructor(options: SimKernelOptions) {
    this.seed = options.seed;
    this.time = options.startTime ?? DEFAULT_START_TIME;
    const root = new SeededRandom(options.seed);
    this.order = root.fork();
    this.links = new SimLinks(root.fork(), options.network);
    this.trace = new Trace(options.trace);
    this.world = new World({
      scheduler: this,
      links: this.links,
      random: root.fork(),
      observe: (event, payload) => this.trace.record(event, payload),
    });
  }

  now(): Millis {
    return this.time;
  }

  /** Part of the Scheduler the world runs on; the harness uses `at` and `after`. */
  schedule(ms: Millis, owner: ProcessScope | null, task: () => void): Scheduled {
    return this.enqueue(this.time + Math.max(0, ms), owner, task);
  }

  /** Starts a process (at the current virtual time, in seeded order among others starting then). */
  spawn(name: string, main: (env: Env) => Promise<void>): ProcessHandle {
    return this.world.handle(this.world.spawn(name, main, null), null);
  }

  /** The running process of that name, also one spawned by another process. */
  process(name: string): ProcessHandle | undefined {
    const scope = this.world.find(name);
    return scope ? this.world.handle(scope, null) : undefined;
  }

  /** Names of the running processes, in spawn order. */
  processes(): string[] {
    return this.world.processes().map((scope) => scope.name);
  }

  /** Runs a harness action (a fault) at a virtual time; an exception from it ends the run. */
  at(time: Millis, fn: () => void): Scheduled {
    if (time < this.time) throw new RangeError(`at(${time}): that is before now (${this.time})`);
    return this.enqueue(time, null, () => this.harness(fn));
  }

  after(ms: Millis, fn: () => void): Scheduled {
    return this.at(this.time + Math.max(0, ms), fn);
  }

  /** Cuts every link between a process named in `groupA` and one named in `groupB`; streams across break. */
  partition(groupA: readonly string[], groupB: readonly string[]): void {
    this.note({ t: this.time, k: 'partition', a: [...groupA], b: [...groupB] });
    this.links.partition(groupA, groupB);
    this.world.network.breakCutStreams();
  }

  /**
   * Without arguments, restores every cut link; with two groups, undoes one earlier
   * partition(groupA, groupB) only, so overlapping faults heal independently. Messages lost
   * meanwhile stay lost.
   */
  heal(groupA?: readonly string[], groupB?: readonly string[]): void {
    if (groupA && groupB) {
      this.note({ t: this.time, k: 'heal', a: [...groupA], b: [...groupB] });
      this.links.unpartition(groupA, groupB);
      return;
    }
    this.note({ t: this.time, k: 'heal' });
    this.links.heal();
  }

  /**
   * Breaks every open stream between a process of `groupA` and one of `groupB` (both
   * ways), as a connection reset does, without cutting the links: the ends see the stream
   * break and may reconnect at once. Returns how many streams broke.
   */
  resetStreams(groupA: readonly string[], groupB: readonly string[]): number {
    this.note({ t: this.time, k: 'reset', a: [...groupA], b: [...groupB] });
    return this.world.network.resetStreams(groupA, groupB);
  }

  setDropRate(p: number): void {
    this.links.setDropRate(p);
    this.note({ t: this.time, k: 'drop-rate', p });
  }

  /** The network's current delay bounds (as set by the options or setDelay). */
  delay(): { readonly minMs: Millis; readonly maxMs: Millis } {
    return this.links.delayBounds();
  }

  setDelay(minMs: Millis, maxMs: Millis): void {
    this.links.setDelay(minMs, maxMs);
    this.note({ t: this.time, k: 'delay', min: minMs, max: maxMs });
  }

  /** Watch events (stream items) to `process` take a further [minMs, maxMs] each; undefined ends it. */
  setStreamLag(process: string, bounds: { readonly minMs: Millis; readonly maxMs: Millis } | undefined): void {
    this.links.setStreamLag(process, bounds);
    this.note({ t: this.time, k: 'stream-lag', to: process, ...(bounds ? { min: bounds.minMs, max: bounds.maxMs } : {}) });
  }

  /** Writes a harness annotation into the trace (it counts in the hash). */
  annotate(text: string): void {
    this.note({ t: this.time, k: 'note', text });
  }

  /**
   * Runs events in (time, seeded tiebreak) order until none are left or a bound is hit.
   * After each event every promise continuation settles before the next event is taken, so
   * a process runs from one await to the next, and the virtual clock only moves between
   * events. One event at a time is also what keeps runs cheap to reason about; the settle
   * costs a couple of microseconds.
   */
  async run(options: RunOptions = {}): Promise<RunSummary> {
    if (this.running) throw new Error('SimKernel.run is already running');
    this.running = true;
    const { until, maxEvents = Infinity } = options;
    let events = 0;
    let stopped: RunSummary['stopped'] = 'idle';
    try {
      // Code that ran before run() (the harness's setup) reaches its first await first.
      await settle();
      for (;;) {
        const next = this.queue.peek();
        if (next === undefined) break;
        if (next.cancelled || (next.owner !== null && !next.owner.alive)) {
          this.queue.pop();
          continue;
        }
        if (until !== undefined && next.time > until) {
          stopped = 'until';
          break;
        }
        if (events >= maxEvents) {
          stopped = 'maxEvents';
          break;
        }
        this.queue.pop();
        this.time = next.time;
        events++;
        next.task();
        await settle();
        if (this.harnessFailure) {
          const { error } = this.harnessFailure;
          this.harnessFailure = null;
          throw error;
        }
      }
      if (until !== undefined && stopped !== 'maxEvents' && until > this.time) this.time = until;
    } finally {
      this.running = false;
    }
    return { events, time: this.time, stopped };
  }

  private enqueue(time: Millis, owner: ProcessScope | null, task: () => void): SimEvent {
    const event = new SimEvent(time, this.order.uint32(), this.seq++, owner, task);
    this.queue.push(event);
    return event;
  }

  private harness(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.harnessFailure ??= { error };
    }
  }

  private note(event: KernelEvent): void {
    this.trace.record(event);
  }
}
