// Concurrency properties of the reference API server (issue "API server", Properties):
// duplicate creates race to exactly one winner; updates with a stale resourceVersion get 409
// Conflict and write nothing; a watch from any resourceVersion delivers every later change
// once and in order, judged against the store's own history; compacted history is 410 Gone.
// The properties run the server in process (handle()); duplicate creates also run over HTTPS.

import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../impl/env/http.js';
import type { KeyValue, Revision, Store } from '../../impl/store/index.js';
import { labelSpec } from '../../reports/spec-labels.js';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { assertProperty } from '../support/property.js';
import { collectionPath, encoded, itemPath, KINDS, manifest, storeKey, type Encoding, type Kind, type Labels } from './objects.js';
import {
  apiRequest,
  failureStatusProblem,
  httpsSend,
  jsonBody,
  readLines,
  snapshot,
  snapshotDifference,
  startInProcessServer,
  type InProcessServer,
  type RequestOptions,
} from './reference-server.js';

const FILE = 'specs/apiserver/concurrency.spec.ts';

/** What a property needs of an answer, from handle() or from HTTPS alike. */
interface Answer {
  readonly status: number;
  readonly body?: string | undefined;
}

type Send = (method: string, path: string, options?: RequestOptions) => Promise<Answer>;

function sender(srv: InProcessServer): Send {
  return async (method, path, options) => {
    const res = await srv.handle(apiRequest(method, path, options));
    if (res.stream) {
      res.stream.close();
      throw new Error(`${method} ${path} answered a stream`);
    }
    return res;
  };
}

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

function bodyOf(a: Answer): Record<string, unknown> {
  return jsonBody({ status: a.status, body: a.body });
}

function statusReason(a: Answer): unknown {
  return bodyOf(a).reason;
}

function metadataOf(obj: Record<string, unknown>): Record<string, unknown> {
  return (obj.metadata ?? {}) as Record<string, unknown>;
}

function labelsOfValue(kv: KeyValue | undefined): Record<string, string> {
  if (!kv) return {};
  return (metadataOf(JSON.parse(kv.value) as Record<string, unknown>).labels ?? {}) as Record<string, string>;
}

async function keyValue(store: Store, key: string): Promise<KeyValue | undefined> {
  return (await store.range({ key })).kvs[0];
}

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,12}[a-z0-9])?$/);
const BOOTSTRAP_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

// ---- (a) duplicate creates --------------------------------------------------------------

interface DuplicateCreate {
  readonly kind: Kind;
  readonly namespace: string;
  readonly name: string;
  /** One creator per entry, each sending its own labelled body in this encoding. */
  readonly creators: readonly Encoding[];
}

const duplicateCreate: fc.Arbitrary<DuplicateCreate> = fc.record({
  kind: fc.constantFrom<Kind>('pod', 'deployment', 'namespace'),
  namespace: fc.constantFrom('default', 'kube-public'),
  name: dnsLabel.filter((n) => !BOOTSTRAP_NAMESPACES.has(n)),
  creators: fc.array(fc.constantFrom<Encoding>('json', 'yaml', 'protobuf'), { minLength: 2, maxLength: 10 }),
});

/** N creates of one name in parallel: exactly one 201, the rest 409 AlreadyExists, the store holds the winner. */
async function raceCreates(send: Send, store: Store, c: DuplicateCreate): Promise<void> {
  const info = KINDS[c.kind];
  const namespace = info.namespaced ? c.namespace : undefined;
  const before = await snapshot(store);
  const answers = await Promise.all(
    c.creators.map((encoding, i) => send('POST', collectionPath(c.kind, namespace), encoded(manifest(c.kind, c.name, { creator: `c${i}` }), encoding))),
  );
  const codes = answers.map((a) => a.status);
  const winners = codes.flatMap((code, i) => (code === 201 ? [i] : []));
  check(winners.length === 1, () => `want exactly one 201 among the ${codes.length} creates, got codes ${JSON.stringify(codes)}: ${answers.map((a) => a.body?.slice(0, 160)).join(' | ')}`);
  const winner = winners[0]!;
  answers.forEach((a, i) => {
    if (i === winner) return;
    check(a.status === 409, () => `create ${i} (${c.creators[i]}): want 409, got ${a.status} ${a.body?.slice(0, 200)}`);
    const problem = failureStatusProblem(a);
    check(problem === undefined, () => `create ${i}: ${problem}`);
    const s = bodyOf(a) as { reason?: string; details?: { name?: string; kind?: string; group?: string } };
    check(s.reason === 'AlreadyExists', () => `create ${i}: want reason AlreadyExists, got ${s.reason}`);
    check(s.details?.name === c.name && s.details.kind === info.plural && s.details.group === info.group, () => `create ${i}: AlreadyExists details ${JSON.stringify(s.details)}`);
  });
  const created = metadataOf(bodyOf(answers[winner]!));
  const labels = (created.labels ?? {}) as Labels;
  check(labels.creator === `c${winner}`, () => `the 201 answer carries creator ${labels.creator}, not c${winner}`);
  const after = await snapshot(store);
  check(after.revision === before.revision + 1, () => `the creates wrote ${after.revision - before.revision} revisions, want 1: ${snapshotDifference(before, after)}`);
  const key = storeKey(c.kind, namespace, c.name);
  const kv = after.kvs.find((e) => e.key === key);
  check(kv !== undefined, () => `${key} is not in the store`);
  check(kv!.modRevision === Number(created.resourceVersion), () => `${key} has mod revision ${kv!.modRevision}, the winner was told ${String(created.resourceVersion)}`);
  check(labelsOfValue(kv).creator === `c${winner}`, () => `${key} holds creator ${labelsOfValue(kv).creator}'s object, the winner is c${winner}`);
  const others = snapshotDifference(before, { revision: after.revision, kvs: after.kvs.filter((e) => e.key !== key) });
  check(others === `revision ${before.revision} -> ${after.revision}`, () => `the creates touched other keys: ${others}`);
}

