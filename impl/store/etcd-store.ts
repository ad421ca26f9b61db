// The Store contract over a real etcd v3, through the etcd3 package's raw gRPC clients
// (its builders hide revision, limit, count_only, nested txn responses and one-shot
// keep-alives). etcd's gRPC errors become StoreErrors with etcd's own message texts.
// A live adapter: it talks to the world, so it is used in live mode only.

import {
  Etcd3,
  type ICompare,
  type IDeleteRangeRequest,
  type IDuplexStream,
  type IKeyValue,
  type IOptions,
  type IPutRequest,
  type IRangeRequest,
  type IRangeResponse,
  type IRequestOp,
  type IResponseOp,
  type IWatchRequest,
  type IWatchResponse,
} from 'etcd3';
import {
  ETCD_MESSAGES,
  NO_LEASE,
  StoreError,
  type Compare,
  type CompareResult,
  type CompareTarget,
  type DeleteOptions,
  type DeleteResult,
  type KeyRange,
  type KeyValue,
  type LeaseGrant,
  type LeaseId,
  type LeaseInfo,
  type PutOptions,
  type PutResult,
  type RangeOptions,
  type RangeResult,
  type Revision,
  type Store,
  type TxnOp,
  type TxnOpResult,
  type TxnRequest,
  type TxnResult,
  type Watch,
  type WatchEvent,
  type WatchOptions,
  type WatchResponse,
} from './store.js';

export interface EtcdStoreOptions {
  /** Client URLs, e.g. ["http://127.0.0.1:2379"]. */
  readonly endpoints: readonly string[];
  /** etcd auth; with auth on, only the API server holds these (DESIGN.md). */
  readonly auth?: { readonly username: string; readonly password: string };
}

type Policy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

/**
 * A fault-handling policy that runs each call once. etcd3 by default retries "recoverable"
 * failures (unavailable, deadline, internal) up to three times; retrying a put or txn whose
 * first attempt may have been applied would write twice, and the harness must see exactly
 * what the store did. A failed call surfaces as StoreError('unavailable'); callers retry.
 */
const runOnce: Policy = {
  _altReturn: undefined as never,
  onSuccess: () => ({ dispose: () => undefined }),
  onFailure: () => ({ dispose: () => undefined }),
  execute: async (fn) => fn({ signal: new AbortController().signal }),
};

const COMPARE_TARGET: Record<CompareTarget, number> = { version: 0, create: 1, mod: 2, value: 3, lease: 4 };
const COMPARE_RESULT: Record<CompareResult, number> = { '=': 0, '>': 1, '<': 2, '!=': 3 };

export class EtcdStore implements Store {
  private closed = false;
  private readonly watches = new Set<EtcdWatch>();

  private constructor(private readonly client: Etcd3) {}

  /** Connects and checks that etcd answers (a status call), so a wrong URL fails here. */
  static async connect(options: EtcdStoreOptions): Promise<EtcdStore> {
    if (options.endpoints.length === 0) throw new StoreError('invalid', 'no etcd endpoints given');
    const client = new Etcd3({
      hosts: [...options.endpoints],
      ...(options.auth ? { auth: { username: options.auth.username, password: options.auth.password } } : {}),
      faultHandling: { global: runOnce, host: () => runOnce },
    });
    try {
      await client.maintenance.status();
    } catch (error) {
      client.close();
      throw toStoreError(error);
    }
    return new EtcdStore(client);
  }

  async revision(): Promise<Revision> {
    // A count-only read of one key that cannot exist is the cheapest way to get a header.
    const response = await this.call(() => this.client.kv.range({ key: Buffer.from([0]), count_only: true }));
    return Number(response.header.revision);
  }

  async range(options: RangeOptions): Promise<RangeResult> {
    const request: IRangeRequest = {
      ...encodeRange(options),
      revision: options.revision ?? 0,
      limit: options.limit ?? 0,
      count_only: options.countOnly ?? false,
      keys_only: options.keysOnly ?? false,
    };
    try {
      return decodeRange(await this.call(() => this.client.kv.range(request)));
    } catch (error) {
      throw await this.withCompactRevision(error);
    }
  }

  async put(key: string, value: string, options: PutOptions = {}): Promise<PutResult> {
    const response = await this.call(() => this.client.kv.put(encodePut(key, value, options)));
    return decodePut(response.header.revision, response.prev_kv, options.prevKv);
  }

  async delete(options: DeleteOptions): Promise<DeleteResult> {
    const response = await this.call(() => this.client.kv.deleteRange(encodeDelete(options)));
    return decodeDelete(response.header.revision, response.deleted, response.prev_kvs, options.prevKv);
  }

