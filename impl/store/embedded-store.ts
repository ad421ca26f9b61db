// The embedded store: the Store contract over the in-memory MVCC keyspace (mvcc.ts), with
// etcd 3.4's semantics, lease expiry on the Env's clock and timers, and an optional
// write-ahead log. With a log, a write is acknowledged, and becomes visible to reads and
// watches, only once its record is durable; on open the log is replayed.

import type { AppendLog } from '../env/append-log.js';
import type { Clock, Millis } from '../env/clock.js';
import type { Random } from '../env/random.js';
import type { TimerHandle, Timers } from '../env/timers.js';
import { compareKeys, keySpan, spanContains, type KeySpan } from './key-order.js';
import { MORE_ETCD_MESSAGES, Mvcc, compactedError, isTombstone, requireKey, type Written } from './mvcc.js';
import {
  ETCD_MESSAGES,
  NO_LEASE,
  StoreError,
  type DeleteOptions,
  type DeleteResult,
  type LeaseGrant,
  type LeaseId,
  type LeaseInfo,
  type PutOptions,
  type PutResult,
  type RangeOptions,
  type RangeResult,
  type Revision,
  type Store,
  type TxnRequest,
  type TxnResult,
  type Watch,
  type WatchEvent,
  type WatchOptions,
} from './store.js';
import { changesOf, decodeWalRecord, encodeWalRecord, type WalRecord } from './wal-record.js';
import { WatchStream } from './watch-stream.js';

/** etcd 3.4's minimum lease TTL with default flags: ceil(1.5 * election timeout of 1 s). */
export const DEFAULT_MIN_LEASE_TTL_SECONDS = 2;
/** etcd's MaxLeaseTTL. */
export const MAX_LEASE_TTL_SECONDS = 9_000_000_000;
/** Timers take at most a signed 32-bit delay; longer leases re-arm when it fires. */
const MAX_TIMER_MS = 0x7fffffff;

export interface EmbeddedStoreOptions {
  readonly clock: Clock;
  readonly timers: Timers;
  /** The write-ahead log; without one the store lives in memory only. The store closes it on close(). */
  readonly log?: AppendLog;
  /** Grants below this many seconds are raised to it (etcd 3.4 default: 2). */
  readonly minLeaseTtlSeconds?: number;
  /** Draws lease ids (63-bit, like etcd's); without it ids count up from 1. */
  readonly random?: Random;
}

/** A watch as the store tracks it. */
interface Watcher {
  readonly span: KeySpan;
  readonly prevKv: boolean;
  /** The next revision to consider for delivery. */
  next: Revision;
  readonly stream: WatchStream;
}

/** When a lease runs out, and the timer that will revoke it then. */
interface LeaseDeadline {
  readonly expiresAt: Millis;
  timer: TimerHandle;
}

const DONE: Promise<void> = Promise.resolve();

export class EmbeddedStore implements Store {
  private readonly mvcc = new Mvcc();
  /**
   * The latest revision that is durable, and so visible: reads at "now" read here, watches
   * have been sent everything up to here, revision() reports it. The keyspace may already hold
   * later revisions whose records are still on their way to the log; writes build on those.
   */
  private visible: Revision = 1;
  /** Settles when the last record appended so far is durable (and its revision visible). */
  private durable: Promise<void> = DONE;
  private readonly watchers = new Set<Watcher>();
  private readonly deadlines = new Map<LeaseId, LeaseDeadline>();
  /** The next lease id when ids count up (no `random`). */
  private nextLeaseId = 1n;
  private closed = false;
  /** Set when the log failed: memory may then be ahead of disk, so the store serves nothing more. */
  private broken: StoreError | undefined;
  private readonly minLeaseTtl: number;

  private constructor(private readonly options: EmbeddedStoreOptions) {
    this.minLeaseTtl = options.minLeaseTtlSeconds ?? DEFAULT_MIN_LEASE_TTL_SECONDS;
  }

