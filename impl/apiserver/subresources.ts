// Subresources: status (get/update/patch of status only), scale (autoscaling/v1 Scale over
// spec.replicas), binding (the scheduler's POST that sets a pod's nodeName once), log
// (container output, fetched from the pod's kubelet) and finalize (a namespace's spec.finalizers).

import type { ResponseStream } from '../env/http.js';
import { decodeObjectBody, decodePatchBody } from './decode-body.js';
import { applyPatchToValue } from './patching.js';
import type { KubeObject } from './resource-type.js';
import { timestamp, type RequestContext } from './request-context.js';
import { getObject, patch, resourceName, update, updateFrom, withTypeMeta, parseResourceVersion, type Reply } from './rest.js';
import type { PodLogSource } from './server.js';
import { ApiError } from './status.js';

type SubresourceReply = Reply | { stream: ResponseStream } | { raw: { status: number; headers: Record<string, string>; body: string } };

export async function serveSubresource(ctx: RequestContext, subresource: string, logs: PodLogSource | undefined): Promise<SubresourceReply> {
  const { info, type } = ctx;
  const name = info.name;
  if (name === undefined || !(type.subresources as readonly string[]).includes(subresource)) throw ApiError.pathNotFound(ctx.req.path);
  switch (subresource) {
    case 'status':
      if (info.verb === 'get') return { status: 200, body: withTypeMeta(type, (await getObject(ctx, name)).object) };
      if (info.verb === 'update') return update(ctx, name, 'status');
      if (info.verb === 'patch') return patch(ctx, name, 'status');
      throw ApiError.methodNotAllowed();
    case 'scale':
      return scale(ctx, name);
    case 'binding':
      if (info.verb !== 'create') throw ApiError.methodNotAllowed();
      return bind(ctx, name);
    case 'log':
      if (info.verb !== 'get') throw ApiError.methodNotAllowed();
      return podLog(ctx, name, logs);
    case 'finalize':
      if (info.verb !== 'update') throw ApiError.methodNotAllowed();
      return finalizeNamespace(ctx, name);
  }
  throw ApiError.pathNotFound(ctx.req.path);
}

// ---- scale ----

interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string };
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function selectorString(obj: KubeObject): string | undefined {
  const sel = (obj.spec as { selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } } | undefined)?.selector;
  if (!sel) return undefined;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

function scaleOf(obj: KubeObject): Scale {
  const m = obj.metadata;
  const selector = selectorString(obj);
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      ...(m.name !== undefined ? { name: m.name } : {}),
      ...(m.namespace !== undefined ? { namespace: m.namespace } : {}),
      ...(m.uid !== undefined ? { uid: m.uid } : {}),
      ...(m.resourceVersion !== undefined ? { resourceVersion: m.resourceVersion } : {}),
      ...(m.creationTimestamp !== undefined ? { creationTimestamp: m.creationTimestamp } : {}),
    },
    spec: { replicas: (obj.spec as { replicas?: number } | undefined)?.replicas ?? 0 },
    status: { replicas: (obj.status as { replicas?: number } | undefined)?.replicas ?? 0, ...(selector !== undefined ? { selector } : {}) },
  };
}

async function scale(ctx: RequestContext, name: string): Promise<Reply> {
  const verb = ctx.info.verb;
  if (verb === 'get') return { status: 200, body: scaleOf((await getObject(ctx, name)).object) };
  if (verb !== 'update' && verb !== 'patch') throw ApiError.methodNotAllowed();
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await getObject(ctx, name);
    const before = scaleOf(current.object);
    let wanted: Scale;
    if (verb === 'update') {
      const body = decodeObjectBody(ctx.req.headers['content-type'], ctx.req.body) as unknown as Scale;
      if (body.kind !== 'Scale') throw ApiError.badRequest(`expected a Scale object, got kind "${String(body.kind)}"`);
      wanted = body;
    } else {
      const { type, patch: p } = decodePatchBody(ctx.req.headers['content-type'], ctx.req.body);
      wanted = applyPatchToValue(type, before, p, 'Scale') as unknown as Scale;
    }
    const replicas = wanted.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw ApiError.invalid('Scale', 'autoscaling', name, [
        { reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
      ]);
    }
    const precondition = parseResourceVersion(wanted.metadata?.resourceVersion);
    const next = structuredClone(current.object);
    (next.spec as { replicas?: number }).replicas = replicas;
    const r = await updateFrom(ctx, current, next, { ...(precondition !== undefined ? { precondition } : {}), dryRun: ctx.req.query.dryRun === 'All' });
    if (r === 'conflict') continue;
    return { status: 200, body: scaleOf(r.body as KubeObject) };
  }
  throw ApiError.conflict(resourceName(ctx.type), name, 'too many concurrent updates; please try again');
}