// ---- (b) stale updates ------------------------------------------------------------------

type UpdateVia = 'put' | 'merge' | 'strategic' | 'json' | 'apply';

type Step =
  | { readonly type: 'fresh'; readonly via: UpdateVia }
  /** `pick` chooses among resourceVersions that are not the object's current one. */
  | { readonly type: 'stale'; readonly via: UpdateVia; readonly pick: number }
  /** Several updates in parallel, all with the current resourceVersion: exactly one wins. */
  | { readonly type: 'race'; readonly vias: readonly UpdateVia[] };

interface StaleCase {
  readonly kind: 'pod' | 'deployment';
  readonly steps: readonly Step[];
}

const via = fc.constantFrom<UpdateVia>('put', 'merge', 'strategic', 'json', 'apply');
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ type: fc.constant('fresh' as const), via }),
  { arbitrary: fc.record({ type: fc.constant('stale' as const), via, pick: fc.nat(20) }), weight: 2 },
  fc.record({ type: fc.constant('race' as const), vias: fc.array(via, { minLength: 2, maxLength: 4 }) }),
);
const staleCase: fc.Arbitrary<StaleCase> = fc.record({
  kind: fc.constantFrom<'pod' | 'deployment'>('pod', 'deployment'),
  steps: fc.array(step, { minLength: 1, maxLength: 10 }),
});

/** An update of the object's label `step` to `label`, carrying resourceVersion `rv` (a precondition). */
function updateRequest(v: UpdateVia, kind: 'pod' | 'deployment', current: Record<string, unknown>, rv: string, label: string): { method: string; options: RequestOptions } {
  const info = KINDS[kind];
  switch (v) {
    case 'put': {
      const obj = structuredClone(current);
      const m = metadataOf(obj);
      m.resourceVersion = rv;
      m.labels = { ...((m.labels ?? {}) as Labels), step: label };
      return { method: 'PUT', options: { body: obj } };
    }
    case 'merge':
    case 'strategic':
      return {
        method: 'PATCH',
        options: {
          body: { metadata: { resourceVersion: rv, labels: { step: label } } },
          contentType: v === 'merge' ? 'application/merge-patch+json' : 'application/strategic-merge-patch+json',
        },
      };
    case 'json':
      return {
        method: 'PATCH',
        options: {
          body: [
            { op: 'replace', path: '/metadata/resourceVersion', value: rv },
            { op: 'add', path: '/metadata/labels/step', value: label },
          ],
          contentType: 'application/json-patch+json',
        },
      };
    case 'apply':
      return {
        method: 'PATCH',
        options: {
          body: { apiVersion: info.apiVersion, kind: info.kind, metadata: { name: metadataOf(current).name, resourceVersion: rv, labels: { step: label } } },
          contentType: 'application/apply-patch+yaml',
          query: { fieldManager: 'spec-apply', force: 'true' },
        },
      };
  }
}