  async txn(request: TxnRequest): Promise<TxnResult> {
    const response = await this.call(() =>
      this.client.kv.txn({
        compare: request.compare.map(encodeCompare),
        success: request.success.map(encodeOp),
        failure: request.failure.map(encodeOp),
      }),
    );
    const ops = response.succeeded ? request.success : request.failure;
    return {
      succeeded: response.succeeded,
      revision: Number(response.header.revision),
      responses: response.responses.map((op, i) => decodeOpResult(op, ops[i])),
    };
  }

  async watch(options: WatchOptions): Promise<Watch> {
    this.assertOpen();
    const stream = await this.call(() => this.client.watchClient.watch());
    const watch = new EtcdWatch(stream, () => this.watches.delete(watch));
    this.watches.add(watch);
    stream.write({
      create_request: {
        ...encodeRange(options),
        start_revision: options.startRevision ?? 0,
        prev_kv: options.prevKv ?? false,
      },
    } satisfies IWatchRequest);
    try {
      await watch.created;
    } catch (error) {
      watch.cancel();
      throw error;
    }
    return watch;
  }

  async compact(revision: Revision): Promise<void> {
    // physical: wait until the backend has dropped the history, so that what a read or a
    // watch at the compaction point sees does not depend on how fast etcd's compactor runs.
    try {
      await this.call(() => this.client.kv.compact({ revision, physical: true }));
    } catch (error) {
      throw await this.withCompactRevision(error);
    }
  }

  async leaseGrant(ttlSeconds: number): Promise<LeaseGrant> {
    const response = await this.call(() => this.client.leaseClient.leaseGrant({ TTL: ttlSeconds, ID: 0 }));
    if (response.error) throw new StoreError('invalid', response.error);
    return { id: response.ID, ttl: Number(response.TTL) };
  }

  async leaseKeepAlive(id: LeaseId): Promise<number> {
    this.assertOpen();
    // One request on a fresh keep-alive stream, then hang up: the etcd3 Lease object would
    // keep renewing on its own timer, which is the caller's decision here.
    const stream = await this.call(() => this.client.leaseClient.leaseKeepAlive());
    const ttl = await new Promise<number>((resolve, reject) => {
      stream.on('data', (response) => resolve(Number(response.TTL)));
      stream.on('error', (error) => reject(toStoreError(error)));
      stream.on('end', () => reject(new StoreError('unavailable', 'etcd closed the keep-alive stream')));
      stream.write({ ID: id });
    }).finally(() => hangUp(stream));
    // etcd answers a keep-alive for a missing lease with TTL 0 rather than an error.
    if (ttl <= 0) throw new StoreError('lease-not-found', ETCD_MESSAGES.leaseNotFound);
    return ttl;
  }

  async leaseRevoke(id: LeaseId): Promise<void> {
    await this.call(() => this.client.leaseClient.leaseRevoke({ ID: id }));
  }

  async leaseTimeToLive(id: LeaseId): Promise<LeaseInfo> {
    const response = await this.call(() => this.client.leaseClient.leaseTimeToLive({ ID: id, keys: true }));
    const ttl = Number(response.TTL);
    return {
      id,
      ttl: ttl < 0 ? -1 : ttl,
      grantedTtl: Number(response.grantedTTL),
      // etcd lists a lease's keys from a Go map, in random order; sort them (bytewise, as etcd orders keys).
      keys: (response.keys ?? []).slice().sort(Buffer.compare).map((key) => key.toString('utf8')),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const watch of [...this.watches]) watch.cancel();
    this.client.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('closed', 'the etcd store is closed');
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await fn();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /**
   * etcd's "compacted" read error does not say where the compaction point is. A watch from
   * revision 1 on a key nobody writes is cancelled with it within one sync interval (~100 ms),
   * and is certain to be cancelled, since a read has just been refused below the point.
   */
  private async withCompactRevision(error: unknown): Promise<unknown> {
    if (!(error instanceof StoreError) || error.code !== 'compacted' || this.closed) return error;
    try {
      const probe = await this.watch({ key: '\0', startRevision: 1 });
      try {
        for await (const _ of probe) break;
      } finally {
        probe.cancel();
      }
    } catch (probeError) {
      if (probeError instanceof StoreError && probeError.code === 'compacted') return probeError;
    }
    return error;
  }
}

/**
 * One etcd watch on its own gRPC stream. Responses are queued as they arrive; iteration
 * takes them in order and ends after cancel(). A compaction cancel from etcd becomes a
 * thrown StoreError('compacted') carrying etcd's compact revision.
 */
class EtcdWatch implements Watch {
  /** Settles when etcd confirms the watch (or refuses it). */
  readonly created: Promise<void>;
  private queue: WatchResponse[] = [];
  /** Index of the next response to hand out (shift() is linear in a long backlog). */
  private head = 0;
  private failure: StoreError | undefined;
  private done = false;
  private wake: (() => void) | undefined;
  private confirm!: () => void;
  private refuse!: (error: StoreError) => void;
  private isCreated = false;