// ---- binding ----

interface Binding {
  kind?: string;
  metadata?: { name?: string };
  target?: { kind?: string; name?: string };
}

async function bind(ctx: RequestContext, name: string): Promise<Reply> {
  const body = decodeObjectBody(ctx.req.headers['content-type'], ctx.req.body) as Binding;
  if (body.kind !== 'Binding') throw ApiError.badRequest(`expected a Binding object, got kind "${String(body.kind)}"`);
  const node = body.target?.name;
  if (!node) {
    throw ApiError.invalid('Binding', '', name, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
  }
  if (body.metadata?.name !== undefined && body.metadata.name !== name) {
    throw ApiError.badRequest(`the name of the binding (${body.metadata.name}) does not match the pod name on the URL (${name})`);
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await getObject(ctx, name);
    const pod = structuredClone(current.object);
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    if (pod.metadata.deletionTimestamp) throw ApiError.conflict(resourceName(ctx.type), name, 'pod is being deleted, cannot be assigned to a host');
    if (spec.nodeName) throw ApiError.conflict(resourceName(ctx.type), name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    spec.nodeName = node;
    pod.spec = spec;
    const status = (pod.status ?? {}) as { conditions?: { type: string; status: string; lastTransitionTime?: string; lastProbeTime?: null }[] };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(ctx.services.clock.now()) });
    pod.status = { ...status, conditions };
    const objects = ctx.services.objects;
    const r = await objects.update(ctx.type, pod, current.modRevision);
    if (!r.ok) continue;
    ctx.written.push(r.revision);
    return { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
  }
  throw ApiError.conflict(resourceName(ctx.type), name, 'too many concurrent updates; please try again');
}

// ---- finalize ----

/**
 * PUT namespaces/{name}/finalize: replaces spec.finalizers and nothing else, as upstream's
 * namespace finalize strategy. The namespace controller removes "kubernetes" here once the
 * namespace is empty; a terminating namespace left without finalizers is deleted.
 */
async function finalizeNamespace(ctx: RequestContext, name: string): Promise<Reply> {
  const body = decodeObjectBody(ctx.req.headers['content-type'], ctx.req.body) as Partial<KubeObject>;
  if (body.kind !== undefined && body.kind !== ctx.type.kind) throw ApiError.badRequest(`expected a ${ctx.type.kind} object, got kind "${String(body.kind)}"`);
  const precondition = parseResourceVersion(body.metadata?.resourceVersion);
  const finalizers = (body.spec as { finalizers?: unknown } | undefined)?.finalizers ?? [];
  if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) throw ApiError.badRequest('spec.finalizers must be a list of strings');
  const current = await getObject(ctx, name);
  const next = structuredClone(current.object);
  next.spec = { ...(next.spec as Record<string, unknown> | undefined), finalizers };
  const r = await updateFrom(ctx, current, next, { ...(precondition !== undefined ? { precondition } : {}), dryRun: ctx.req.query.dryRun === 'All' });
  if (r === 'conflict') throw ApiError.staleResourceVersion(resourceName(ctx.type), name);
  return r;
}

// ---- log ----

async function podLog(ctx: RequestContext, name: string, logs: PodLogSource | undefined): Promise<SubresourceReply> {
  const pod = (await getObject(ctx, name)).object;
  const spec = (pod.spec ?? {}) as { nodeName?: string; containers?: { name: string }[] };
  const q = ctx.req.query;
  const containers = (spec.containers ?? []).map((c) => c.name);
  const container = q.container || (containers.length === 1 ? containers[0] : undefined);
  if (!container) {
    throw ApiError.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
  }
  if (!containers.includes(container)) throw ApiError.badRequest(`container ${container} is not valid for pod ${name}`);
  if (!spec.nodeName) throw ApiError.badRequest(`container "${container}" in pod "${name}" is waiting to start: pod is not scheduled`);
  if (!logs) throw ApiError.unavailable('no kubelet connection is configured on this API server');
  const tail = q.tailLines !== undefined ? Number(q.tailLines) : undefined;
  const out = await logs.logs(spec.nodeName, pod.metadata.namespace ?? '', name, container, {
    follow: q.follow === 'true',
    ...(tail !== undefined && Number.isInteger(tail) && tail >= 0 ? { tailLines: tail } : {}),
    previous: q.previous === 'true',
  });
  if (typeof out === 'string') return { raw: { status: 200, headers: { 'content-type': 'text/plain' }, body: out } };
  return { stream: out };
}

/** Keeps the union of body shapes `update` accepts visible to callers. */
export type { Scale };
