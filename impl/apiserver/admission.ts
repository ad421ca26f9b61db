// What every written object goes through, in upstream's order: decoding checks (unknown
// fields per fieldValidation, wrong JSON types → 400), pruning of unknown fields, defaulting,
// then validation (schema and the kind's own rules → 422 Invalid with field causes).

import { validateObject, strictDecodingError, unknownFields } from '../api/schema/index.js';
import { pruneUnknownFields } from './prune.js';
import type { KubeObject, ResourceType } from './resource-type.js';
import type { RequestContext } from './request-context.js';
import { ApiError, type StatusCause } from './status.js';

type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

function fieldValidationOf(ctx: RequestContext): FieldValidation {
  const v = ctx.req.query.fieldValidation;
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw ApiError.badRequest(`fieldValidation parameter unsupported: ${v}. Supported values: "Strict", "Warn", "Ignore"`);
}

/** Upstream's NodeRestriction: a node identity may create only its own Node and Lease. */
function restrictNodes(ctx: RequestContext, obj: KubeObject): void {
  const user = ctx.user;
  if (!user.groups.includes('system:nodes') || !user.name.startsWith('system:node:')) return;
  const node = user.name.slice('system:node:'.length);
  const t = ctx.type;
  if ((t.kind === 'Node' || t.kind === 'Lease') && obj.metadata.name !== node) {
    throw ApiError.forbiddenMessage({ group: t.group, resource: t.plural }, obj.metadata.name ?? '', `node "${node}" may only create or modify its own ${t.kind}`);
  }
}

export async function admit(ctx: RequestContext, obj: KubeObject, old: KubeObject | undefined): Promise<void> {
  const t = ctx.type;
  restrictNodes(ctx, obj);
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const mode = fieldValidationOf(ctx);
  const unknown = unknownFields(gvk, obj);
  if (unknown.length > 0) {
    if (mode === 'Strict') {
      throw ApiError.badRequest(`${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: ${strictDecodingError(unknown)}`);
    }
    if (mode === 'Warn') ctx.warnings.push(...unknown);
    pruneUnknownFields(gvk, obj);
  }
  const schemaCauses = validateObject(gvk, obj, { strict: false });
  const typeErrors = schemaCauses.filter((c) => c.reason === 'FieldValueTypeInvalid');
  if (typeErrors.length > 0) {
    const first = typeErrors[0]!;
    throw ApiError.badRequest(`${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: ${first.field}: ${first.message}`);
  }
  t.strategy.defaults(obj);
  const causes: StatusCause[] = [...schemaCauses.map((c) => ({ reason: c.reason, field: c.field, message: c.message })), ...t.strategy.validate(obj, old)];
  if (causes.length > 0) throw ApiError.invalid(t.kind, t.group, obj.metadata.name ?? obj.metadata.generateName ?? '', dedupe(causes));
}

/**
 * Wrong JSON types in a part of a body the server then ignores (a status sent to the main
 * resource, a spec sent to /status) are still a 400: upstream decodes the whole body first.
 */
export function rejectTypeErrors(t: ResourceType, obj: KubeObject): void {
  const first = validateObject({ group: t.group, version: t.version, kind: t.kind }, obj, { strict: false }).find((c) => c.reason === 'FieldValueTypeInvalid');
  if (first) throw ApiError.badRequest(`${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: ${first.field}: ${first.message}`);
}

function dedupe(causes: StatusCause[]): StatusCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => {
    const k = `${c.field ?? ''}\0${c.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