async function runStaleCase(srv: InProcessServer, c: StaleCase): Promise<void> {
  const send = sender(srv);
  const name = 'target';
  const path = itemPath(c.kind, 'default', name);
  const key = storeKey(c.kind, 'default', name);
  const created = await send('POST', collectionPath(c.kind, 'default'), { body: manifest(c.kind, name, { step: 's0' }) });
  check(created.status === 201, () => `creating the target: ${created.status} ${created.body}`);
  const seen: number[] = [];
  let n = 0;
  for (const s of c.steps) {
    const got = await send('GET', path);
    const current = bodyOf(got);
    const rv = Number(metadataOf(current).resourceVersion);
    seen.push(rv);
    const before = await snapshot(srv.store);
    const kvBefore = await keyValue(srv.store, key);
    check(kvBefore?.modRevision === rv, () => `GET says resourceVersion ${rv}, the store ${kvBefore?.modRevision}`);
    if (s.type === 'fresh') {
      const label = `s${++n}`;
      const u = updateRequest(s.via, c.kind, current, String(rv), label);
      const a = await send(u.method, path, u.options);
      check(a.status === 200, () => `fresh ${s.via} with resourceVersion ${rv}: want 200, got ${a.status} ${a.body?.slice(0, 300)}`);
      const after = await snapshot(srv.store);
      const kv = await keyValue(srv.store, key);
      check(after.revision === before.revision + 1 && kv?.modRevision === after.revision, () => `fresh ${s.via}: store ${snapshotDifference(before, after)}`);
      check(labelsOfValue(kv).step === label, () => `fresh ${s.via}: stored label step=${labelsOfValue(kv).step}, want ${label}`);
      check(metadataOf(bodyOf(a)).resourceVersion === String(kv!.modRevision), () => `fresh ${s.via}: answered resourceVersion ${String(metadataOf(bodyOf(a)).resourceVersion)}, stored ${kv!.modRevision}`);
    } else if (s.type === 'stale') {
      const candidates = [...new Set([...seen, 1, 2, before.revision - 1, rv + 1, rv + 1000])].filter((r) => r !== rv && r > 0);
      const stale = candidates[s.pick % candidates.length]!;
      const u = updateRequest(s.via, c.kind, current, String(stale), `stale${++n}`);
      const a = await send(u.method, path, u.options);
      check(a.status === 409, () => `stale ${s.via} with resourceVersion ${stale} (current ${rv}): want 409, got ${a.status} ${a.body?.slice(0, 300)}`);
      const problem = failureStatusProblem(a);
      check(problem === undefined, () => `stale ${s.via}: ${problem}`);
      check(statusReason(a) === 'Conflict', () => `stale ${s.via}: want reason Conflict, got ${String(statusReason(a))}`);
      const after = await snapshot(srv.store);
      const kvAfter = await keyValue(srv.store, key);
      check(isDeepStrictEqual(kvAfter, kvBefore), () => `stale ${s.via} changed ${key}: mod ${kvBefore?.modRevision} -> ${kvAfter?.modRevision}`);
      const diff = snapshotDifference(before, after);
      check(diff === undefined, () => `stale ${s.via} wrote to the store: ${diff}`);
    } else {
      const labels = s.vias.map(() => `r${++n}`);
      const answers = await Promise.all(
        s.vias.map((v, i) => {
          const u = updateRequest(v, c.kind, current, String(rv), labels[i]!);
          return send(u.method, path, u.options);
        }),
      );
      const codes = answers.map((a) => a.status);
      const winners = codes.flatMap((code, i) => (code === 200 ? [i] : []));
      check(winners.length === 1 && codes.every((code) => code === 200 || code === 409), () => `racing ${s.vias.join(', ')} at ${rv}: want one 200 and 409s, got ${JSON.stringify(codes)}: ${answers.map((a) => a.body?.slice(0, 160)).join(' | ')}`);
      for (const a of answers) {
        if (a.status === 409) check(statusReason(a) === 'Conflict', () => `racing update lost with reason ${String(statusReason(a))}, want Conflict`);
      }
      const after = await snapshot(srv.store);
      const kv = await keyValue(srv.store, key);
      check(after.revision === before.revision + 1, () => `racing updates wrote ${after.revision - before.revision} revisions, want 1`);
      check(labelsOfValue(kv).step === labels[winners[0]!], () => `racing updates: stored step=${labelsOfValue(kv).step}, the winner set ${labels[winners[0]!]}`);
    }
  }
}

// ---- (c) watch from any resourceVersion ---------------------------------------------------

type WatchKind = 'pod' | 'deployment';
const NAMESPACES = ['default', 'ns2'] as const;
type Namespace = (typeof NAMESPACES)[number];
const NAMES: Readonly<Record<WatchKind, readonly string[]>> = { pod: ['p0', 'p1', 'p2'], deployment: ['d0', 'd1'] };

type Op =
  | { readonly op: 'create'; readonly kind: WatchKind; readonly ns: Namespace; readonly name: string; readonly labels: Labels }
  | { readonly op: 'relabel'; readonly via: 'put' | 'merge' | 'strategic' | 'json'; readonly kind: WatchKind; readonly ns: Namespace; readonly name: string; readonly labels: Labels }
  | { readonly op: 'bind'; readonly ns: Namespace; readonly name: string; readonly node: string }
  | { readonly op: 'phase'; readonly ns: Namespace; readonly name: string; readonly phase: 'Running' | 'Succeeded' }
  | { readonly op: 'scale'; readonly ns: Namespace; readonly name: string; readonly replicas: number }
  | { readonly op: 'delete'; readonly kind: WatchKind; readonly ns: Namespace; readonly name: string; readonly gracePeriodSeconds?: number };

