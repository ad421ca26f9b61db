// The embedded store's keyspace: etcd's MVCC model in memory, synchronous and free of time
// and I/O. It keeps every key's versions since the last compaction (a key index), the
// changes of each revision in order (the event log watches replay from), and which keys
// each lease holds. Every write applies at once; the EmbeddedStore decides when a revision
// becomes visible (after it is durable in the write-ahead log).

import { compareKeys, deleteConflictsWithPut, keySpan, spanContinues, type KeySpan } from './key-order.js';
import { SortedKeys } from './sorted-keys.js';
import {
  ETCD_MESSAGES,
  NO_LEASE,
  StoreError,
  type Compare,
  type DeleteOptions,
  type DeleteResult,
  type KeyRange,
  type KeyValue,
  type LeaseId,
  type PutOptions,
  type PutResult,
  type RangeOptions,
  type RangeResult,
  type Revision,
  type TxnOp,
  type TxnOpResult,
  type TxnRequest,
  type TxnResult,
} from './store.js';

/** etcd's default --max-txn-ops. */
export const MAX_TXN_OPS = 128;

/** etcd's message texts beyond the contract's ETCD_MESSAGES. */
export const MORE_ETCD_MESSAGES = {
  emptyKey: 'etcdserver: key is not provided',
  tooManyOps: 'etcdserver: too many operations in txn request',
  leaseTtlTooLarge: 'etcdserver: too large lease TTL',
} as const;

/** A lease as the keyspace sees it: its granted TTL and the keys attached to it. */
export interface LeaseRecord {
  readonly id: LeaseId;
  readonly ttl: number;
  readonly keys: Set<string>;
}

/** The outcome of a write: its result, and the revision's changes (empty when nothing was written). */
export interface Written<R> {
  readonly result: R;
  /** Puts and tombstones in the order they happened, all at the store's new revision. */
  readonly changes: readonly KeyValue[];
}

/** One change as the write-ahead log replays it. */
export type ReplayedChange =
  | { readonly type: 'put'; readonly key: string; readonly value: string; readonly lease: LeaseId }
  | { readonly type: 'delete'; readonly key: string };

/** A range read's result without the revision header, which the caller fills in. */
export type ReadResult = Omit<RangeResult, 'revision'>;

/**
 * A deleted key's entry: key and modRevision (the deletion's revision), the rest zero.
 * This is also exactly the kv etcd sends in a delete event.
 */
function tombstone(key: string, revision: Revision): KeyValue {
  return { key, value: '', createRevision: 0, modRevision: revision, version: 0, lease: NO_LEASE };
}

export function isTombstone(kv: KeyValue): boolean {
  return kv.version === 0;
}

/** One key's versions in revision order, tombstones included, since the last compaction. */
interface KeyHistory {
  readonly key: string;
  readonly versions: KeyValue[];
}

export class Mvcc {
  /** The latest revision (etcd's currentRev); 1 for an empty store. */
  private rev: Revision = 1;
  /** etcd's compactMainRev: -1 until the first compaction, so compact(0) is accepted once, as in etcd. */
  private compacted: Revision = -1;
  /**
   * The key index: every key with versions since the last compaction. A txn can put a key and
   * then delete it through a "\0" range (etcd 3.4 allows that), so one revision may hold two
   * versions of a key; the later one wins.
   */
  private readonly history = new Map<string, KeyHistory>();
  /** The same histories in key order, for range scans. */
  private readonly keys = new SortedKeys<KeyHistory>();
  /** events[i] holds the changes of revision eventsBase + i, in order. */
  private events: KeyValue[][] = [];
  private eventsBase: Revision = 2;
  private readonly leases = new Map<LeaseId, LeaseRecord>();
  /** The changes of the write being built; undefined outside a write. */
  private writing: KeyValue[] | undefined;

  get revision(): Revision {
    return this.rev;
  }

  get compactRevision(): Revision {
    return this.compacted;
  }

  // ---- reads --------------------------------------------------------------------------

  /** The key's value at `revision`, undefined when it did not exist then. */
  get(key: string, revision: Revision): KeyValue | undefined {
    const history = this.history.get(key);
    return history === undefined ? undefined : liveAt(history, revision);
  }

  /** A range read at `revision`; the caller has checked that the revision is readable. */
  read(options: Omit<RangeOptions, 'revision'>, revision: Revision): ReadResult {
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : Infinity;
    const countOnly = options.countOnly === true;
    const keysOnly = options.keysOnly === true;
    const kvs: KeyValue[] = [];
    let count = 0;
    const take = (kv: KeyValue | undefined): void => {
      if (kv === undefined) return;
      count++;
      if (!countOnly && kvs.length < limit) kvs.push(keysOnly ? { ...kv, value: '' } : kv);
    };
    const span = keySpan(options);
    if (span.kind === 'single') take(this.get(span.from, revision));
    else this.scan(span, (history) => take(liveAt(history, revision)));
    return { kvs, count, more: !countOnly && count > kvs.length };
  }