  /** Opens a store, replaying `options.log` when given. Leases found in the log get a full TTL again, as in etcd. */
  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    const store = new EmbeddedStore(options);
    if (options.log !== undefined) {
      try {
        for (const bytes of await options.log.readAll()) store.replay(decodeWalRecord(bytes));
      } catch (error) {
        await options.log.close();
        throw error;
      }
      store.visible = store.mvcc.revision;
      for (const lease of store.mvcc.allLeases()) store.arm(lease.id, lease.ttl);
    }
    return store;
  }

  async revision(): Promise<Revision> {
    this.assertUsable();
    return this.visible;
  }

  async range(options: RangeOptions): Promise<RangeResult> {
    this.assertUsable();
    requireKey(options);
    const current = this.visible;
    const revision = options.revision !== undefined && options.revision > 0 ? options.revision : current;
    if (revision > current) throw new StoreError('future-revision', ETCD_MESSAGES.futureRevision);
    if (revision < this.mvcc.compactRevision) throw compactedError(this.mvcc.compactRevision);
    return { revision: current, ...this.mvcc.read(options, revision) };
  }

  async put(key: string, value: string, options: PutOptions = {}): Promise<PutResult> {
    this.assertUsable();
    if (options.lease !== undefined && options.lease !== NO_LEASE) this.expireIfDue(options.lease);
    return this.commit(this.mvcc.put(key, value, options));
  }

  async delete(options: DeleteOptions): Promise<DeleteResult> {
    this.assertUsable();
    return this.commit(this.mvcc.deleteRange(options));
  }

  async txn(request: TxnRequest): Promise<TxnResult> {
    this.assertUsable();
    for (const op of [...request.success, ...request.failure]) {
      if (op.type === 'put' && op.lease !== undefined && op.lease !== NO_LEASE) this.expireIfDue(op.lease);
    }
    return this.commit(this.mvcc.txn(request));
  }

  async watch(options: WatchOptions): Promise<Watch> {
    this.assertUsable();
    const start = options.startRevision !== undefined && options.startRevision > 0 ? options.startRevision : this.visible + 1;
    const watcher: Watcher = {
      span: keySpan(options),
      prevKv: options.prevKv === true,
      next: start,
      stream: new WatchStream(() => this.watchers.delete(watcher)),
    };
    // etcd cancels a watcher whose start is below the compact revision; starting exactly there works.
    if (start < this.mvcc.compactRevision) {
      watcher.stream.fail(compactedError(this.mvcc.compactRevision));
      return watcher.stream;
    }
    // Catch up synchronously: no revision can become visible in between, so nothing is missed or repeated.
    for (; watcher.next <= this.visible; watcher.next++) this.deliver(watcher, watcher.next);
    this.watchers.add(watcher);
    return watcher.stream;
  }

  async compact(revision: Revision): Promise<void> {
    this.assertUsable();
    if (revision <= this.mvcc.compactRevision) throw compactedError(this.mvcc.compactRevision);
    if (revision > this.visible) throw new StoreError('future-revision', ETCD_MESSAGES.futureRevision);
    this.mvcc.compact(revision);
    await this.append({ kind: 'compact', revision });
  }

  async leaseGrant(ttlSeconds: number): Promise<LeaseGrant> {
    this.assertUsable();
    if (!Number.isSafeInteger(ttlSeconds)) throw new StoreError('invalid', `lease TTL must be an integer, got ${ttlSeconds}`);
    const ttl = Math.max(ttlSeconds, this.minLeaseTtl);
    if (ttl > MAX_LEASE_TTL_SECONDS) throw new StoreError('invalid', MORE_ETCD_MESSAGES.leaseTtlTooLarge);
    const id = this.newLeaseId();
    this.mvcc.grantLease(id, ttl);
    this.arm(id, ttl);
    await this.append({ kind: 'lease-grant', id, ttl });
    return { id, ttl };
  }

  async leaseKeepAlive(id: LeaseId): Promise<number> {
    this.assertUsable();
    this.expireIfDue(id);
    const lease = this.mvcc.lease(id);
    if (lease === undefined) throw new StoreError('lease-not-found', ETCD_MESSAGES.leaseNotFound);
    this.arm(id, lease.ttl);
    return lease.ttl;
  }

  async leaseRevoke(id: LeaseId): Promise<void> {
    this.assertUsable();
    await this.revoke(id);
  }

  async leaseTimeToLive(id: LeaseId): Promise<LeaseInfo> {
    this.assertUsable();
    this.expireIfDue(id);
    const lease = this.mvcc.lease(id);
    const deadline = this.deadlines.get(id);
    if (lease === undefined || deadline === undefined) return { id, ttl: -1, grantedTtl: 0, keys: [] };
    // etcd truncates a nanosecond-precise remaining time, so even at the grant instant it
    // reports one second less than granted; on a millisecond clock, round up and take one off.
    const remainingMs = deadline.expiresAt - this.options.clock.now();
    const ttl = Math.max(0, Math.ceil(remainingMs / 1000) - 1);
    return { id, ttl, grantedTtl: lease.ttl, keys: [...lease.keys].sort(compareKeys) };
  }

  /** Stops lease timers, ends every watch with StoreError('closed'), waits for the log and closes it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const deadline of this.deadlines.values()) this.options.timers.cancel(deadline.timer);
    this.deadlines.clear();
    const closing = new StoreError('closed', 'embedded store: closed');
    for (const watcher of [...this.watchers]) watcher.stream.fail(closing);
    await this.durable.catch(() => undefined);
    await this.options.log?.close();
  }

  // ---- commit and visibility ----------------------------------------------------------

  /**
   * Acknowledges a write: a new revision resolves once its record is durable (at once without
   * a log); a write that changed nothing resolves once every revision it may have read is durable.
   */
  private commit<R>(written: Written<R>, revokedLease?: LeaseId): Promise<R> {
    if (written.changes.length === 0) {
      return this.mvcc.revision <= this.visible ? Promise.resolve(written.result) : this.durable.then(() => written.result);
    }
    const revision = this.mvcc.revision;
    const record: WalRecord =
      revokedLease === undefined
        ? { kind: 'revision', revision, changes: changesOf(written.changes) }
        : { kind: 'revision', revision, changes: changesOf(written.changes), revokedLease };
    return this.append(record).then(() => written.result);
  }

  /** Appends a record; a revision record's revision becomes visible when the append is durable. */
  private append(record: WalRecord): Promise<void> {
    const log = this.options.log;
    if (log === undefined) {
      if (record.kind === 'revision') this.publish(record.revision);
      return DONE;
    }
    // Appends resolve in order, so revisions become visible in order.
    const appended = log.append(encodeWalRecord(record)).then(
      () => {
        if (record.kind === 'revision') this.publish(record.revision);
      },
      (error: unknown) => {
        throw this.breakDown(error);
      },
    );
    this.durable = appended;
    return appended;
  }

  /** Makes revisions up to `revision` visible and sends their events to the watches. */
  private publish(revision: Revision): void {
    while (this.visible < revision) {
      const r = ++this.visible;
      for (const watcher of this.watchers) {
        if (watcher.next === r) {
          this.deliver(watcher, r);
          watcher.next = r + 1;
        }
      }
    }
  }

  /**
   * Sends a watcher the events of revision `r` that it covers, as etcd would: a delete is its
   * tombstone (key and modRevision); prevKv is the key's value at r - 1, absent for a create or
   * when r - 1 is compacted away; the deletes of the compact revision itself are gone.
   */
  private deliver(watcher: Watcher, r: Revision): void {
    const events: WatchEvent[] = [];
    const compactRevision = this.mvcc.compactRevision;
    for (const kv of this.mvcc.eventsAt(r)) {
      if (!spanContains(watcher.span, kv.key)) continue;
      const deleted = isTombstone(kv);
      if (deleted && r === compactRevision) continue;
      let prevKv;
      if (watcher.prevKv && r - 1 >= compactRevision && (deleted || kv.createRevision !== kv.modRevision)) {
        prevKv = this.mvcc.get(kv.key, r - 1);
      }
      events.push(prevKv ? { type: deleted ? 'delete' : 'put', kv, prevKv } : { type: deleted ? 'delete' : 'put', kv });
    }
    if (events.length > 0) watcher.stream.push({ revision: r, events });
  }

  private breakDown(error: unknown): StoreError {
    if (this.broken === undefined) {
      const reason = error instanceof Error ? error.message : String(error);
      this.broken = new StoreError('unavailable', `embedded store: write-ahead log failed: ${reason}`);
      for (const watcher of [...this.watchers]) watcher.stream.fail(this.broken);
    }
    return this.broken;
  }

  private assertUsable(): void {
    if (this.closed) throw new StoreError('closed', 'embedded store: closed');
    if (this.broken !== undefined) throw this.broken;
  }

  // ---- leases -------------------------------------------------------------------------

  private newLeaseId(): LeaseId {
    const random = this.options.random;
    for (;;) {
      const id = random ? (BigInt(random.uint32() & 0x7fffffff) << 32n) | BigInt(random.uint32()) : this.nextLeaseId++;
      const text = id.toString();
      if (id !== 0n && this.mvcc.lease(text) === undefined) return text;
    }
  }

  /** Starts (or restarts) a lease's TTL from now. */
  private arm(id: LeaseId, ttlSeconds: number): void {
    const previous = this.deadlines.get(id);
    if (previous !== undefined) this.options.timers.cancel(previous.timer);
    const ms = ttlSeconds * 1000;
    const deadline: LeaseDeadline = {
      expiresAt: this.options.clock.now() + ms,
      timer: this.options.timers.setTimer(Math.min(ms, MAX_TIMER_MS), () => this.onTimer(id, deadline)),
    };
    this.deadlines.set(id, deadline);
  }

  private onTimer(id: LeaseId, deadline: LeaseDeadline): void {
    if (this.closed || this.broken !== undefined || this.deadlines.get(id) !== deadline) return;
    const remaining = deadline.expiresAt - this.options.clock.now();
    if (remaining > 0) {
      deadline.timer = this.options.timers.setTimer(Math.min(remaining, MAX_TIMER_MS), () => this.onTimer(id, deadline));
      return;
    }
    this.revoke(id).catch(() => undefined); // a log failure has already broken the store
  }

  /**
   * A lease past its deadline is gone even if its timer has not fired yet (real timers run
   * late): revoke it now, before an operation that names it.
   */
  private expireIfDue(id: LeaseId): void {
    const deadline = this.deadlines.get(id);
    if (deadline !== undefined && this.options.clock.now() >= deadline.expiresAt) {
      this.revoke(id).catch(() => undefined);
    }
  }

  /** Revokes a lease: its keys go in one new revision (none when it holds no keys). */
  private revoke(id: LeaseId): Promise<void> {
    const written = this.mvcc.revokeLease(id);
    const deadline = this.deadlines.get(id);
    if (deadline !== undefined) {
      this.options.timers.cancel(deadline.timer);
      this.deadlines.delete(id);
    }
    return written.changes.length > 0 ? this.commit(written, id) : this.append({ kind: 'lease-revoke', id });
  }

  // ---- recovery -----------------------------------------------------------------------

  private replay(record: WalRecord): void {
    switch (record.kind) {
      case 'revision':
        this.mvcc.replay(record.revision, record.changes, record.revokedLease);
        return;
      case 'lease-grant':
        this.mvcc.grantLease(record.id, record.ttl);
        if (/^\d+$/.test(record.id) && BigInt(record.id) >= this.nextLeaseId) this.nextLeaseId = BigInt(record.id) + 1n;
        return;
      case 'lease-revoke':
        if (this.mvcc.revokeLease(record.id).changes.length > 0) {
          throw new Error(`write-ahead log: lease ${record.id} revoked without a revision still holds keys`);
        }
        return;
      case 'compact':
        this.mvcc.compact(record.revision);
        return;
    }
  }
}