const labels: fc.Arbitrary<Labels> = fc.record({ app: fc.constantFrom('a', 'b'), tier: fc.constantFrom('web', 'db') }, { requiredKeys: [] });
const ns = fc.constantFrom<Namespace>(...NAMESPACES);
const watchKind = fc.constantFrom<WatchKind>('pod', 'deployment');
const objectRef = watchKind.chain((kind) => fc.record({ kind: fc.constant(kind), ns, name: fc.constantFrom(...NAMES[kind]) }));
const podRef = fc.record({ ns, name: fc.constantFrom(...NAMES.pod) });
const deploymentRef = fc.record({ ns, name: fc.constantFrom(...NAMES.deployment) });

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: objectRef.chain((r) => labels.map((l) => ({ op: 'create' as const, ...r, labels: l }))), weight: 4 },
  {
    arbitrary: fc.tuple(objectRef, fc.constantFrom('put' as const, 'merge' as const, 'strategic' as const, 'json' as const), labels).map(([r, v, l]) => ({ op: 'relabel' as const, via: v, ...r, labels: l })),
    weight: 4,
  },
  fc.tuple(podRef, fc.constantFrom('node-1', 'node-2')).map(([r, node]) => ({ op: 'bind' as const, ...r, node })),
  fc.tuple(podRef, fc.constantFrom('Running' as const, 'Succeeded' as const)).map(([r, phase]) => ({ op: 'phase' as const, ...r, phase })),
  fc.tuple(deploymentRef, fc.nat(3)).map(([r, replicas]) => ({ op: 'scale' as const, ...r, replicas })),
  {
    arbitrary: fc.tuple(objectRef, fc.constantFrom<number | undefined>(undefined, 0)).map(([r, g]) => ({ op: 'delete' as const, ...r, ...(g !== undefined ? { gracePeriodSeconds: g } : {}) })),
    weight: 2,
  },
);

async function applyOp(send: Send, o: Op): Promise<void> {
  let a: Answer;
  switch (o.op) {
    case 'create':
      a = await send('POST', collectionPath(o.kind, o.ns), { body: manifest(o.kind, o.name, o.labels) });
      break;
    case 'relabel': {
      const path = itemPath(o.kind, o.ns, o.name);
      const nulled = { app: o.labels.app ?? null, tier: o.labels.tier ?? null };
      if (o.via === 'put') {
        const got = await send('GET', path);
        if (got.status !== 200) return;
        const obj = bodyOf(got);
        metadataOf(obj).labels = { ...o.labels };
        a = await send('PUT', path, { body: obj });
      } else if (o.via === 'json') {
        a = await send('PATCH', path, { body: [{ op: 'add', path: '/metadata/labels', value: o.labels }], contentType: 'application/json-patch+json' });
      } else {
        a = await send('PATCH', path, {
          body: { metadata: { labels: nulled } },
          contentType: o.via === 'merge' ? 'application/merge-patch+json' : 'application/strategic-merge-patch+json',
        });
      }
      break;
    }
    case 'bind':
      a = await send('POST', `${itemPath('pod', o.ns, o.name)}/binding`, {
        body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: o.name }, target: { apiVersion: 'v1', kind: 'Node', name: o.node } },
      });
      break;
    case 'phase':
      a = await send('PATCH', `${itemPath('pod', o.ns, o.name)}/status`, { body: { status: { phase: o.phase } }, contentType: 'application/merge-patch+json' });
      break;
    case 'scale':
      a = await send('PATCH', `${itemPath('deployment', o.ns, o.name)}/scale`, { body: { spec: { replicas: o.replicas } }, contentType: 'application/merge-patch+json' });
      break;
    case 'delete':
      a = await send('DELETE', itemPath(o.kind, o.ns, o.name), o.gracePeriodSeconds !== undefined ? { query: { gracePeriodSeconds: String(o.gracePeriodSeconds) } } : {});
      break;
  }
  // Ops may miss (404, 409 on a second create); none may break the server.
  check(a.status < 500, () => `${JSON.stringify(o)}: ${a.status} ${a.body}`);
}

