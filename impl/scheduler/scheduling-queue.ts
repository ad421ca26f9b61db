// The queue of pods waiting to be scheduled, shaped as upstream's PriorityQueue: an active
// queue (higher priority first, then first come), a back-off stage for pods that just failed,
// and a parking lot of unschedulable pods that only a cluster event can help. A pod that
// did not fit is parked; a node added or changed, or a pod deleted, moves every parked pod
// back: to the active queue if its back-off (1 s doubling to 10 s by default, per attempt)
// is over, else to back-off. A pod parked for too long (5 min) is retried anyway, in case
// an event was missed. A cluster event that arrives while a pod is being scheduled sends that
// pod to back-off instead of parking it, so the event is not lost.
//
// Upstream polls its back-off queue every second; here each back-off ends on its own timer,
// which is as deterministic and never later than upstream.

import type { Clock } from '../env/clock.js';
import type { TimerHandle, Timers } from '../env/timers.js';

export interface SchedulingQueueOptions {
  /** The first back-off after a failed attempt (upstream podInitialBackoffSeconds: 1 s). */
  readonly initialBackoffMs: number;
  /** The longest back-off (upstream podMaxBackoffSeconds: 10 s). */
  readonly maxBackoffMs: number;
  /** A parked pod is retried after this long even without an event (upstream: 5 min). */
  readonly maxUnschedulableMs: number;
}

type Stage = 'active' | 'backoff' | 'unschedulable' | 'in-flight';

interface QueuedPod {
  readonly key: string;
  stage: Stage;
  priority: number;
  /** Scheduling attempts so far; the back-off doubles with each. */
  attempts: number;
  /** When the last attempt failed: back-off runs from here. */
  failedAt: number;
  /** The scheduling cycle in which the pod was last popped. */
  cycle: number;
  /** Its back-off or parking timer. */
  timer?: TimerHandle;
  /** The pod changed while in flight: retry it instead of parking it. */
  updatedInFlight: boolean;
}

export class SchedulingQueue {
  private readonly pods = new Map<string, QueuedPod>();
  /** Active pods, kept sorted by priority (highest first), then by arrival. */
  private readonly active: QueuedPod[] = [];
  private waiters: ((key: string | undefined) => void)[] = [];
  /** Incremented by every pop. */
  private schedulingCycle = 0;
  /** The cycle during which the last cluster event arrived. */
  private moveRequestCycle = -1;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly options: SchedulingQueueOptions,
  ) {}

  /**
   * A pod to schedule appeared or changed. A new one goes to the active queue; a parked one
   * is moved out (its change may make it fit); one in back-off or in the active queue stays.
   */
  add(key: string, priority = 0): void {
    if (this.closed) return;
    const p = this.pods.get(key);
    if (!p) {
      const fresh: QueuedPod = { key, stage: 'active', priority, attempts: 0, failedAt: 0, cycle: -1, updatedInFlight: false };
      this.pods.set(key, fresh);
      this.toActive(fresh);
      return;
    }
    p.priority = priority;
    if (p.stage === 'unschedulable') this.moveOut(p);
    else if (p.stage === 'in-flight') p.updatedInFlight = true;
  }

  /** The pod is gone, or bound: forget it entirely. */
  delete(key: string): void {
    const p = this.pods.get(key);
    if (!p) return;
    this.clearTimer(p);
    if (p.stage === 'active') this.active.splice(this.active.indexOf(p), 1);
    this.pods.delete(key);
  }

  /** The next pod to try, in flight until `done` or a failure; undefined once closed. */
  pop(): Promise<string | undefined> {
    const next = this.active.shift();
    if (next) return Promise.resolve(this.start(next));
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The pod was placed and bound: it leaves the queue. */
  done(key: string): void {
    this.delete(key);
  }

  /** No node fits: park the pod until a cluster event, unless one came during its attempt. */
  unschedulable(key: string): void {
    const p = this.inFlight(key);
    if (!p) return;
    p.failedAt = this.clock.now();
    if (p.updatedInFlight || this.moveRequestCycle >= p.cycle) this.toBackoff(p);
    else this.toUnschedulable(p);
  }

  /** The attempt failed for another reason (the binding was refused, an API error): back off. */
  error(key: string): void {
    const p = this.inFlight(key);
    if (!p) return;
    p.failedAt = this.clock.now();
    this.toBackoff(p);
  }

  /**
   * Something changed that may let parked pods fit (a node added or updated, a pod
   * deleted): move them all to the active queue or, while backing off, to back-off.
   */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.schedulingCycle;
    for (const p of [...this.pods.values()]) if (p.stage === 'unschedulable') this.moveOut(p);
  }

  /** Pods that are known to the queue, by stage (for tests and debugging). */
  stages(): Record<string, Stage> {
    return Object.fromEntries([...this.pods.values()].map((p) => [p.key, p.stage]));
  }

  close(): void {
    this.closed = true;
    for (const p of this.pods.values()) this.clearTimer(p);
    for (const w of this.waiters) w(undefined);
    this.waiters = [];
  }

  /** Upstream's calculateBackoffDuration: initial × 2^(attempts-1), capped. */
  backoffMs(attempts: number): number {
    let d = this.options.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      d *= 2;
      if (d > this.options.maxBackoffMs) return this.options.maxBackoffMs;
    }
    return Math.min(d, this.options.maxBackoffMs);
  }

  private start(p: QueuedPod): string {
    p.stage = 'in-flight';
    p.attempts++;
    p.cycle = ++this.schedulingCycle;
    p.updatedInFlight = false;
    return p.key;
  }

  private inFlight(key: string): QueuedPod | undefined {
    const p = this.pods.get(key);
    return p?.stage === 'in-flight' ? p : undefined;
  }

  private moveOut(p: QueuedPod): void {
    if (this.clock.now() < p.failedAt + this.backoffMs(p.attempts)) this.toBackoff(p);
    else this.toActive(p);
  }

  private toActive(p: QueuedPod): void {
    this.clearTimer(p);
    if (this.closed) return;
    const w = this.waiters.shift();
    if (w) {
      w(this.start(p));
      return;
    }
    p.stage = 'active';
    // After every pod of higher or equal priority: first come, first served within a priority.
    let i = this.active.length;
    while (i > 0 && (this.active[i - 1] as QueuedPod).priority < p.priority) i--;
    this.active.splice(i, 0, p);
  }

  private toBackoff(p: QueuedPod): void {
    this.clearTimer(p);
    p.stage = 'backoff';
    const wait = p.failedAt + this.backoffMs(p.attempts) - this.clock.now();
    p.timer = this.timers.setTimer(Math.max(0, wait), () => {
      p.timer = undefined;
      if (this.pods.get(p.key) === p && p.stage === 'backoff') this.toActive(p);
    });
  }

  private toUnschedulable(p: QueuedPod): void {
    this.clearTimer(p);
    p.stage = 'unschedulable';
    p.timer = this.timers.setTimer(this.options.maxUnschedulableMs, () => {
      p.timer = undefined;
      if (this.pods.get(p.key) === p && p.stage === 'unschedulable') this.moveOut(p);
    });
  }

  private clearTimer(p: QueuedPod): void {
    if (p.timer) this.timers.cancel(p.timer);
    p.timer = undefined;
  }
}
