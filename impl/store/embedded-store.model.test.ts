// The embedded store against a reference model, for random operation sequences.
// The model is deliberately naive: it keeps a full copy of the keyspace for every revision,
// orders keys with Buffer.compare, and writes each rule of etcd 3.4 out in the plainest way,
// sharing no code with the store. Every result, error, lease state and watch stream must agree.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryAppendLog } from '../env/append-log.js';
import { EmbeddedStore } from './embedded-store.js';
import { ManualTime } from './manual-time.js';
import {
  StoreError,
  type Compare,
  type KeyRange,
  type KeyValue,
  type RangeResult,
  type TxnOp,
  type TxnOpResult,
  type Watch,
  type WatchEvent,
  type WatchResponse,
} from './store.js';

// ---- the model ------------------------------------------------------------------------

type State = Map<string, KeyValue>;
type Outcome = { ok: unknown } | { error: { code: string; compactRevision?: number } };

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
const byteOrder = (a: string, b: string): number => Buffer.compare(bytes(a), bytes(b));

function covers(range: KeyRange, key: string): boolean {
  if (range.prefix) {
    const p = bytes(range.key);
    const k = bytes(key);
    return k.length >= p.length && k.subarray(0, p.length).equals(p);
  }
  if (range.end === undefined || range.end === '') return key === range.key;
  if (byteOrder(key, range.key) < 0) return false;
  return range.end === '\0' || byteOrder(key, range.end) < 0;
}

/** etcd 3.4's checkIntervals: a delete whose range end is "\0" (from-key or the empty prefix) never conflicts. */
function deleteBlocksPut(range: KeyRange, key: string): boolean {
  if (range.prefix && range.key === '') return false;
  if (!range.prefix && range.end === '\0') return false;
  return covers(range, key);
}

const fail = (code: string, compactRevision?: number): never => {
  throw new ModelError(code, compactRevision);
};
class ModelError extends Error {
  constructor(
    readonly code: string,
    readonly compactRevision?: number,
  ) {
    super(code);
  }
}

interface ModelLease {
  ttl: number;
  expiresAt: number;
  /** Order of arming among timers due at the same instant. */
  armed: number;
}

interface ModelWatch {
  range: KeyRange;
  prevKv: boolean;
  /** First revision it delivers. */
  from: number;
  /** The current revision and compact revision when it was created: catch-up is judged against those. */
  createdAt: number;
  compactAtCreation: number;
  /** Set when the store closed (reopen): the revision it had seen up to, and the error it then throws. */
  endedAt?: number;
  error?: { code: string; compactRevision?: number };
}

class Model {
  /** states[r] is the keyspace at revision r. */
  readonly states: State[] = [new Map(), new Map()];
  readonly events = new Map<number, WatchEvent[]>();
  compactRevision = -1;
  readonly leases = new Map<string, ModelLease>();
  nextLeaseId = 1;
  arming = 0;
  now = 1_700_000_000_000;

  get revision(): number {
    return this.states.length - 1;
  }

  latest(): State {
    return this.states[this.revision] as State;
  }

  read(state: State, range: KeyRange & { limit?: number; countOnly?: boolean; keysOnly?: boolean }, revision: number): RangeResult {
    const all = [...state.values()].filter((kv) => covers(range, kv.key)).sort((a, b) => byteOrder(a.key, b.key));
    const limit = range.limit && range.limit > 0 ? range.limit : all.length;
    const kvs = range.countOnly ? [] : all.slice(0, limit).map((kv) => (range.keysOnly ? { ...kv, value: '' } : kv));
    return { revision, kvs, count: all.length, more: !range.countOnly && all.length > limit };
  }

  range(range: KeyRange & { revision?: number; limit?: number; countOnly?: boolean; keysOnly?: boolean }): RangeResult {
    if (range.key === '' && !range.prefix) fail('invalid');
    const at = range.revision && range.revision > 0 ? range.revision : this.revision;
    if (at > this.revision) fail('future-revision');
    if (at < this.compactRevision) fail('compacted', this.compactRevision);
    return this.read(this.states[at] as State, range, this.revision);
  }

