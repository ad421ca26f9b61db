// The store contract: etcd's v3 data model (one global revision, per-key create/mod revision
// and version, transactions, ranges at a revision, ordered watches, compaction, leases),
// implemented by the embedded store and by a real etcd through the same interface.
// Keys and values are UTF-8 strings (the API server stores JSON).

/** etcd's global revision. A fresh store is at revision 1 with no keys. */
export type Revision = number;
/** Lease ids are int64 in etcd; carried as decimal strings. "0" means no lease. */
export type LeaseId = string;
export const NO_LEASE: LeaseId = '0';

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  readonly createRevision: Revision;
  readonly modRevision: Revision;
  /** Number of writes since the key was (re)created; 1 after the first put. */
  readonly version: number;
  readonly lease: LeaseId;
}

/**
 * Which keys an operation covers, as in etcd: one key; `[key, end)` when `end` is given;
 * every key >= `key` when `end` is "\0"; or every key with the prefix `key` when `prefix` is set.
 */
export interface KeyRange {
  readonly key: string;
  readonly end?: string;
  readonly prefix?: boolean;
}

export interface RangeOptions extends KeyRange {
  /** Read at this revision; 0 or absent = current. */
  readonly revision?: Revision;
  /** At most this many keys (0 or absent = no limit); `count` still counts all. */
  readonly limit?: number;
  readonly countOnly?: boolean;
  readonly keysOnly?: boolean;
}

export interface RangeResult {
  /** The store's current revision when the read was served. */
  readonly revision: Revision;
  /** Matching keys in ascending key order. */
  readonly kvs: readonly KeyValue[];
  /** How many keys match, ignoring limit. */
  readonly count: number;
  /** True when `limit` cut the result short. */
  readonly more: boolean;
}

export interface PutOptions {
  readonly lease?: LeaseId;
  readonly prevKv?: boolean;
}

export interface PutResult {
  readonly revision: Revision;
  readonly prevKv?: KeyValue;
}

export interface DeleteOptions extends KeyRange {
  readonly prevKv?: boolean;
}

export interface DeleteResult {
  readonly revision: Revision;
  readonly deleted: number;
  readonly prevKvs?: readonly KeyValue[];
}

export type CompareTarget = 'version' | 'create' | 'mod' | 'value' | 'lease';
export type CompareResult = '=' | '!=' | '<' | '>';

/** A transaction guard. A missing key has version, create and mod 0; a value compare on it is false. */
export interface Compare {
  readonly key: string;
  readonly target: CompareTarget;
  readonly result: CompareResult;
  readonly value: number | string;
}

export type TxnOp =
  | ({ readonly type: 'put'; readonly key: string; readonly value: string } & PutOptions)
  | ({ readonly type: 'delete' } & DeleteOptions)
  | ({ readonly type: 'range' } & Omit<RangeOptions, 'revision'>);

export type TxnOpResult =
  | ({ readonly type: 'put' } & PutResult)
  | ({ readonly type: 'delete' } & DeleteResult)
  | ({ readonly type: 'range' } & RangeResult);

export interface TxnRequest {
  readonly compare: readonly Compare[];
  readonly success: readonly TxnOp[];
  readonly failure: readonly TxnOp[];
}

export interface TxnResult {
  readonly succeeded: boolean;
  /** The revision after the transaction: one more than before if it wrote anything, else unchanged. */
  readonly revision: Revision;
  readonly responses: readonly TxnOpResult[];
}

export interface WatchEvent {
  readonly type: 'put' | 'delete';
  /** For a delete: key and modRevision (the deletion's revision) set, the rest zero/empty. */
  readonly kv: KeyValue;
  readonly prevKv?: KeyValue;
}

/** Events of one or more revisions, in revision order. */
export interface WatchResponse {
  readonly revision: Revision;
  readonly events: readonly WatchEvent[];
}

export interface WatchOptions extends KeyRange {
  /** First revision to deliver; absent = only changes after now. */
  readonly startRevision?: Revision;
  readonly prevKv?: boolean;
}

/**
 * A watch: iterate to receive every change in revision order, with no gaps or repeats.
 * Iteration throws StoreError('compacted') when the start revision was compacted away.
 */
export interface Watch extends AsyncIterable<WatchResponse> {
  cancel(): void;
}

export interface LeaseGrant {
  readonly id: LeaseId;
  /** The granted TTL in seconds (a store may raise a too-small request to its minimum). */
  readonly ttl: number;
}

export interface LeaseInfo {
  readonly id: LeaseId;
  /** Remaining seconds, -1 when the lease does not exist (expired or revoked). */
  readonly ttl: number;
  readonly grantedTtl: number;
  readonly keys: readonly string[];
}

export type StoreErrorCode =
  | 'compacted'
  | 'future-revision'
  | 'lease-not-found'
  | 'duplicate-key'
  | 'invalid'
  | 'unavailable'
  | 'closed';

/** Errors carry etcd's own message text so both backends read alike. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** With 'compacted': the store's compact revision. */
    readonly compactRevision?: Revision,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export const ETCD_MESSAGES = {
  compacted: 'mvcc: required revision has been compacted',
  futureRevision: 'mvcc: required revision is a future revision',
  leaseNotFound: 'etcdserver: requested lease not found',
  duplicateKey: 'etcdserver: duplicate key given in txn request',
} as const;

export interface Store {
  /** The current revision. */
  revision(): Promise<Revision>;
  range(options: RangeOptions): Promise<RangeResult>;
  put(key: string, value: string, options?: PutOptions): Promise<PutResult>;
  delete(options: DeleteOptions): Promise<DeleteResult>;
  txn(request: TxnRequest): Promise<TxnResult>;
  watch(options: WatchOptions): Promise<Watch>;
  /** Drops history below `revision`; reads and watches below it then fail with 'compacted'. */
  compact(revision: Revision): Promise<void>;
  leaseGrant(ttlSeconds: number): Promise<LeaseGrant>;
  /** Renews a lease once; returns its TTL, or fails with 'lease-not-found'. */
  leaseKeepAlive(id: LeaseId): Promise<number>;
  /** Revokes a lease and deletes its keys in one revision. */
  leaseRevoke(id: LeaseId): Promise<void>;
  leaseTimeToLive(id: LeaseId): Promise<LeaseInfo>;
  close(): Promise<void>;
}
