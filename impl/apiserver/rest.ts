// The REST verbs of one resource over the object store: get, list, create, update, patch,
// delete and deletecollection, with upstream's rules for names, namespaces, generation,
// resourceVersion preconditions, graceful deletion and finalizers.

import type { Revision } from '../store/store.js';
import { StoreError } from '../store/store.js';
import { admit, rejectTypeErrors } from './admission.js';
import { decodeObjectBody, decodePatchBody } from './decode-body.js';
import type { StoredObject } from './object-store.js';
import { applyPatch } from './patching.js';
import { listPrefix } from './registry.js';
import { apiVersionOf, type KubeObject, type ResourceType } from './resource-type.js';
import { timestamp, uuid, type RequestContext } from './request-context.js';
import { listSelection, type Selection } from './selection.js';
import { ApiError, successStatus, type Status } from './status.js';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

const MAX_CAS_RETRIES = 8;

export function resourceName(t: ResourceType): { group: string; resource: string } {
  return { group: t.group, resource: t.plural };
}

function namespaceOf(ctx: RequestContext): string | undefined {
  return ctx.type.namespaced ? ctx.info.namespace : undefined;
}

export async function getObject(ctx: RequestContext, name: string): Promise<StoredObject> {
  const found = await ctx.services.objects.get(ctx.type, namespaceOf(ctx), name);
  if (!found) throw ApiError.notFound(resourceName(ctx.type), name);
  return found;
}

export function withTypeMeta(t: ResourceType, obj: KubeObject): KubeObject {
  return { apiVersion: apiVersionOf(t), kind: t.kind, ...obj };
}

// ---- list ----

interface ContinueToken {
  rv: Revision;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString()) as ContinueToken;
    if (typeof t.rv === 'number' && typeof t.start === 'string') return t;
  } catch {
    // fall through
  }
  throw ApiError.badRequest('invalid continue token');
}

function parseLimit(v: string | undefined): number {
  if (v === undefined || v === '') return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw ApiError.badRequest(`invalid limit "${v}": must be a non-negative integer`);
  return n;
}

export function parseResourceVersion(v: string | undefined): Revision | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw ApiError.badRequest(`invalid resource version "${v}"`);
  return Number(v);
}