  constructor(
    private readonly stream: IDuplexStream<IWatchRequest, IWatchResponse>,
    private readonly onEnd: () => void,
  ) {
    this.created = new Promise<void>((resolve, reject) => {
      this.confirm = resolve;
      this.refuse = reject;
    });
    // A refused creation is reported through watch()'s promise; don't let it go unhandled.
    this.created.catch(() => undefined);
    stream.on('data', (response) => this.receive(response));
    stream.on('error', (error) => this.fail(toStoreError(error)));
    stream.on('end', () => this.fail(new StoreError('unavailable', 'etcd closed the watch stream')));
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    this.queue = [];
    this.head = 0;
    hangUp(this.stream);
    this.onEnd();
    this.refuse(new StoreError('closed', 'watch cancelled'));
    this.notify();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchResponse> {
    return {
      next: async () => {
        for (;;) {
          const response = this.queue[this.head];
          if (response) {
            this.head++;
            if (this.head === this.queue.length) {
              this.queue = [];
              this.head = 0;
            } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
              this.queue.splice(0, this.head);
              this.head = 0;
            }
            return { value: response, done: false };
          }
          if (this.failure) {
            const failure = this.failure;
            this.cancel();
            throw failure;
          }
          if (this.done) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (this.wake = resolve));
        }
      },
      return: async () => {
        this.cancel();
        return { value: undefined, done: true };
      },
    };
  }

  private receive(response: IWatchResponse): void {
    if (this.done) return;
    if (response.created && !this.isCreated) {
      this.isCreated = true;
      if (response.canceled) {
        this.fail(new StoreError('invalid', response.cancel_reason || 'etcd refused the watch'));
        return;
      }
      this.confirm();
    }
    if (response.events.length > 0) {
      const events = response.events.map(decodeEvent);
      // The revision of the response's last event, as the embedded store reports it; etcd's
      // header revision is the store's revision at sending, which may be later.
      const revision = events[events.length - 1]?.kv.modRevision ?? Number(response.header.revision);
      this.queue.push({ revision, events });
    }
    if (response.canceled) {
      const compactRevision = Number(response.compact_revision);
      this.fail(
        compactRevision > 0
          ? new StoreError('compacted', ETCD_MESSAGES.compacted, compactRevision)
          : new StoreError('unavailable', response.cancel_reason || 'etcd cancelled the watch'),
      );
    }
    this.notify();
  }