  /** Runs `body` as one write on a copy of the keyspace; commits a revision if it wrote anything. */
  write<R>(body: (state: State, next: number, events: WatchEvent[]) => R): R {
    const state = new Map(this.latest());
    const events: WatchEvent[] = [];
    const result = body(state, this.revision + 1, events);
    if (events.length > 0) {
      this.events.set(this.revision + 1, events);
      this.states.push(state);
    }
    return result;
  }

  putIn(state: State, next: number, events: WatchEvent[], key: string, value: string, lease: string): KeyValue | undefined {
    const prev = state.get(key);
    const kv: KeyValue = {
      key,
      value,
      createRevision: prev ? prev.createRevision : next,
      modRevision: next,
      version: prev ? prev.version + 1 : 1,
      lease,
    };
    state.set(key, kv);
    events.push({ type: 'put', kv });
    return prev;
  }

  deleteIn(state: State, next: number, events: WatchEvent[], range: KeyRange): KeyValue[] {
    const doomed = [...state.values()].filter((kv) => covers(range, kv.key)).sort((a, b) => byteOrder(a.key, b.key));
    for (const kv of doomed) {
      state.delete(kv.key);
      events.push({ type: 'delete', kv: { key: kv.key, value: '', createRevision: 0, modRevision: next, version: 0, lease: '0' } });
    }
    return doomed;
  }

  checkLease(lease: string | undefined): void {
    if (lease !== undefined && lease !== '0' && !this.leases.has(lease)) fail('lease-not-found');
  }

  put(key: string, value: string, lease: string | undefined, prevKv: boolean): unknown {
    if (key === '') fail('invalid');
    this.checkLease(lease);
    return this.write((state, next, events) => {
      const prev = this.putIn(state, next, events, key, value, lease ?? '0');
      return prevKv && prev ? { revision: next, prevKv: prev } : { revision: next };
    });
  }

  delete(range: KeyRange, prevKv: boolean): unknown {
    if (range.key === '' && !range.prefix) fail('invalid');
    return this.write((state, next, events) => {
      const doomed = this.deleteIn(state, next, events, range);
      const revision = doomed.length > 0 ? next : next - 1;
      return prevKv ? { revision, deleted: doomed.length, prevKvs: doomed } : { revision, deleted: doomed.length };
    });
  }

  holds(compare: Compare): boolean {
    const kv = this.latest().get(compare.key);
    if (compare.target === 'value' && kv === undefined) return false;
    let order: number;
    if (compare.target === 'value') order = byteOrder((kv as KeyValue).value, String(compare.value));
    else if (compare.target === 'lease') order = Number(BigInt(kv?.lease ?? '0') - BigInt(compare.value));
    else {
      const have = kv === undefined ? 0 : compare.target === 'version' ? kv.version : compare.target === 'create' ? kv.createRevision : kv.modRevision;
      order = have - Number(compare.value);
    }
    return compare.result === '=' ? order === 0 : compare.result === '!=' ? order !== 0 : compare.result === '<' ? order < 0 : order > 0;
  }

  txn(compare: Compare[], success: TxnOp[], failure: TxnOp[]): unknown {
    if (compare.some((c) => c.key === '')) fail('invalid');
    for (const op of [...success, ...failure]) {
      if (op.key === '' && (op.type === 'put' || !op.prefix)) fail('invalid');
    }
    for (const branch of [success, failure]) {
      const puts = branch.filter((op) => op.type === 'put').map((op) => op.key);
      const deletes = branch.filter((op) => op.type === 'delete');
      if (new Set(puts).size !== puts.length) fail('duplicate-key');
      if (puts.some((key) => deletes.some((d) => deleteBlocksPut(d, key)))) fail('duplicate-key');
    }
    const succeeded = compare.every((c) => this.holds(c));
    const ops = succeeded ? success : failure;
    for (const op of ops) if (op.type === 'put') this.checkLease(op.lease);
    return this.write((state, next, events) => {
      const responses: TxnOpResult[] = ops.map((op) => {
        const seen = (): number => (events.length > 0 ? next : next - 1);
        if (op.type === 'put') {
          const prev = this.putIn(state, next, events, op.key, op.value, op.lease ?? '0');
          return op.prevKv && prev ? { type: 'put', revision: next, prevKv: prev } : { type: 'put', revision: next };
        }
        if (op.type === 'delete') {
          const doomed = this.deleteIn(state, next, events, op);
          return op.prevKv
            ? { type: 'delete', revision: seen(), deleted: doomed.length, prevKvs: doomed }
            : { type: 'delete', revision: seen(), deleted: doomed.length };
        }
        return { type: 'range', ...this.read(state, op, seen()) };
      });
      return { succeeded, revision: events.length > 0 ? next : next - 1, responses };
    });
  }