export interface ListResult {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

export async function listObjects(ctx: RequestContext, selection: Selection): Promise<ListResult> {
  const q = ctx.req.query;
  const limit = parseLimit(q.limit);
  let revision: Revision = 0;
  let afterKey: string | undefined;
  if (q.continue) {
    const token = decodeContinue(q.continue);
    // A token names a revision the store reached and a key inside the listed range: a forged
    // one must neither read other resources nor ask for the future.
    const inRange = token.start.startsWith(listPrefix(ctx.type, namespaceOf(ctx)));
    if (!inRange || !Number.isSafeInteger(token.rv) || token.rv <= 0 || token.rv > (await ctx.services.objects.revision())) {
      throw ApiError.badRequest('invalid continue token');
    }
    revision = token.rv;
    afterKey = token.start;
  } else if (q.resourceVersionMatch === 'Exact') {
    revision = parseResourceVersion(q.resourceVersion) ?? 0;
  } else if (q.resourceVersion !== undefined) {
    parseResourceVersion(q.resourceVersion);
  }
  const items: KubeObject[] = [];
  let readAt: Revision = revision;
  let nextKey: string | undefined;
  let remaining: number | undefined;
  try {
    for (;;) {
      const want = limit ? limit - items.length : 0;
      const page = await ctx.services.objects.list(ctx.type, namespaceOf(ctx), {
        revision: readAt,
        ...(want ? { limit: want } : {}),
        ...(afterKey !== undefined ? { afterKey } : {}),
      });
      readAt = page.revision;
      for (const o of page.objects) if (selection.matches(o.object)) items.push(o.object);
      nextKey = page.nextKey;
      remaining = page.remaining;
      if (!nextKey || (limit && items.length >= limit)) break;
      afterKey = nextKey;
    }
  } catch (e) {
    if (e instanceof StoreError && e.code === 'compacted') {
      throw ApiError.gone(
        q.continue
          ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'
          : `too old resource version: ${revision} (${e.compactRevision ?? 0})`,
      );
    }
    if (e instanceof StoreError && e.code === 'future-revision') {
      throw new ApiError(504, 'Timeout', `Too large resource version: ${revision}, current: unknown`);
    }
    throw e;
  }
  return {
    items,
    resourceVersion: String(readAt),
    ...(nextKey ? { continue: encodeContinue({ rv: readAt, start: nextKey }) } : {}),
    ...(nextKey && selection.isEverything && remaining !== undefined ? { remainingItemCount: remaining } : {}),
  };
}

export async function list(ctx: RequestContext): Promise<ListResult> {
  return listObjects(ctx, listSelection(ctx.type, ctx.req.query));
}

// ---- create ----

function expectTypeMeta(t: ResourceType, body: Record<string, unknown>): void {
  const want = apiVersionOf(t);
  if (body.kind === undefined || body.kind === '') {
    throw ApiError.badRequest(`Object 'Kind' is missing in the request body (want kind ${t.kind}, apiVersion ${want})`);
  }
  if (body.apiVersion === undefined || body.apiVersion === '') {
    throw ApiError.badRequest(`Object 'apiVersion' is missing in the request body (want apiVersion ${want})`);
  }
  if (body.kind !== t.kind || body.apiVersion !== want) {
    throw ApiError.badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${want}) or the kind (${String(body.kind)}) is not ${t.kind}`);
  }
}

/**
 * A create or update body may leave out kind and apiVersion: upstream's decoder gets the
 * endpoint's group-version-kind as the default and fills in what the body lacks (clients
 * such as @kubernetes/client-node send `{ metadata: { name } }` as is). Server-side apply
 * configurations must still name both, as upstream requires.
 */
function withDefaultTypeMeta(t: ResourceType, body: Record<string, unknown>): Record<string, unknown> {
  const missing = (v: unknown) => v === undefined || v === '';
  return { ...body, kind: missing(body.kind) ? t.kind : body.kind, apiVersion: missing(body.apiVersion) ? apiVersionOf(t) : body.apiVersion };
}

function objectFromBody(ctx: RequestContext, body: Record<string, unknown>): KubeObject {
  expectTypeMeta(ctx.type, body);
  const metadata = body.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw ApiError.badRequest(`${ctx.type.kind} in version "${ctx.type.version}" cannot be handled as a ${ctx.type.kind}: metadata must be an object`);
  }
  return { ...body, metadata: { ...(metadata as Record<string, unknown>) } } as KubeObject;
}

function isDryRun(ctx: RequestContext): boolean {
  const v = ctx.req.query.dryRun;
  if (v === undefined || v === '') return false;
  if (v !== 'All') throw ApiError.badRequest(`unsupported dryRun value "${v}": only "All" is supported`);
  return true;
}

async function ensureNamespaceAccepts(ctx: RequestContext, namespace: string): Promise<void> {
  const nsType = ctx.services.namespaces;
  const ns = await ctx.services.objects.get(nsType, undefined, namespace);
  if (!ns) throw ApiError.notFound({ group: '', resource: 'namespaces' }, namespace);
  if (ns.object.metadata.deletionTimestamp) {
    throw ApiError.forbiddenMessage(resourceName(ctx.type), ctx.info.name ?? '', `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

export async function create(ctx: RequestContext): Promise<Reply> {
  const body = decodeObjectBody(ctx.req.headers['content-type'], ctx.req.body);
  const obj = objectFromBody(ctx, withDefaultTypeMeta(ctx.type, body));
  return createObject(ctx, obj, isDryRun(ctx));
}

export async function createObject(ctx: RequestContext, obj: KubeObject, dryRun: boolean): Promise<Reply> {
  const t = ctx.type;
  const ns = namespaceOf(ctx);
  if (t.namespaced) {
    if (ns === undefined) throw ApiError.badRequest(`${t.kind} objects are namespaced: POST to /namespaces/{namespace}/${t.plural}`);
    if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== '' && obj.metadata.namespace !== ns) {
      throw ApiError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = ns;
  } else {
    delete obj.metadata.namespace;
  }
  const { clock, random } = ctx.services;
  if (!obj.metadata.name && obj.metadata.generateName) {
    obj.metadata.name = ctx.services.generateName(obj.metadata.generateName, random);
  }
  const m = obj.metadata;
  m.uid = uuid(random);
  m.creationTimestamp = timestamp(clock.now());
  m.generation = 1;
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  t.strategy.prepareForCreate?.(obj, { now: clock.now() });
  await admit(ctx, obj, undefined);
  if (ns !== undefined) await ensureNamespaceAccepts(ctx, ns);
  if (dryRun) return { status: 201, body: withTypeMeta(t, obj) };
  const r = await ctx.services.objects.create(t, obj);
  if (!r.ok) throw ApiError.alreadyExists(resourceName(t), m.name ?? '');
  ctx.written.push(r.revision);
  return { status: 201, body: withTypeMeta(t, r.object) };
}

// ---- update ----

/** Server-owned metadata survives every update. */
function keepServerMetadata(next: KubeObject, old: KubeObject): void {
  const m = next.metadata;
  const o = old.metadata;
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  m.generation = o.generation;
  if (o.namespace !== undefined) m.namespace = o.namespace;
  if (o.deletionTimestamp !== undefined) m.deletionTimestamp = o.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  if (m.generateName === undefined && o.generateName !== undefined) m.generateName = o.generateName;
}

function defaultSpecChanged(next: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
    return JSON.stringify(rest);
  };
  return strip(next) !== strip(old);
}

/**
 * Replaces `current` by `next` (already decoded and type-checked): which parts of `next` count
 * depends on the subresource (status updates change only status, the main resource never does).
 */
export async function updateFrom(
  ctx: RequestContext,
  current: StoredObject,
  nextIn: KubeObject,
  options: { subresource?: 'status'; precondition?: Revision; dryRun: boolean },
): Promise<Reply | 'conflict'> {
  const t = ctx.type;
  const old = current.object;
  if (options.subresource === 'status' || (t.subresources.includes('status') && nextIn.status !== undefined)) rejectTypeErrors(t, nextIn);
  let next: KubeObject;
  if (options.subresource === 'status') {
    next = { ...structuredClone(old), status: nextIn.status };
  } else {
    next = nextIn;
    if (t.subresources.includes('status')) {
      if (old.status === undefined) delete next.status;
      else next.status = old.status;
    }
  }
  // What the client sent must name the object, also when only its status is taken.
  if (nextIn.metadata.name !== old.metadata.name) {
    throw ApiError.badRequest(`the name of the object (${String(nextIn.metadata.name)}) does not match the name on the URL (${String(old.metadata.name)})`);
  }
  if (t.namespaced && nextIn.metadata.namespace !== undefined && nextIn.metadata.namespace !== '' && nextIn.metadata.namespace !== old.metadata.namespace) {
    throw ApiError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  keepServerMetadata(next, old);
  if (options.subresource !== 'status') {
    const changed = (t.strategy.specChanged ?? defaultSpecChanged)(next, old);
    if (changed) next.metadata.generation = (old.metadata.generation ?? 1) + 1;
  }
  await admit(ctx, next, old);
  const acceptStale = ctx.services.mutants['accept-stale-updates'] === true;
  const expected = acceptStale ? current.modRevision : (options.precondition ?? current.modRevision);
  if (!acceptStale && options.precondition !== undefined && options.precondition !== current.modRevision) {
    throw ApiError.staleResourceVersion(resourceName(t), old.metadata.name ?? '');
  }
  // An object marked for deletion whose last finalizer is gone (and whose grace is over) is removed.
  const finalize =
    next.metadata.deletionTimestamp !== undefined &&
    (next.metadata.finalizers ?? []).length === 0 &&
    !(t.kind === 'Namespace' && namespaceFinalizers(next).length > 0) &&
    (next.metadata.deletionGracePeriodSeconds ?? 0) === 0;
  if (options.dryRun) return { status: 200, body: withTypeMeta(t, next) };
  const r = finalize ? await ctx.services.objects.delete(t, next, expected) : await ctx.services.objects.update(t, next, expected);
  if (!r.ok) {
    if (!r.current) throw ApiError.notFound(resourceName(t), old.metadata.name ?? '');
    if (options.precondition !== undefined) throw ApiError.staleResourceVersion(resourceName(t), old.metadata.name ?? '');
    return 'conflict';
  }
  ctx.written.push(r.revision);
  if (ctx.services.mutants['unaudited-status-writes'] === true && options.subresource === 'status' && t.kind === 'Pod' && !finalize) {
    // The bug: a second write of the same status that no audited request accounts for.
    await ctx.services.objects.update(t, r.object, r.revision);
  }
  return { status: 200, body: withTypeMeta(t, r.object) };
}

export function namespaceFinalizers(ns: KubeObject): string[] {
  const spec = ns.spec as { finalizers?: string[] } | undefined;
  return spec?.finalizers ?? [];
}

export async function update(ctx: RequestContext, name: string, subresource?: 'status'): Promise<Reply> {
  const body = decodeObjectBody(ctx.req.headers['content-type'], ctx.req.body);
  const next = objectFromBody(ctx, withDefaultTypeMeta(ctx.type, body));
  const precondition = parseResourceVersion(next.metadata.resourceVersion);
  const current = await getObject(ctx, name);
  const r = await updateFrom(ctx, current, next, {
    ...(subresource ? { subresource } : {}),
    ...(precondition !== undefined ? { precondition } : {}),
    dryRun: isDryRun(ctx),
  });
  if (r === 'conflict') throw ApiError.staleResourceVersion(resourceName(ctx.type), name);
  return r;
}

// ---- patch ----

export async function patch(ctx: RequestContext, name: string, subresource?: 'status'): Promise<Reply> {
  const { type, patch: body } = decodePatchBody(ctx.req.headers['content-type'], ctx.req.body);
  const dryRun = isDryRun(ctx);
  for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
    const current = await ctx.services.objects.get(ctx.type, namespaceOf(ctx), name);
    if (!current) {
      if (type === 'application/apply-patch+yaml' && !subresource) {
        const obj = objectFromBody(ctx, applyConfigurationOf(body));
        if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
          throw ApiError.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
        }
        obj.metadata.name = name;
        const created = applyPatch(ctx, type, undefined, body);
        return await createObject(ctx, { ...created, metadata: { ...created.metadata, name } }, dryRun);
      }
      throw ApiError.notFound(resourceName(ctx.type), name);
    }
    const patched = applyPatch(ctx, type, current.object, body);
    expectTypeMeta(ctx.type, patched as Record<string, unknown>);
    const precondition = preconditionOf(body) ?? rewrittenResourceVersion(patched, current.object);
    const r = await updateFrom(ctx, current, patched, {
      ...(subresource ? { subresource } : {}),
      ...(precondition !== undefined ? { precondition } : {}),
      dryRun,
    });
    if (r !== 'conflict') return r;
  }
  throw ApiError.conflict(resourceName(ctx.type), name, 'too many concurrent updates; please try again');
}

function applyConfigurationOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw ApiError.badRequest('an apply configuration must be an object');
  return body as Record<string, unknown>;
}

/** A patch that sets metadata.resourceVersion is a precondition on it (as upstream). */
function preconditionOf(body: unknown): Revision | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const rv = (body as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
  if (typeof rv !== 'string' || rv === '') return undefined;
  return parseResourceVersion(rv);
}

/**
 * A patch that rewrites metadata.resourceVersion (a JSON patch "replace") makes the new value a
 * precondition, as upstream, where the patched object's resourceVersion is the update's.
 */
function rewrittenResourceVersion(patched: KubeObject, current: KubeObject): Revision | undefined {
  const rv = patched.metadata.resourceVersion;
  if (typeof rv !== 'string' || rv === '' || rv === current.metadata.resourceVersion) return undefined;
  return parseResourceVersion(rv);
}

// ---- delete ----

interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

/** Beyond this a deletion timestamp is no date (upstream's int64 allows more; nobody waits 300 years). */
const MAX_GRACE_PERIOD_SECONDS = 10_000_000_000;

/** An integer query parameter as Go's strconv.ParseInt reads it: anything else is 400, as upstream. */
function parseIntegerParameter(name: string, v: string): number {
  const n = Number(v);
  if (!/^[+-]?[0-9]+$/.test(v) || !Number.isSafeInteger(n)) throw ApiError.badRequest(`invalid ${name} "${v}": must be an integer`);
  return n;
}

