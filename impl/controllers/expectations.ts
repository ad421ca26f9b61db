// Controller expectations, as upstream's UIDTrackingControllerExpectations: a TTL cache of
// the pod creates and deletes each controller key has issued but not yet seen in its
// informer. While a key has unobserved writes its sync does not act on the pod count, since
// the cache would still show the world before those writes and the controller would create
// (or delete) the same pods twice. An expectation older than the TTL counts as satisfied,
// so a write whose effect never shows (a create whose answer was lost and that never
// happened) stalls the key for at most that long.

import type { Clock, Millis } from '../env/clock.js';

/** Upstream's ExpectationsTimeout. */
export const DEFAULT_EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  /** Creates issued and not yet observed. */
  add: number;
  /** Keys (namespace/name) of pods whose deletion was issued and not yet observed. */
  readonly deletes: Set<string>;
  /** When the expectation was set; it expires TTL after. */
  readonly at: Millis;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: Millis = DEFAULT_EXPECTATIONS_TIMEOUT_MS,
  ) {}

  /** True when the key may act: no expectation, all observed, or expired. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.deletes.size === 0) return true;
    return this.clock.now() - e.at > this.ttlMs;
  }

  /** Records `count` creates about to be issued (replacing whatever the key expected). */
  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { add: count, deletes: new Set(), at: this.clock.now() });
  }

  /** Records the deletes about to be issued, by pod key. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.byKey.set(key, { add: 0, deletes: new Set(podKeys), at: this.clock.now() });
  }

  /** A pod this key created appeared (or a create is known not to have happened). */
  creationObserved(key: string, count = 1): void {
    const e = this.byKey.get(key);
    if (e) e.add -= count;
  }

  /** A pod this key deleted disappeared or got its deletionTimestamp; counted once per pod. */
  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.deletes.delete(podKey);
  }

  /** Drops the key's expectations (its controller object is gone). */
  forget(key: string): void {
    this.byKey.delete(key);
  }

  /** Creates and deletes still expected, for tests and debugging. */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.byKey.get(key);
    return e ? { add: Math.max(0, e.add), del: e.deletes.size } : undefined;
  }
}