  compact(revision: number): unknown {
    if (revision <= this.compactRevision) fail('compacted', this.compactRevision);
    if (revision > this.revision) fail('future-revision');
    this.compactRevision = revision;
    return undefined;
  }

  arm(id: string): void {
    const lease = this.leases.get(id) as ModelLease;
    lease.expiresAt = this.now + lease.ttl * 1000;
    lease.armed = this.arming++;
  }

  grant(ttl: number): unknown {
    const id = String(this.nextLeaseId++);
    const granted = Math.max(ttl, 2);
    this.leases.set(id, { ttl: granted, expiresAt: 0, armed: 0 });
    this.arm(id);
    return { id, ttl: granted };
  }

  revoke(id: string): unknown {
    if (!this.leases.has(id)) fail('lease-not-found');
    this.leases.delete(id);
    this.write((state, next, events) => {
      const mine = [...state.values()].filter((kv) => kv.lease === id).sort((a, b) => byteOrder(a.key, b.key));
      for (const kv of mine) this.deleteIn(state, next, events, { key: kv.key });
    });
    return undefined;
  }

  keepAlive(id: string): unknown {
    const lease = this.leases.get(id);
    if (lease === undefined) fail('lease-not-found');
    this.arm(id);
    return (lease as ModelLease).ttl;
  }

  timeToLive(id: string): unknown {
    const lease = this.leases.get(id);
    if (lease === undefined) return { id, ttl: -1, grantedTtl: 0, keys: [] };
    const keys = [...this.latest().values()].filter((kv) => kv.lease === id).map((kv) => kv.key).sort(byteOrder);
    return { id, ttl: Math.max(0, Math.ceil((lease.expiresAt - this.now) / 1000) - 1), grantedTtl: lease.ttl, keys };
  }

  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.leases.entries()]
        .filter(([, lease]) => lease.expiresAt <= end)
        .sort(([, a], [, b]) => a.expiresAt - b.expiresAt || a.armed - b.armed);
      const first = due[0];
      if (first === undefined) break;
      this.now = Math.max(this.now, first[1].expiresAt);
      this.revoke(first[0]);
    }
    this.now = end;
  }

  /** What a watch should have received. */
  expectedResponses(watch: ModelWatch): WatchResponse[] {
    const out: WatchResponse[] = [];
    const last = watch.endedAt ?? this.revision;
    for (let r = watch.from; r <= last; r++) {
      const caughtUp = r <= watch.createdAt;
      const compactRevision = caughtUp ? watch.compactAtCreation : -1;
      const events: WatchEvent[] = [];
      for (const event of this.events.get(r) ?? []) {
        if (!covers(watch.range, event.kv.key)) continue;
        if (event.type === 'delete' && r === compactRevision) continue;
        const isCreate = event.type === 'put' && event.kv.createRevision === event.kv.modRevision;
        const prevKv = watch.prevKv && !isCreate && r - 1 >= compactRevision ? this.states[r - 1]?.get(event.kv.key) : undefined;
        events.push(prevKv ? { ...event, prevKv } : event);
      }
      if (events.length > 0) out.push({ revision: r, events });
    }
    return out;
  }
}