/** DeleteOptions from a body, each field of its declared type (a wrong type is 400, as upstream's decoder). */
function deleteOptionsFromBody(b: Record<string, unknown>): DeleteOptions {
  const wrong = (field: string, want: string) => ApiError.badRequest(`DeleteOptions in version "v1" cannot be handled as a DeleteOptions: ${field} must be ${want}`);
  const given = (v: unknown) => v !== undefined && v !== null;
  const opts: DeleteOptions = {};
  if (given(b.gracePeriodSeconds)) {
    if (typeof b.gracePeriodSeconds !== 'number' || !Number.isSafeInteger(b.gracePeriodSeconds)) throw wrong('gracePeriodSeconds', 'an integer');
    opts.gracePeriodSeconds = b.gracePeriodSeconds;
  }
  if (given(b.propagationPolicy)) {
    if (typeof b.propagationPolicy !== 'string') throw wrong('propagationPolicy', 'a string');
    opts.propagationPolicy = b.propagationPolicy as DeleteOptions['propagationPolicy'];
  }
  if (given(b.orphanDependents)) {
    if (typeof b.orphanDependents !== 'boolean') throw wrong('orphanDependents', 'a boolean');
    opts.orphanDependents = b.orphanDependents;
  }
  if (given(b.preconditions)) {
    const p = b.preconditions as { uid?: unknown; resourceVersion?: unknown };
    if (typeof p !== 'object' || Array.isArray(p)) throw wrong('preconditions', 'an object');
    if (given(p.uid) && typeof p.uid !== 'string') throw wrong('preconditions.uid', 'a string');
    if (given(p.resourceVersion) && typeof p.resourceVersion !== 'string') throw wrong('preconditions.resourceVersion', 'a string');
    opts.preconditions = { ...(given(p.uid) ? { uid: p.uid as string } : {}), ...(given(p.resourceVersion) ? { resourceVersion: p.resourceVersion as string } : {}) };
  }
  if (given(b.dryRun)) {
    if (!Array.isArray(b.dryRun) || !b.dryRun.every((d) => typeof d === 'string')) throw wrong('dryRun', 'a list of strings');
    opts.dryRun = b.dryRun as string[];
  }
  return opts;
}