  /** The changes of `revision` (empty for revision 1, revisions compacted away, or the future). */
  eventsAt(revision: Revision): readonly KeyValue[] {
    return this.events[revision - this.eventsBase] ?? [];
  }

  lease(id: LeaseId): LeaseRecord | undefined {
    return this.leases.get(id);
  }

  /** Every lease, in grant order. */
  allLeases(): IterableIterator<LeaseRecord> {
    return this.leases.values();
  }

  // ---- writes -------------------------------------------------------------------------

  put(key: string, value: string, options: PutOptions = {}): Written<PutResult> {
    if (key === '') throw invalid(MORE_ETCD_MESSAGES.emptyKey);
    const lease = options.lease ?? NO_LEASE;
    if (lease !== NO_LEASE && !this.leases.has(lease)) throw leaseNotFound();
    this.writing = [];
    const prev = this.writePut(key, value, lease);
    const changes = this.endWrite();
    return { result: options.prevKv && prev ? { revision: this.rev, prevKv: prev } : { revision: this.rev }, changes };
  }

  deleteRange(options: DeleteOptions): Written<DeleteResult> {
    requireKey(options);
    this.writing = [];
    const { deleted, prevKvs } = this.deleteSpan(keySpan(options));
    const changes = this.endWrite();
    const result = { revision: this.rev, deleted };
    return { result: options.prevKv ? { ...result, prevKvs } : result, changes };
  }

  /**
   * etcd's txn: request checks (op count, empty keys, duplicate keys in either branch),
   * then the compares, then the chosen branch's leases, then its ops at one revision;
   * reads later in the branch see its earlier writes.
   */
  txn(request: TxnRequest): Written<TxnResult> {
    checkTxnRequest(request);
    const succeeded = request.compare.every((compare) => compareHolds(compare, this.get(compare.key, this.rev)));
    const ops = succeeded ? request.success : request.failure;
    for (const op of ops) {
      if (op.type === 'put' && op.lease !== undefined && op.lease !== NO_LEASE && !this.leases.has(op.lease)) {
        throw leaseNotFound();
      }
    }
    this.writing = [];
    const responses = ops.map((op) => this.execute(op));
    const changes = this.endWrite();
    return { result: { succeeded, revision: this.rev, responses }, changes };
  }

  grantLease(id: LeaseId, ttl: number): void {
    if (this.leases.has(id)) throw new Error(`lease ${id} granted twice`);
    this.leases.set(id, { id, ttl, keys: new Set() });
  }

  /** Removes a lease and deletes its keys (in key order, as etcd) at one new revision, if it has any. */
  revokeLease(id: LeaseId): Written<void> {
    const lease = this.leases.get(id);
    if (lease === undefined) throw leaseNotFound();
    this.leases.delete(id);
    this.writing = [];
    for (const key of [...lease.keys].sort(compareKeys)) this.writeDelete(key);
    return { result: undefined, changes: this.endWrite() };
  }

  /**
   * etcd's compaction: keeps, of each key, the latest version at or below `revision` (none when
   * that is a tombstone) and everything later; drops the events below `revision`. The events of
   * `revision` itself stay: a watch may start there (it then misses that revision's deletes, as in etcd).
   */
  compact(revision: Revision): void {
    if (revision <= this.compacted) throw compactedError(this.compacted);
    if (revision > this.rev) throw new StoreError('future-revision', ETCD_MESSAGES.futureRevision);
    // Only keys written since the last compaction have versions to drop.
    const touched = new Set<string>();
    for (let r = Math.max(this.compacted + 1, this.eventsBase); r <= revision; r++) {
      for (const kv of this.eventsAt(r)) touched.add(kv.key);
    }
    for (const key of touched) {
      const versions = (this.history.get(key) as KeyHistory).versions;
      const last = lastAtOrBelow(versions, revision);
      const keepFrom = last >= 0 && isTombstone(versions[last] as KeyValue) ? last + 1 : last;
      if (keepFrom > 0) versions.splice(0, keepFrom);
      if (versions.length === 0) {
        this.history.delete(key);
        this.keys.delete(key);
      }
    }
    const drop = Math.min(revision - this.eventsBase, this.events.length);
    if (drop > 0) {
      this.events.splice(0, drop);
      this.eventsBase += drop;
    }
    this.compacted = revision;
  }