  private fail(error: StoreError): void {
    if (this.done || this.failure) return;
    this.failure = error;
    this.refuse(error);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/**
 * Ends a stream from our side. Half-closing first matters: etcd3 treats an error on a stream
 * that is still writable (the CANCELLED that cancel() raises) as a failed host and closes every
 * connection to it, which would reconnect all other watches and calls for each cancelled watch.
 */
function hangUp(stream: IDuplexStream<unknown, unknown>): void {
  stream.end();
  stream.cancel();
}

// ---- encoding -------------------------------------------------------------------------

const ALL_KEYS = Buffer.from([0]);

/** etcd's range_end for a prefix: the prefix with its last byte below 0xff incremented. */
function prefixEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i] as number;
    if (byte < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return ALL_KEYS; // a prefix of only 0xff bytes: every key from it on
}

function encodeRange(range: KeyRange): { key: Buffer; range_end?: Buffer } {
  const key = Buffer.from(range.key, 'utf8');
  if (range.prefix) {
    // The empty prefix means every key; etcd spells that ["\0", "\0").
    return key.length === 0 ? { key: ALL_KEYS, range_end: ALL_KEYS } : { key, range_end: prefixEnd(key) };
  }
  if (range.end !== undefined && range.end !== '') return { key, range_end: Buffer.from(range.end, 'utf8') };
  return { key };
}

function encodePut(key: string, value: string, options: PutOptions): IPutRequest {
  return {
    key: Buffer.from(key, 'utf8'),
    value: Buffer.from(value, 'utf8'),
    lease: options.lease ?? NO_LEASE,
    prev_kv: options.prevKv ?? false,
  };
}

function encodeDelete(options: DeleteOptions): IDeleteRangeRequest {
  return { ...encodeRange(options), prev_kv: options.prevKv ?? false };
}

function encodeCompare(compare: Compare): ICompare {
  const base: ICompare = {
    key: Buffer.from(compare.key, 'utf8'),
    target: COMPARE_TARGET[compare.target],
    result: COMPARE_RESULT[compare.result],
  };
  switch (compare.target) {
    case 'version':
      return { ...base, version: compare.value };
    case 'create':
      return { ...base, create_revision: compare.value };
    case 'mod':
      return { ...base, mod_revision: compare.value };
    case 'value':
      return { ...base, value: Buffer.from(String(compare.value), 'utf8') };
    case 'lease':
      return { ...base, lease: compare.value };
  }
}

function encodeOp(op: TxnOp): IRequestOp {
  switch (op.type) {
    case 'put':
      return { request_put: encodePut(op.key, op.value, op) };
    case 'delete':
      return { request_delete_range: encodeDelete(op) };
    case 'range':
      return {
        request_range: {
          ...encodeRange(op),
          limit: op.limit ?? 0,
          count_only: op.countOnly ?? false,
          keys_only: op.keysOnly ?? false,
        },
      };
  }
}

// ---- decoding -------------------------------------------------------------------------

function decodeKv(kv: IKeyValue): KeyValue {
  return {
    key: kv.key.toString('utf8'),
    value: kv.value ? kv.value.toString('utf8') : '',
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
    version: Number(kv.version),
    lease: kv.lease || NO_LEASE,
  };
}

function decodeRange(response: IRangeResponse): RangeResult {
  return {
    revision: Number(response.header.revision),
    kvs: (response.kvs ?? []).map(decodeKv),
    count: Number(response.count),
    more: response.more,
  };
}

function decodePut(revision: string, prevKv: IKeyValue | null | undefined, wanted: boolean | undefined): PutResult {
  // etcd sends no prev_kv when the key did not exist; the loader fills absent messages with null.
  return wanted && prevKv ? { revision: Number(revision), prevKv: decodeKv(prevKv) } : { revision: Number(revision) };
}

function decodeDelete(
  revision: string,
  deleted: string,
  prevKvs: IKeyValue[] | null | undefined,
  wanted: boolean | undefined,
): DeleteResult {
  const result = { revision: Number(revision), deleted: Number(deleted) };
  return wanted ? { ...result, prevKvs: (prevKvs ?? []).map(decodeKv) } : result;
}

function decodeOpResult(response: IResponseOp, op: TxnOp | undefined): TxnOpResult {
  if (response.response_put) {
    const put = response.response_put;
    return { type: 'put', ...decodePut(put.header.revision, put.prev_kv, op?.type === 'put' && op.prevKv) };
  }
  if (response.response_delete_range) {
    const del = response.response_delete_range;
    const wanted = op?.type === 'delete' && op.prevKv;
    return { type: 'delete', ...decodeDelete(del.header.revision, del.deleted, del.prev_kvs, wanted) };
  }
  if (response.response_range) return { type: 'range', ...decodeRange(response.response_range) };
  throw new StoreError('invalid', 'etcd sent a txn response of a kind this store never asks for');
}

function decodeEvent(event: IWatchResponse['events'][number]): WatchEvent {
  const kv = decodeKv(event.kv);
  const type = event.type === 'Delete' ? 'delete' : 'put';
  return event.prev_kv ? { type, kv, prevKv: decodeKv(event.prev_kv) } : { type, kv };
}

// ---- errors ---------------------------------------------------------------------------

/** etcd's gRPC errors, by the text etcd puts in them, to the contract's codes and messages. */
export function toStoreError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // grpc-js writes "<code> <STATUS>: <details>"; etcd's text is the details.
  const details = /^\d+ [A-Z_]+: ([\s\S]*)$/.exec(message)?.[1] ?? message;
  const status = /^(\d+) [A-Z_]+:/.exec(message)?.[1];
  if (details.includes('required revision has been compacted')) return new StoreError('compacted', ETCD_MESSAGES.compacted);
  if (details.includes('required revision is a future revision')) {
    return new StoreError('future-revision', ETCD_MESSAGES.futureRevision);
  }
  if (details.includes('requested lease not found')) return new StoreError('lease-not-found', ETCD_MESSAGES.leaseNotFound);
  if (details.includes('duplicate key given in txn request')) {
    return new StoreError('duplicate-key', ETCD_MESSAGES.duplicateKey);
  }
  if (error instanceof Error && error.constructor.name === 'ClientClosedError') return new StoreError('closed', details);
  // 1 CANCELLED, 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE, and connection failures without a status.
  if (status === undefined || status === '1' || status === '4' || status === '14') {
    return new StoreError('unavailable', details);
  }
  return new StoreError('invalid', details);
}