function deleteOptionsOf(ctx: RequestContext): DeleteOptions {
  const q = ctx.req.query;
  let opts: DeleteOptions = {};
  if (ctx.req.body && ctx.req.body.length > 0) {
    opts = deleteOptionsFromBody(decodeObjectBody(ctx.req.headers['content-type'] || 'application/json', ctx.req.body));
  }
  if (q.gracePeriodSeconds !== undefined) opts.gracePeriodSeconds = parseIntegerParameter('gracePeriodSeconds', q.gracePeriodSeconds);
  if (q.propagationPolicy !== undefined) opts.propagationPolicy = q.propagationPolicy as DeleteOptions['propagationPolicy'];
  if (q.dryRun !== undefined) opts.dryRun = [q.dryRun];
  if (opts.gracePeriodSeconds !== undefined && (!Number.isInteger(opts.gracePeriodSeconds) || opts.gracePeriodSeconds < 0)) {
    throw ApiError.badRequest(`invalid gracePeriodSeconds: must be a non-negative integer`);
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds > MAX_GRACE_PERIOD_SECONDS) {
    throw ApiError.badRequest(`invalid gracePeriodSeconds: must be at most ${MAX_GRACE_PERIOD_SECONDS}`);
  }
  if (opts.propagationPolicy !== undefined && !['Foreground', 'Background', 'Orphan'].includes(opts.propagationPolicy)) {
    throw ApiError.invalid('DeleteOptions', 'meta.k8s.io', '', [
      { reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: "${String(opts.propagationPolicy)}": supported values: "Foreground", "Background", "Orphan"` },
    ]);
  }
  if (opts.dryRun && opts.dryRun.some((d) => d !== 'All')) throw ApiError.badRequest('unsupported dryRun value: only "All" is supported');
  return opts;
}

export async function deleteOne(ctx: RequestContext, name: string, optsIn?: DeleteOptions): Promise<Reply> {
  const t = ctx.type;
  const opts = optsIn ?? deleteOptionsOf(ctx);
  const dryRun = (opts.dryRun ?? []).includes('All');
  for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
    const current = await getObject(ctx, name);
    const obj = structuredClone(current.object);
    const m = obj.metadata;
    if (opts.preconditions?.uid !== undefined && opts.preconditions.uid !== m.uid) {
      throw ApiError.conflict(resourceName(t), name, `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${String(m.uid)}`);
    }
    if (opts.preconditions?.resourceVersion !== undefined && opts.preconditions.resourceVersion !== m.resourceVersion) {
      throw ApiError.conflict(resourceName(t), name, `Precondition failed: ResourceVersion in precondition: ${opts.preconditions.resourceVersion}, ResourceVersion in object meta: ${String(m.resourceVersion)}`);
    }
    const propagation = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : 'Background');
    const finalizers = new Set(m.finalizers ?? []);
    if (!m.deletionTimestamp) {
      if (propagation === 'Foreground') finalizers.add('foregroundDeletion');
      if (propagation === 'Orphan') finalizers.add('orphan');
    }
    let grace = opts.gracePeriodSeconds ?? t.strategy.gracePeriodSeconds?.(obj) ?? 0;
    const now = ctx.services.clock.now();
    const nsFinalizing = t.kind === 'Namespace' && namespaceFinalizers(obj).length > 0;
    if (m.deletionTimestamp && grace >= (m.deletionGracePeriodSeconds ?? 0) && (finalizers.size > 0 || nsFinalizing || (m.deletionGracePeriodSeconds ?? 0) > 0)) {
      // Already being deleted, and this request does not shorten the grace period.
      return { status: 200, body: withTypeMeta(t, current.object) };
    }
    if (m.deletionTimestamp && grace > (m.deletionGracePeriodSeconds ?? 0)) grace = m.deletionGracePeriodSeconds ?? 0;
    const graceful = grace > 0 || finalizers.size > 0 || nsFinalizing;
    if (dryRun) return { status: 200, body: withTypeMeta(t, obj) };
    if (graceful) {
      m.deletionTimestamp = timestamp(now + grace * 1000);
      m.deletionGracePeriodSeconds = grace;
      if (finalizers.size > 0) m.finalizers = [...finalizers];
      if (t.kind === 'Namespace') obj.status = { ...(obj.status as object | undefined), phase: 'Terminating' };
      const r = await ctx.services.objects.update(t, obj, current.modRevision);
      if (!r.ok) continue;
      ctx.written.push(r.revision);
      return { status: 200, body: withTypeMeta(t, r.object) };
    }
    const r = await ctx.services.objects.delete(t, obj, current.modRevision);
    if (!r.ok) continue;
    ctx.written.push(r.revision);
    if (t.kind === 'Pod') return { status: 200, body: withTypeMeta(t, r.object) };
    return { status: 200, body: successStatus({ name, group: t.group, kind: t.plural, uid: m.uid ?? '' }) satisfies Status };
  }
  throw ApiError.conflict(resourceName(t), name, 'too many concurrent updates; please try again');
}

export async function deleteCollection(ctx: RequestContext): Promise<Reply> {
  const opts = deleteOptionsOf(ctx);
  const { items, resourceVersion } = await list(ctx);
  const deleted: KubeObject[] = [];
  for (const o of items) {
    try {
      const r = await deleteOne(ctx, o.metadata.name ?? '', opts);
      if (r.body && (r.body as KubeObject).metadata) deleted.push(r.body as KubeObject);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
  }
  return { status: 200, body: { apiVersion: apiVersionOf(ctx.type), kind: `${ctx.type.kind}List`, metadata: { resourceVersion }, items: deleted } };
}