// ---- operations -----------------------------------------------------------------------

const KEYS = ['a', 'ab', 'abc', 'b', 'b/1', 'b/2', 'é', '\uE000', '\u{1F600}', 'z'];
const VALUES = ['', 'x', 'y', 'é', '\u{1F600}'];

const key = fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constant('') });
const value = fc.constantFrom(...VALUES);
const keyRange: fc.Arbitrary<KeyRange> = fc.oneof(
  { weight: 4, arbitrary: key.map((k) => ({ key: k })) },
  { weight: 2, arbitrary: fc.record({ key, end: fc.constantFrom(...KEYS, '\0') }) },
  { weight: 2, arbitrary: fc.record({ key: fc.constantFrom('', 'a', 'b', 'b/', '\u{1F600}'), prefix: fc.constant(true) }) },
);
/** Picks among leases granted so far (by index) or a never-granted id. */
const leaseRef = fc.option(fc.oneof(fc.nat(2), fc.nat(6)), { nil: undefined, freq: 3 });
interface ReadOptions {
  limit: number | undefined;
  countOnly: boolean;
  keysOnly: boolean;
}
const readOptions: fc.Arbitrary<ReadOptions> = fc.record({
  limit: fc.option(fc.nat(3), { nil: undefined }),
  countOnly: fc.boolean(),
  keysOnly: fc.boolean(),
});

type Op =
  | { kind: 'put'; key: string; value: string; lease: number | undefined; prevKv: boolean }
  | { kind: 'delete'; range: KeyRange; prevKv: boolean }
  | { kind: 'range'; range: KeyRange; read: ReadOptions; revisionPick: number }
  | { kind: 'txn'; compare: GenCompare[]; success: GenTxnOp[]; failure: GenTxnOp[] }
  | { kind: 'compact'; revisionPick: number }
  | { kind: 'watch'; range: KeyRange; startPick: number | undefined; prevKv: boolean }
  | { kind: 'grant'; ttl: number }
  | { kind: 'revoke'; lease: number | undefined }
  | { kind: 'keepAlive'; lease: number | undefined }
  | { kind: 'timeToLive'; lease: number | undefined }
  | { kind: 'advance'; ms: number }
  | { kind: 'reopen' };

type GenCompare = Omit<Compare, 'value'> & { valuePick: number };
type GenTxnOp =
  | { type: 'put'; key: string; value: string; lease: number | undefined; prevKv: boolean }
  | ({ type: 'delete'; prevKv: boolean } & KeyRange)
  | ({ type: 'range' } & KeyRange & ReadOptions);

const compareArb: fc.Arbitrary<GenCompare> = fc.record({
  key,
  target: fc.constantFrom('version', 'create', 'mod', 'value', 'lease'),
  result: fc.constantFrom('=', '!=', '<', '>'),
  valuePick: fc.nat(8),
});
const txnOpArb: fc.Arbitrary<GenTxnOp> = fc.oneof(
  fc.record({ type: fc.constant('put' as const), key, value, lease: leaseRef, prevKv: fc.boolean() }),
  keyRange.chain((range) => fc.record({ prevKv: fc.boolean() }).map((o) => ({ type: 'delete' as const, ...range, ...o }))),
  keyRange.chain((range) => readOptions.map((o) => ({ type: 'range' as const, ...range, ...o }))),
);

const opArb = (withLog: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('put' as const), key, value, lease: leaseRef, prevKv: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), range: keyRange, prevKv: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('range' as const), range: keyRange, read: readOptions, revisionPick: fc.nat() }) },
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('txn' as const),
        compare: fc.array(compareArb, { maxLength: 2 }),
        success: fc.array(txnOpArb, { maxLength: 4 }),
        failure: fc.array(txnOpArb, { maxLength: 3 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), revisionPick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('watch' as const), range: keyRange, startPick: fc.option(fc.nat(), { nil: undefined }), prevKv: fc.boolean() }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('grant' as const), ttl: fc.integer({ min: 0, max: 8 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), lease: leaseRef }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('keepAlive' as const), lease: leaseRef }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('timeToLive' as const), lease: leaseRef }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 4000 }) }) },
    { weight: withLog ? 1 : 0, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  );

