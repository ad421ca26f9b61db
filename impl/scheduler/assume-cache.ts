// Pods this scheduler has placed but not yet seen bound in its informer. Binding is a
// network round trip and the informer hears of it later still; in between, the pod must
// already count against its node, or the next cycle would hand the same last CPU to another
// pod. An assumption ends when the informer shows the pod bound (confirm), when the
// binding fails for sure (forget), or when its binding finished but the informer has not
// shown it within the TTL (expire: the watch lost it, or the pod went away meanwhile).

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { TimerHandle, Timers } from '../env/timers.js';

interface Assumption {
  /** The pod as assumed: a copy with spec.nodeName set to the chosen node. */
  readonly pod: Pod;
  readonly uid: string;
  /** Set once the binding call has finished; until then the assumption cannot expire. */
  timer?: TimerHandle;
}

export class AssumeCache {
  private readonly assumed = new Map<string, Assumption>();

  constructor(
    private readonly timers: Timers,
    /** How long after its binding finished an unconfirmed assumption lasts. */
    private readonly ttlMs: number,
    /** Told of each expired assumption, so the pod can be looked at again. */
    private readonly onExpire: (key: string) => void,
  ) {}

  /** Counts `pod` on `node` from now on. */
  assume(key: string, pod: Pod, node: string): void {
    this.drop(key);
    const copy: Pod = { ...pod, spec: { containers: [], ...pod.spec, nodeName: node } };
    this.assumed.set(key, { pod: copy, uid: pod.metadata?.uid ?? '' });
  }

  /** The binding call returned (or its outcome is unknown): start the expiry clock. */
  finishBinding(key: string): void {
    const a = this.assumed.get(key);
    if (!a || a.timer) return;
    a.timer = this.timers.setTimer(this.ttlMs, () => {
      if (this.assumed.get(key) !== a) return;
      this.assumed.delete(key);
      this.onExpire(key);
    });
  }

  /** The binding failed: the pod no longer counts anywhere. */
  forget(key: string): void {
    this.drop(key);
  }

  /** The informer shows the pod (this uid) bound: from now on it counts through the informer. */
  confirm(key: string, uid: string | undefined): void {
    const a = this.assumed.get(key);
    if (a && (!uid || !a.uid || a.uid === uid)) this.drop(key);
  }

  isAssumed(key: string): boolean {
    return this.assumed.has(key);
  }

  /** Every assumed pod, each with the nodeName it was assumed onto. */
  pods(): Pod[] {
    return [...this.assumed.values()].map((a) => a.pod);
  }

  get size(): number {
    return this.assumed.size;
  }

  private drop(key: string): void {
    const a = this.assumed.get(key);
    if (!a) return;
    if (a.timer) this.timers.cancel(a.timer);
    this.assumed.delete(key);
  }
}