  /** Re-applies one logged revision on recovery. Throws when the log does not fit the keyspace. */
  replay(revision: Revision, changes: readonly ReplayedChange[], revokedLease?: LeaseId): void {
    if (revision !== this.rev + 1) throw new Error(`write-ahead log: revision ${revision} follows ${this.rev}`);
    if (changes.length === 0) throw new Error(`write-ahead log: revision ${revision} has no changes`);
    if (revokedLease !== undefined && !this.leases.delete(revokedLease)) {
      throw new Error(`write-ahead log: revision ${revision} revokes unknown lease ${revokedLease}`);
    }
    this.writing = [];
    for (const change of changes) {
      if (change.type === 'put') {
        if (change.lease !== NO_LEASE && !this.leases.has(change.lease)) {
          throw new Error(`write-ahead log: revision ${revision} puts ${change.key} with unknown lease ${change.lease}`);
        }
        this.writePut(change.key, change.value, change.lease);
      } else if (this.writeDelete(change.key) === undefined) {
        throw new Error(`write-ahead log: revision ${revision} deletes missing key ${change.key}`);
      }
    }
    this.endWrite();
  }

  // ---- internals ----------------------------------------------------------------------

  /** The revision reads inside the current write see: the new one once it has written anything. */
  private readRevision(): Revision {
    return this.writing !== undefined && this.writing.length > 0 ? this.rev + 1 : this.rev;
  }

  private endWrite(): KeyValue[] {
    const changes = this.writing as KeyValue[];
    this.writing = undefined;
    if (changes.length > 0) {
      this.rev++;
      this.events.push(changes);
    }
    return changes;
  }

  /** Puts at the revision being built; returns the previous live value. */
  private writePut(key: string, value: string, lease: LeaseId): KeyValue | undefined {
    const revision = this.rev + 1;
    let history = this.history.get(key);
    if (history === undefined) {
      history = { key, versions: [] };
      this.history.set(key, history);
      this.keys.insert(history);
    }
    const versions = history.versions;
    const last = versions[versions.length - 1];
    const prev = last === undefined || isTombstone(last) ? undefined : last;
    const kv: KeyValue = {
      key,
      value,
      createRevision: prev ? prev.createRevision : revision,
      modRevision: revision,
      version: prev ? prev.version + 1 : 1,
      lease,
    };
    versions.push(kv);
    if (prev !== undefined && prev.lease !== NO_LEASE) this.leases.get(prev.lease)?.keys.delete(key);
    if (lease !== NO_LEASE) this.leases.get(lease)?.keys.add(key);
    (this.writing as KeyValue[]).push(kv);
    return prev;
  }

  /** Deletes at the revision being built; returns the deleted value, undefined when the key was absent. */
  private writeDelete(key: string): KeyValue | undefined {
    const versions = this.history.get(key)?.versions;
    const last = versions?.[versions.length - 1];
    if (versions === undefined || last === undefined || isTombstone(last)) return undefined;
    const gone = tombstone(key, this.rev + 1);
    versions.push(gone);
    if (last.lease !== NO_LEASE) this.leases.get(last.lease)?.keys.delete(key);
    (this.writing as KeyValue[]).push(gone);
    return last;
  }

  private deleteSpan(span: KeySpan): { deleted: number; prevKvs: KeyValue[] } {
    const at = this.readRevision();
    const victims: string[] = [];
    if (span.kind === 'single') {
      if (this.get(span.from, at) !== undefined) victims.push(span.from);
    } else {
      this.scan(span, (history) => {
        if (liveAt(history, at) !== undefined) victims.push(history.key);
      });
    }
    const prevKvs: KeyValue[] = [];
    for (const key of victims) prevKvs.push(this.writeDelete(key) as KeyValue);
    return { deleted: victims.length, prevKvs };
  }

  private execute(op: TxnOp): TxnOpResult {
    switch (op.type) {
      case 'put': {
        const prev = this.writePut(op.key, op.value, op.lease ?? NO_LEASE);
        const revision = this.rev + 1;
        return op.prevKv && prev ? { type: 'put', revision, prevKv: prev } : { type: 'put', revision };
      }
      case 'delete': {
        const { deleted, prevKvs } = this.deleteSpan(keySpan(op));
        const result = { type: 'delete' as const, revision: this.readRevision(), deleted };
        return op.prevKv ? { ...result, prevKvs } : result;
      }
      case 'range': {
        const revision = this.readRevision();
        return { type: 'range', revision, ...this.read(op, revision) };
      }
    }
  }