// ---- the run --------------------------------------------------------------------------

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: await run() };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return { error: error.compactRevision === undefined ? { code: error.code } : { code: error.code, compactRevision: error.compactRevision } };
  }
}

function modelOutcome(run: () => unknown): Outcome {
  try {
    return { ok: run() };
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    return { error: error.compactRevision === undefined ? { code: error.code } : { code: error.code, compactRevision: error.compactRevision } };
  }
}

interface Collector {
  readonly watch: Watch;
  readonly model: ModelWatch;
  readonly received: WatchResponse[];
  readonly error: { code: string; compactRevision?: number } | undefined;
  readonly done: Promise<void>;
}

function collect(watch: Watch, model: ModelWatch): Collector {
  const received: WatchResponse[] = [];
  let error: Collector['error'];
  const done = (async () => {
    try {
      for await (const response of watch) received.push(response);
    } catch (thrown) {
      if (!(thrown instanceof StoreError)) throw thrown;
      error = thrown.compactRevision === undefined ? { code: thrown.code } : { code: thrown.code, compactRevision: thrown.compactRevision };
    }
  })();
  return {
    watch,
    model,
    received,
    get error() {
      return error;
    },
    done,
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

async function runScenario(withLog: boolean, ops: Op[]): Promise<void> {
  const time = new ManualTime(1_700_000_000_000);
  let log = new MemoryAppendLog();
  const openStore = () => EmbeddedStore.open({ clock: time, timers: time, ...(withLog ? { log } : {}) });
  let store = await openStore();
  const model = new Model();
  const granted: string[] = [];
  const collectors: Collector[] = [];
  const leaseOf = (pick: number | undefined): string | undefined =>
    pick === undefined ? undefined : (granted[pick] ?? String(1000 + pick));
  // Revisions near the interesting edges (0, the compact revision, now, the future) come up often.
  const revisionOf = (pick: number): number => {
    const c = Math.max(model.compactRevision, 1);
    const edges = [0, c, c - 1, c + 1, model.revision, model.revision + 1];
    return edges[pick % 10] ?? 1 + (pick % model.revision);
  };
  const txnOp = (op: GenTxnOp): TxnOp => {
    if (op.type !== 'put') return op;
    const lease = leaseOf(op.lease);
    return lease === undefined ? { type: 'put', key: op.key, value: op.value, prevKv: op.prevKv } : { type: 'put', key: op.key, value: op.value, prevKv: op.prevKv, lease };
  };

  for (const [step, op] of ops.entries()) {
    let actual: Outcome;
    let expected: Outcome;
    switch (op.kind) {
      case 'put': {
        const lease = leaseOf(op.lease);
        const options = lease === undefined ? { prevKv: op.prevKv } : { prevKv: op.prevKv, lease };
        actual = await outcome(() => store.put(op.key, op.value, options));
        expected = modelOutcome(() => model.put(op.key, op.value, lease, op.prevKv));
        break;
      }
      case 'delete':
        actual = await outcome(() => store.delete({ ...op.range, prevKv: op.prevKv }));
        expected = modelOutcome(() => model.delete(op.range, op.prevKv));
        break;
      case 'range': {
        const options = { ...op.range, ...op.read, revision: revisionOf(op.revisionPick) };
        actual = await outcome(() => store.range(options));
        expected = modelOutcome(() => model.range(options));
        break;
      }
      case 'txn': {
        const compare = op.compare.map(({ valuePick, ...c }): Compare => {
          const v = c.target === 'value' ? (VALUES[valuePick % VALUES.length] as string) : c.target === 'lease' ? (granted[valuePick] ?? '0') : valuePick;
          return { ...c, value: v };
        });
        const success = op.success.map(txnOp);
        const failureOps = op.failure.map(txnOp);
        actual = await outcome(() => store.txn({ compare, success, failure: failureOps }));
        expected = modelOutcome(() => model.txn(compare, success, failureOps));
        break;
      }
      case 'compact': {
        const revision = revisionOf(op.revisionPick);
        actual = await outcome(() => store.compact(revision));
        expected = modelOutcome(() => model.compact(revision));
        break;
      }
      case 'watch': {
        const startRevision = op.startPick === undefined ? undefined : revisionOf(op.startPick);
        const options = startRevision === undefined ? { ...op.range, prevKv: op.prevKv } : { ...op.range, prevKv: op.prevKv, startRevision };
        const watch = await store.watch(options);
        const from = startRevision !== undefined && startRevision > 0 ? startRevision : model.revision + 1;
        const modelWatch: ModelWatch = {
          range: op.range,
          prevKv: op.prevKv,
          from,
          createdAt: model.revision,
          compactAtCreation: model.compactRevision,
        };
        if (from < model.compactRevision) {
          modelWatch.endedAt = from - 1;
          modelWatch.error = { code: 'compacted', compactRevision: model.compactRevision };
        }
        collectors.push(collect(watch, modelWatch));
        actual = expected = { ok: 'watching' };
        break;
      }
      case 'grant': {
        actual = await outcome(() => store.leaseGrant(op.ttl));
        expected = modelOutcome(() => model.grant(op.ttl));
        if ('ok' in actual) granted.push((actual.ok as { id: string }).id);
        break;
      }
      case 'revoke': {
        const id = leaseOf(op.lease) ?? '0';
        actual = await outcome(() => store.leaseRevoke(id));
        expected = modelOutcome(() => model.revoke(id));
        break;
      }
      case 'keepAlive': {
        const id = leaseOf(op.lease) ?? '0';
        actual = await outcome(() => store.leaseKeepAlive(id));
        expected = modelOutcome(() => model.keepAlive(id));
        break;
      }
      case 'timeToLive': {
        const id = leaseOf(op.lease) ?? '0';
        actual = await outcome(() => store.leaseTimeToLive(id));
        expected = modelOutcome(() => model.timeToLive(id));
        break;
      }
      case 'advance':
        time.advance(op.ms);
        model.advance(op.ms);
        await settle();
        actual = expected = { ok: 'advanced' };
        break;
      case 'reopen': {
        await store.close();
        for (const collector of collectors) {
          if (collector.model.endedAt === undefined) {
            collector.model.endedAt = model.revision;
            collector.model.error = { code: 'closed' };
          }
        }
        log = new MemoryAppendLog(log.bytes());
        store = await openStore();
        // Leases come back with a full TTL, armed in grant order.
        for (const id of [...model.leases.keys()].sort((a, b) => Number(a) - Number(b))) model.arm(id);
        actual = expected = { ok: 'reopened' };
        break;
      }
    }
    expect(actual, `step ${step}: ${JSON.stringify(op)}`).toEqual(expected);
    expect(await store.revision(), `revision after step ${step}`).toBe(model.revision);
  }

  await settle();
  for (const collector of collectors) {
    collector.watch.cancel();
    await collector.done;
    expect(collector.received, `watch ${JSON.stringify(collector.model)}`).toEqual(model.expectedResponses(collector.model));
    expect(collector.error).toEqual(collector.model.error);
  }
  // Every revision still readable must agree in full.
  for (let r = Math.max(1, model.compactRevision); r <= model.revision; r++) {
    expect((await store.range({ key: '', prefix: true, revision: r })).kvs, `keyspace at ${r}`).toEqual(
      model.read(model.states[r] as State, { key: '', prefix: true }, r).kvs,
    );
  }
  await store.close();
}

describe('embedded store against a reference model', () => {
  it('agrees on random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean().chain((withLog) => fc.tuple(fc.constant(withLog), fc.array(opArb(withLog), { minLength: 1, maxLength: 80, size: 'max' }))),
        async ([withLog, ops]) => runScenario(withLog, ops),
      ),
      { numRuns: Number(process.env.KUBEPROP_MODEL_RUNS ?? 300) },
    );
  });
});
