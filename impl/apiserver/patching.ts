// Glue between PATCH requests and the patch algorithms: picks the algorithm by content
// type, the kind's strategic-merge table, and turns PatchErrors and apply conflicts into
// Status errors (400, 422, 409 with FieldManagerConflict causes).

import type { PatchType } from './decode-body.js';
import {
  applyJsonPatch,
  applyMergePatch,
  applyServerSide,
  applyStrategicMergePatch,
  conflictCauses,
  patchSchemaFor,
  PatchError,
  recordUpdate,
  type JsonObject,
  type JsonValue,
} from './patch/index.js';
import { apiVersionOf, type KubeObject } from './resource-type.js';
import { timestamp, type RequestContext } from './request-context.js';
import { ApiError } from './status.js';

function asApiError(e: unknown, kind: string, name: string): unknown {
  if (e instanceof PatchError) {
    if (e.code === 400) return ApiError.badRequest(e.message);
    return ApiError.invalid(kind, '', name, [{ reason: 'FieldValueInvalid', message: e.message }]);
  }
  return e;
}

/** Applies a patch of `type` to a plain JSON value of `kind` (the Scale subresource uses this). */
export function applyPatchToValue(type: PatchType, value: unknown, patch: unknown, kind: string): JsonValue {
  try {
    switch (type) {
      case 'application/json-patch+json':
        return applyJsonPatch(value as JsonValue, patch);
      case 'application/merge-patch+json':
        return applyMergePatch(value as JsonValue, patch);
      case 'application/strategic-merge-patch+json': {
        const schema = patchSchemaFor(kind);
        if (!schema) throw new ApiError(415, 'UnsupportedMediaType', `strategic merge patch is not supported for ${kind}`);
        return applyStrategicMergePatch(value as JsonObject, patch, schema);
      }
      case 'application/apply-patch+yaml':
        throw new ApiError(415, 'UnsupportedMediaType', `apply patches are not supported on this subresource`);
    }
  } catch (e) {
    throw asApiError(e, kind, '');
  }
}

/** The manager named by ?fieldManager=, else the client's user agent up to its first "/". */
export function fieldManagerOf(ctx: RequestContext): string {
  const m = ctx.req.query.fieldManager;
  if (m) return m;
  const ua = ctx.req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}

/** The patched object (still to be validated and stored); `current` undefined only for apply-create. */
export function applyPatch(ctx: RequestContext, type: PatchType, current: KubeObject | undefined, patch: unknown): KubeObject {
  const kind = ctx.type.kind;
  const name = current?.metadata.name ?? ctx.info.name ?? '';
  if (type === 'application/apply-patch+yaml') {
    const schema = patchSchemaFor(kind) ?? {};
    const force = ctx.req.query.force === 'true';
    const fieldManager = ctx.req.query.fieldManager;
    if (!fieldManager) throw ApiError.badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    let r;
    try {
      r = applyServerSide(current as unknown as JsonObject | undefined, patch, { fieldManager, force, schema, time: timestamp(ctx.services.clock.now()) });
    } catch (e) {
      throw asApiError(e, kind, name);
    }
    if (!r.ok) {
      throw new ApiError(409, 'Conflict', r.message, { name, group: ctx.type.group, kind: ctx.type.plural, causes: conflictCauses(r.conflicts) });
    }
    return r.object as unknown as KubeObject;
  }
  if (!current) throw ApiError.notFound({ group: ctx.type.group, resource: ctx.type.plural }, name);
  const out = applyPatchToValue(type, current, patch, kind);
  if (typeof out !== 'object' || out === null || Array.isArray(out)) throw ApiError.badRequest('the patch did not produce an object');
  const obj = out as unknown as KubeObject;
  if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) {
    throw ApiError.badRequest('the patch removed or replaced metadata');
  }
  return obj;
}

/** Records the request's field manager as owner of what it set (not for apply, which records itself). */
export function trackManagedFields(ctx: RequestContext, old: KubeObject | undefined, next: KubeObject, subresource?: string): KubeObject {
  if (ctx.req.headers['content-type']?.startsWith('application/apply-patch')) return next;
  const schema = patchSchemaFor(ctx.type.kind) ?? {};
  try {
    return recordUpdate(old as unknown as JsonObject | undefined, next as unknown as JsonObject, {
      fieldManager: fieldManagerOf(ctx),
      schema,
      apiVersion: apiVersionOf(ctx.type),
      ...(subresource ? { subresource } : {}),
      time: timestamp(ctx.services.clock.now()),
    }) as unknown as KubeObject;
  } catch (e) {
    throw asApiError(e, ctx.type.kind, next.metadata.name ?? '');
  }
}