  /** Visits the histories of a multi-key span in key order (including keys deleted at the read revision). */
  private scan(span: KeySpan, visit: (history: KeyHistory) => void): void {
    this.keys.scan(span.from, (history) => {
      if (!spanContinues(span, history.key)) return false;
      visit(history);
      return true;
    });
  }
}

// ---- helpers --------------------------------------------------------------------------

/** The index of the last version with modRevision <= revision, -1 when none. */
function lastAtOrBelow(versions: readonly KeyValue[], revision: Revision): number {
  let i = versions.length - 1;
  // Reads are mostly of the latest revision: look at the newest few before searching.
  for (let steps = 0; i >= 0 && steps < 4; i--, steps++) {
    if ((versions[i] as KeyValue).modRevision <= revision) return i;
  }
  let lo = 0;
  let hi = i + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((versions[mid] as KeyValue).modRevision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The key's live value at `revision`, undefined when it did not exist then. */
function liveAt(history: KeyHistory, revision: Revision): KeyValue | undefined {
  const kv = history.versions[lastAtOrBelow(history.versions, revision)];
  return kv === undefined || isTombstone(kv) ? undefined : kv;
}

function invalid(message: string): StoreError {
  return new StoreError('invalid', message);
}

function leaseNotFound(): StoreError {
  return new StoreError('lease-not-found', ETCD_MESSAGES.leaseNotFound);
}

export function compactedError(compactRevision: Revision): StoreError {
  return new StoreError('compacted', ETCD_MESSAGES.compacted, compactRevision);
}

/** etcd rejects an empty key; the empty prefix (every key) is sent as "\0" by clients, so it passes. */
export function requireKey(range: KeyRange): void {
  if (range.key === '' && !range.prefix) throw invalid(MORE_ETCD_MESSAGES.emptyKey);
}

/** etcd's checkTxnRequest and checkIntervals, in etcd's order. */
function checkTxnRequest(request: TxnRequest): void {
  if (Math.max(request.compare.length, request.success.length, request.failure.length) > MAX_TXN_OPS) {
    throw invalid(MORE_ETCD_MESSAGES.tooManyOps);
  }
  for (const compare of request.compare) {
    if (compare.key === '') throw invalid(MORE_ETCD_MESSAGES.emptyKey);
  }
  for (const op of [...request.success, ...request.failure]) {
    if (op.type === 'put' ? op.key === '' : op.key === '' && !op.prefix) throw invalid(MORE_ETCD_MESSAGES.emptyKey);
  }
  checkIntervals(request.success);
  checkIntervals(request.failure);
}

/** A branch may not put a key twice, nor put a key one of its deletes covers (overlapping deletes are fine). */
function checkIntervals(ops: readonly TxnOp[]): void {
  const deletes: KeySpan[] = [];
  for (const op of ops) if (op.type === 'delete') deletes.push(keySpan(op));
  const puts = new Set<string>();
  for (const op of ops) {
    if (op.type !== 'put') continue;
    if (puts.has(op.key) || deletes.some((span) => deleteConflictsWithPut(span, op.key))) {
      throw new StoreError('duplicate-key', ETCD_MESSAGES.duplicateKey);
    }
    puts.add(op.key);
  }
}

/** etcd's applyCompare: a missing key has version, create, mod and lease 0; a value compare on it fails. */
function compareHolds(compare: Compare, kv: KeyValue | undefined): boolean {
  let order: number;
  switch (compare.target) {
    case 'value':
      if (kv === undefined) return false;
      order = compareKeys(kv.value, String(compare.value));
      break;
    case 'version':
      order = (kv?.version ?? 0) - numberOf(compare);
      break;
    case 'create':
      order = (kv?.createRevision ?? 0) - numberOf(compare);
      break;
    case 'mod':
      order = (kv?.modRevision ?? 0) - numberOf(compare);
      break;
    case 'lease': {
      const have = BigInt(kv?.lease ?? NO_LEASE);
      const want = bigIntOf(compare);
      order = have < want ? -1 : have > want ? 1 : 0;
      break;
    }
  }
  switch (compare.result) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '>':
      return order > 0;
  }
}

function numberOf(compare: Compare): number {
  const value = Number(compare.value);
  if (!Number.isFinite(value)) throw invalid(`compare ${compare.target} of ${compare.key} needs a number, got ${String(compare.value)}`);
  return value;
}

function bigIntOf(compare: Compare): bigint {
  try {
    return BigInt(compare.value);
  } catch {
    throw invalid(`compare lease of ${compare.key} needs a lease id, got ${String(compare.value)}`);
  }
}