// Selectors, written structurally so the expected selection is computed here, independently.
type LabelRequirement = { readonly key: 'app' | 'tier'; readonly op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!'; readonly values: readonly string[] };
type FieldRequirement = { readonly field: 'metadata.name' | 'metadata.namespace' | 'spec.nodeName' | 'status.phase'; readonly op: '=' | '!='; readonly value: string };

const labelRequirement: fc.Arbitrary<LabelRequirement> = fc.record({
  key: fc.constantFrom<'app' | 'tier'>('app', 'tier'),
  op: fc.constantFrom<LabelRequirement['op']>('=', '!=', 'in', 'notin', 'exists', '!'),
  values: fc.uniqueArray(fc.constantFrom('a', 'b', 'web', 'db'), { minLength: 1, maxLength: 2 }),
});

function fieldRequirement(kind: WatchKind): fc.Arbitrary<FieldRequirement> {
  const generic = fc.oneof(
    fc.record({ field: fc.constant('metadata.name' as const), op: fc.constantFrom<'=' | '!='>('=', '!='), value: fc.constantFrom(...NAMES[kind]) }),
    fc.record({ field: fc.constant('metadata.namespace' as const), op: fc.constantFrom<'=' | '!='>('=', '!='), value: fc.constantFrom(...NAMESPACES) }),
  );
  if (kind === 'deployment') return generic;
  return fc.oneof(
    generic,
    fc.record({ field: fc.constant('spec.nodeName' as const), op: fc.constantFrom<'=' | '!='>('=', '!='), value: fc.constantFrom('', 'node-1', 'node-2') }),
    fc.record({ field: fc.constant('status.phase' as const), op: fc.constantFrom<'=' | '!='>('=', '!='), value: fc.constantFrom('Pending', 'Running', 'Succeeded') }),
  );
}

function renderLabel(r: LabelRequirement): string {
  switch (r.op) {
    case '=':
    case '!=':
      return `${r.key}${r.op}${r.values[0]}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${r.values.join(',')})`;
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
  }
}

function labelMatches(r: LabelRequirement, l: Labels): boolean {
  const v = l[r.key];
  switch (r.op) {
    case '=':
      return v === r.values[0];
    case '!=':
      return v !== r.values[0];
    case 'in':
      return v !== undefined && r.values.includes(v);
    case 'notin':
      return v === undefined || !r.values.includes(v);
    case 'exists':
      return v !== undefined;
    case '!':
      return v === undefined;
  }
}

function fieldValue(obj: Record<string, unknown>, field: FieldRequirement['field']): string {
  const m = metadataOf(obj);
  const spec = (obj.spec ?? {}) as { nodeName?: string };
  const status = (obj.status ?? {}) as { phase?: string };
  switch (field) {
    case 'metadata.name':
      return String(m.name ?? '');
    case 'metadata.namespace':
      return String(m.namespace ?? '');
    case 'spec.nodeName':
      return spec.nodeName ?? '';
    case 'status.phase':
      return status.phase ?? '';
  }
}

type StartPoint = { readonly type: 'absent' } | { readonly type: 'zero' } | { readonly type: 'list' } | { readonly type: 'older'; readonly at: number };

interface WatchSpec {
  readonly kind: WatchKind;
  readonly ns?: Namespace;
  readonly from: StartPoint;
  readonly labels: readonly LabelRequirement[];
  readonly fields: readonly FieldRequirement[];
}

const startPoint: fc.Arbitrary<StartPoint> = fc.oneof(
  fc.constant({ type: 'absent' as const }),
  fc.constant({ type: 'zero' as const }),
  fc.constant({ type: 'list' as const }),
  { arbitrary: fc.record({ type: fc.constant('older' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }), weight: 2 },
);

const watchSpec: fc.Arbitrary<WatchSpec> = watchKind.chain((kind) =>
  fc.record(
    {
      kind: fc.constant(kind),
      ns,
      from: startPoint,
      labels: fc.array(labelRequirement, { maxLength: 2 }),
      fields: fc.array(fieldRequirement(kind), { maxLength: 2 }),
    },
    { requiredKeys: ['kind', 'from', 'labels', 'fields'] },
  ),
);

function selects(w: WatchSpec, obj: Record<string, unknown>): boolean {
  const l = (metadataOf(obj).labels ?? {}) as Labels;
  return w.labels.every((r) => labelMatches(r, l)) && w.fields.every((f) => (fieldValue(obj, f.field) === f.value) === (f.op === '='));
}

function watchQuery(w: WatchSpec, rv: string | undefined): Record<string, string> {
  return {
    watch: 'true',
    ...(rv !== undefined ? { resourceVersion: rv } : {}),
    ...(w.labels.length > 0 ? { labelSelector: w.labels.map(renderLabel).join(',') } : {}),
    ...(w.fields.length > 0 ? { fieldSelector: w.fields.map((f) => `${f.field}${f.op}${f.value}`).join(',') } : {}),
  };
}

/** The store's whole keyspace at each revision of [from, to]. */
type History = ReadonlyMap<Revision, ReadonlyMap<string, KeyValue>>;

async function readHistory(store: Store, from: Revision, to: Revision): Promise<History> {
  const out = new Map<Revision, ReadonlyMap<string, KeyValue>>();
  for (let r = from; r <= to; r++) out.set(r, new Map((await snapshot(store, r)).kvs.map((kv) => [kv.key, kv])));
  return out;
}

interface WatchEventLine {
  readonly type: string;
  readonly object: Record<string, unknown>;
}

function eventObject(kind: WatchKind, value: string, rv: Revision): Record<string, unknown> {
  const obj = JSON.parse(value) as Record<string, unknown>;
  return { apiVersion: KINDS[kind].apiVersion, kind: KINDS[kind].kind, ...obj, metadata: { ...metadataOf(obj), resourceVersion: String(rv) } };
}

function prefixOf(w: WatchSpec): string {
  return w.ns !== undefined ? `/registry/${KINDS[w.kind].plural}/${w.ns}/` : `/registry/${KINDS[w.kind].plural}/`;
}

/** Objects selected at revision `at`, as the synthetic ADDED events of a watch without a resourceVersion. */
function expectedInitial(w: WatchSpec, history: History, at: Revision): WatchEventLine[] {
  const state = history.get(at)!;
  return [...state.values()]
    .filter((kv) => kv.key.startsWith(prefixOf(w)))
    .map((kv) => eventObject(w.kind, kv.value, kv.modRevision))
    .filter((o) => selects(w, o))
    .map((object) => ({ type: 'ADDED', object }));
}

/**
 * Every change in (from, to] as a watch with `w`'s selectors must see it: a selected object
 * created or entering the selection is ADDED, changed while selected MODIFIED, deleted or
 * leaving the selection DELETED with its last selected state at the revision it left.
 */
function expectedChanges(w: WatchSpec, history: History, from: Revision, to: Revision): WatchEventLine[] {
  const prefix = prefixOf(w);
  const out: WatchEventLine[] = [];
  for (let r = from + 1; r <= to; r++) {
    const before = history.get(r - 1)!;
    const after = history.get(r)!;
    const keys = new Set<string>();
    for (const kv of after.values()) if (kv.modRevision === r && kv.key.startsWith(prefix)) keys.add(kv.key);
    for (const key of before.keys()) if (!after.has(key) && key.startsWith(prefix)) keys.add(key);
    for (const key of [...keys].sort()) {
      const was = before.get(key);
      const is = after.get(key);
      const wasObj = was ? eventObject(w.kind, was.value, r) : undefined;
      const isObj = is ? eventObject(w.kind, is.value, r) : undefined;
      const wasIn = wasObj !== undefined && selects(w, wasObj);
      const isIn = isObj !== undefined && selects(w, isObj);
      if (isIn) out.push({ type: wasIn ? 'MODIFIED' : 'ADDED', object: isObj });
      else if (wasIn) out.push({ type: 'DELETED', object: wasObj });
    }
  }
  return out;
}

function describeEvent(e: WatchEventLine | undefined): string {
  if (!e) return '(none)';
  const m = metadataOf(e.object);
  return `${e.type} ${String(m.namespace)}/${String(m.name)}@${String(m.resourceVersion)}`;
}

function parseEvents(lines: readonly string[]): WatchEventLine[] {
  return lines.map((l) => JSON.parse(l) as WatchEventLine);
}

const byName = (a: WatchEventLine, b: WatchEventLine) => {
  const ka = `${String(metadataOf(a.object).namespace)}/${String(metadataOf(a.object).name)}`;
  const kb = `${String(metadataOf(b.object).namespace)}/${String(metadataOf(b.object).name)}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** Compares a watch's events with the expected ones: the initial set (any order), then every change in order. */
function compareEvents(label: string, got: readonly WatchEventLine[], initial: readonly WatchEventLine[], changes: readonly WatchEventLine[], from: Revision): void {
  check(got.length === initial.length + changes.length, () =>
    `${label}: want ${initial.length} initial + ${changes.length} change events, got ${got.length}:\n  got  ${got.map(describeEvent).join(', ')}\n  want ${[...initial, ...changes].map(describeEvent).join(', ')}`,
  );
  const gotInitial = got.slice(0, initial.length);
  const sortedGot = [...gotInitial].sort(byName);
  const sortedWant = [...initial].sort(byName);
  sortedWant.forEach((want, i) => {
    check(isDeepStrictEqual(sortedGot[i], want), () => `${label}: initial events differ: got ${describeEvent(sortedGot[i])}, want ${describeEvent(want)}\n got ${JSON.stringify(sortedGot[i])}\nwant ${JSON.stringify(want)}`);
  });
  let last = from;
  const seen = new Set<Revision>();
  got.slice(initial.length).forEach((e, i) => {
    const rv = Number(metadataOf(e.object).resourceVersion);
    check(rv > last, () => `${label}: event ${i} ${describeEvent(e)} does not increase the resourceVersion (previous ${last})`);
    check(!seen.has(rv), () => `${label}: resourceVersion ${rv} delivered twice`);
    seen.add(rv);
    last = rv;
    check(isDeepStrictEqual(e, changes[i]), () => `${label}: change ${i}: got ${describeEvent(e)}, want ${describeEvent(changes[i])}\n got ${JSON.stringify(e)}\nwant ${JSON.stringify(changes[i])}`);
  });
}

interface OpenWatch {
  readonly spec: WatchSpec;
  readonly from: Revision;
  readonly synthetic: boolean;
  readonly stream: NonNullable<ApiResponse['stream']>;
}

async function openWatch(srv: InProcessServer, w: WatchSpec, rv: string | undefined): Promise<ApiResponse> {
  return srv.handle(apiRequest('GET', collectionPath(w.kind, w.ns), { query: watchQuery(w, rv) }));
}

interface WatchCase {
  readonly before: readonly Op[];
  readonly watches: readonly WatchSpec[];
  readonly after: readonly Op[];
}

const watchCase: fc.Arbitrary<WatchCase> = fc.record({
  before: fc.array(op, { minLength: 1, maxLength: 20 }),
  watches: fc.array(watchSpec, { minLength: 1, maxLength: 4 }),
  after: fc.array(op, { maxLength: 20 }),
});

async function newWatchServer(): Promise<InProcessServer> {
  const srv = await startInProcessServer();
  const a = await srv.handle(apiRequest('POST', collectionPath('namespace'), { body: manifest('namespace', 'ns2') }));
  check(a.status === 201, () => `creating ns2: ${a.status}`);
  return srv;
}

async function runWatchCase(c: WatchCase): Promise<void> {
  const srv = await newWatchServer();
  const send = sender(srv);
  try {
    for (const o of c.before) await applyOp(send, o);
    const listed = await send('GET', collectionPath('pod'));
    const listRv = Number(metadataOf(bodyOf(listed)).resourceVersion);
    const current = await srv.store.revision();
    check(listRv === current, () => `a list answered resourceVersion ${listRv}, the store is at ${current}`);
    const open: OpenWatch[] = [];
    for (const w of c.watches) {
      let rv: string | undefined;
      let from = listRv;
      if (w.from.type === 'zero') rv = '0';
      else if (w.from.type === 'list') rv = String(listRv);
      else if (w.from.type === 'older') {
        from = 1 + Math.floor(w.from.at * (listRv - 1));
        rv = String(from);
      }
      const res = await openWatch(srv, w, rv);
      check(res.status === 200 && res.stream !== undefined, () => `watch ${JSON.stringify(watchQuery(w, rv))}: ${res.status} ${res.body}`);
      open.push({ spec: w, from, synthetic: w.from.type === 'absent' || w.from.type === 'zero', stream: res.stream! });
    }
    for (const o of c.after) await applyOp(send, o);
    const final = await srv.store.revision();
    const history = await readHistory(srv.store, 1, final);
    for (const [i, w] of open.entries()) {
      const initial = w.synthetic ? expectedInitial(w.spec, history, w.from) : [];
      const changes = expectedChanges(w.spec, history, w.from, final);
      const got = parseEvents(await readLines(w.stream, initial.length + changes.length));
      compareEvents(`watch ${i} ${collectionPath(w.spec.kind, w.spec.ns)}?${new URLSearchParams(watchQuery(w.spec, w.synthetic ? (w.spec.from.type === 'zero' ? '0' : undefined) : String(w.from)))}`, got, initial, changes, w.from);
    }
  } finally {
    await srv.close();
  }
}

interface CompactionCase {
  readonly ops: readonly Op[];
  /** Where to compact, as a fraction of the revisions the ops wrote. */
  readonly compactAt: number;
  /** Which compacted revision to ask for, as a fraction of those below the compaction. */
  readonly oldAt: number;
  /** Which kept revision to watch from, as a fraction of those from the compaction on. */
  readonly keptAt: number;
  readonly watch: WatchSpec;
}

const compactionCase: fc.Arbitrary<CompactionCase> = fc.record({
  ops: fc.array(op, { minLength: 2, maxLength: 20 }),
  compactAt: fc.double({ min: 0, max: 1, noNaN: true }),
  oldAt: fc.double({ min: 0, max: 1, noNaN: true }),
  keptAt: fc.double({ min: 0, max: 1, noNaN: true }),
  watch: watchSpec,
});

async function runCompactionCase(c: CompactionCase): Promise<void> {
  const srv = await newWatchServer();
  const send = sender(srv);
  try {
    const base = await srv.store.revision();
    // A first write, so there is always something to compact past.
    await applyOp(send, { op: 'create', kind: 'pod', ns: 'default', name: 'p0', labels: { app: 'a' } });
    for (const o of c.ops) await applyOp(send, o);
    const final = await srv.store.revision();
    const history = await readHistory(srv.store, 1, final);
    const compactRev = base + 1 + Math.floor(c.compactAt * (final - base - 1));
    await srv.store.compact(compactRev);
    const old = 1 + Math.floor(c.oldAt * (compactRev - 2));
    const w = c.watch;
    for (const [what, res] of [
      ['watch', await openWatch(srv, w, String(old))],
      ['list', await srv.handle(apiRequest('GET', collectionPath(w.kind, w.ns), { query: { resourceVersion: String(old), resourceVersionMatch: 'Exact' } }))],
    ] as const) {
      res.stream?.close();
      check(res.status === 410, () => `${what} from compacted resourceVersion ${old} (compacted at ${compactRev}): want 410, got ${res.status} ${res.body?.slice(0, 200)}`);
      const problem = failureStatusProblem(res);
      check(problem === undefined, () => `${what} from a compacted resourceVersion: ${problem}`);
      check(statusReason(res) === 'Expired', () => `${what} from a compacted resourceVersion: want reason Expired, got ${String(statusReason(res))}`);
    }
    const kept = compactRev + Math.floor(c.keptAt * (final - compactRev));
    const res = await openWatch(srv, w, String(kept));
    check(res.status === 200 && res.stream !== undefined, () => `watch from kept resourceVersion ${kept} (compacted at ${compactRev}): ${res.status} ${res.body}`);
    const changes = expectedChanges(w, history, kept, final);
    compareEvents(`watch from ${kept} after compaction at ${compactRev}`, parseEvents(await readLines(res.stream!, changes.length)), [], changes, kept);
  } finally {
    await srv.close();
  }
}

// ---- the suite ---------------------------------------------------------------------------

describe('API server concurrency properties', () => {
  labelSpec({ feature: 'apiserver', story: 'concurrency', severity: 'critical', target: 'reference API server (in process)' });
  it('duplicate creates of one name (handle): exactly one 201, the rest 409 AlreadyExists, the store holds the winner', async () => {
    await assertProperty(
      fc.asyncProperty(duplicateCreate, async (c) => {
        const srv = await startInProcessServer();
        try {
          await raceCreates(sender(srv), srv.store, c);
        } finally {
          await srv.close();
        }
      }),
      { file: FILE, numRuns: 150 },
    );
  });

  describe('over HTTPS', () => {
    labelSpec({ target: 'reference API server (HTTPS)' });
    let server: TestApiServer;
    let run = 0;

    beforeAll(async () => {
      server = await startTestApiServer({ store: 'memory' });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('duplicate creates of one name (HTTPS): exactly one 201, the rest 409 AlreadyExists, the store holds the winner', async () => {
      const token = server.tokenOf('admin');
      const send: Send = (method, path, options) => httpsSend(server, apiRequest(method, path, { ...options, token }));
      await assertProperty(
        fc.asyncProperty(duplicateCreate, async (c) => {
          // One server for all runs: a fresh name each time.
          run++;
          await raceCreates(send, server.store, { ...c, name: `${c.name.slice(0, 40)}-r${run}` });
        }),
        { file: FILE, numRuns: 6 },
      );
    });
  });

  it('updates with a stale resourceVersion (PUT, merge, strategic, JSON patch, apply) get 409 Conflict and leave the object byte-identical; fresh and racing ones behave', async () => {
    await assertProperty(
      fc.asyncProperty(staleCase, async (c) => {
        const srv = await startInProcessServer();
        try {
          await runStaleCase(srv, c);
        } finally {
          await srv.close();
        }
      }),
      { file: FILE, numRuns: 150 },
    );
  });

  it('a watch from any resourceVersion (absent, 0, the list RV, older) with or without selectors delivers every later change once, in order', async () => {
    await assertProperty(fc.asyncProperty(watchCase, runWatchCase), { file: FILE, numRuns: 150 });
  });

  it('after compaction a watch or exact list from a compacted resourceVersion is 410 Gone (Expired); from a kept one it still sees every change', async () => {
    await assertProperty(fc.asyncProperty(compactionCase, runCompactionCase), { file: FILE, numRuns: 60 });
  });

  it('knows its own expectations: a hand-made history gives ADDED, MODIFIED and DELETED on entering, staying in and leaving a selection', () => {
    const kv = (key: string, rev: Revision, value: object): KeyValue => ({ key, value: JSON.stringify(value), createRevision: 2, modRevision: rev, version: 1, lease: '0' });
    const key = '/registry/pods/default/p0';
    const pod = (app: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p0', namespace: 'default', labels: { app } } });
    const history: History = new Map([
      [1, new Map()],
      [2, new Map([[key, kv(key, 2, pod('a'))]])],
      [3, new Map([[key, kv(key, 3, pod('a'))]])],
      [4, new Map([[key, kv(key, 4, pod('b'))]])],
      [5, new Map([[key, kv(key, 5, pod('a'))]])],
      [6, new Map()],
    ]);
    const w: WatchSpec = { kind: 'pod', ns: 'default', from: { type: 'list' }, labels: [{ key: 'app', op: '=', values: ['a'] }], fields: [] };
    const events = expectedChanges(w, history, 1, 6).map(describeEvent);
    expect(events).toEqual(['ADDED default/p0@2', 'MODIFIED default/p0@3', 'DELETED default/p0@4', 'ADDED default/p0@5', 'DELETED default/p0@6']);
    // Leaving the selection shows the last selected state (app=a), at the revision it left.
    const left = expectedChanges(w, history, 3, 4)[0]!;
    expect((metadataOf(left.object).labels as Labels).app).toBe('a');
  });
});
