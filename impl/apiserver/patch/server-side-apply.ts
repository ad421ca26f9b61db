// Server-side apply (`application/apply-patch+yaml`), coarse but honest: the applied
// configuration merges into the live object like a strategic merge patch (same merge
// keys), each manager's fields are recorded in metadata.managedFields, a field another
// manager owns with a different value is a conflict unless forced, and fields a manager
// applied before but no longer applies are removed when nobody else owns them.
// Also recordUpdate, which keeps managedFields for the other write verbs, so an apply can
// conflict with what `kubectl create` or a client-side `kubectl apply` set.
//
// Where it is coarse, compared with upstream's structured-merge-diff:
// - list identity comes from the strategic-merge-patch merge keys (one key per list;
//   upstream keys container ports by containerPort and protocol), and lists without one
//   are atomic; sets are the merging lists of primitives;
// - a field is "changed" by comparing JSON values, without defaulting or type conversion;
// - null in the applied configuration is treated as not setting the field;
// - an object with no managedFields has no owners, so nothing on it can conflict (upstream
//   attributes such fields to a "before-first-apply" manager);
// - managedFields sent in the request are ignored, and entries are not merged across
//   apiVersions; status is owned like any other field (the caller's strategy decides
//   whether the main resource may change it).

import { asJson, cloneJson, getOwn, isJsonObject, jsonEqual, jsonTypeName, setOwn, type JsonObject, type JsonValue } from './json.js';
import { FieldSet, fieldSetOf, formatFieldPath, matchesKey, step, valueAt, type FieldPath } from './field-set.js';
import { PatchError } from './patch-error.js';
import type { PatchSchema } from './patch-schema.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

/** One entry of metadata.managedFields. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: JsonObject;
  subresource?: string;
}

export interface ApplyOptions {
  /** The `fieldManager` query parameter ("kubectl" for `kubectl apply --server-side`). */
  readonly fieldManager: string;
  /** The `force` query parameter: take over conflicting fields instead of failing. */
  readonly force: boolean;
  readonly schema: PatchSchema;
  /** RFC 3339 time for the manager's entry, from the server's clock; omitted if absent. */
  readonly time?: string;
}

/** A field another manager owns with a different value. */
export interface FieldConflict {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly apiVersion?: string;
  readonly subresource?: string;
  /** Upstream's printed path: ".spec.replicas". */
  readonly field: string;
}

export type ApplyResult =
  | { readonly ok: true; readonly object: JsonObject }
  | {
      readonly ok: false;
      readonly conflicts: readonly FieldConflict[];
      /** The Status message: `Apply failed with 1 conflict: conflict with "x" using apps/v1: .spec.replicas`. */
      readonly message: string;
    };

/** A manager's entry with its fields as a set; the entry's fieldsV1 is written from `fields`. */
interface Manager {
  readonly entry: ManagedFieldsEntry;
  readonly fields: FieldSet;
}

/**
 * Applies `applied` (the decoded apply-patch body, YAML or JSON) for `fieldManager`.
 * With no live object the applied configuration is the new object. Throws PatchError for
 * a body that is not an object or carries strategic-merge-patch directives.
 */
export function applyServerSide(live: JsonObject | undefined, applied: unknown, options: ApplyOptions): ApplyResult {
  if (options.fieldManager === '') throw PatchError.badRequest('fieldManager is required for apply requests');
  const config = applyConfiguration(applied);
  const apiVersion = typeof config['apiVersion'] === 'string' ? config['apiVersion'] : undefined;
  const appliedFields = fieldSetOf(config, options.schema);
  const entry = (fields: FieldSet): Manager => ({
    entry: {
      manager: options.fieldManager,
      operation: 'Apply',
      ...(apiVersion !== undefined ? { apiVersion } : {}),
      ...(options.time !== undefined ? { time: options.time } : {}),
    },
    fields,
  });

  if (live === undefined) return { ok: true, object: withManagedFields(config, [entry(appliedFields)]) };

  const managers = readManagedFields(live);
  const mine = managers.findIndex((m) => m.entry.manager === options.fieldManager && m.entry.operation === 'Apply' && !m.entry.subresource);
  const previous = mine >= 0 ? managers[mine]!.fields : new FieldSet();

  const conflicts: FieldConflict[] = [];
  const others = managers.map((m, i) => {
    if (i === mine) return m;
    const lost = m.fields
      .intersection(appliedFields)
      .paths()
      .filter((path) => valueChanges(live, config, path));
    for (const path of lost) {
      conflicts.push({
        manager: m.entry.manager,
        operation: m.entry.operation,
        ...(m.entry.apiVersion !== undefined ? { apiVersion: m.entry.apiVersion } : {}),
        ...(m.entry.subresource !== undefined ? { subresource: m.entry.subresource } : {}),
        field: formatFieldPath(path),
      });
    }
    // Forced: the applier takes the conflicting fields; fields applied with the same value stay shared.
    return lost.length === 0 ? m : { entry: m.entry, fields: m.fields.difference(new FieldSet(lost)) };
  });
  if (conflicts.length > 0 && !options.force) return { ok: false, conflicts, message: conflictMessage(conflicts) };

  const merged = applyStrategicMergePatch(withoutManagedFields(live), config, options.schema);
  const ownedByOthers = others.filter((_, i) => i !== mine).reduce((acc, m) => acc.union(m.fields), new FieldSet());
  const keep = (path: FieldPath): boolean => appliedFields.has(path) || ownedByOthers.has(path);
  for (const path of previous.difference(appliedFields).paths()) {
    if (!ownedByOthers.hasAtOrBelow(path)) removePath(merged, path, keep);
  }

  const next: Manager[] = [];
  others.forEach((m, i) => {
    if (i === mine) next.push(entry(appliedFields));
    else if (m.fields.size > 0) next.push(m);
  });
  if (mine < 0) next.push(entry(appliedFields));
  return { ok: true, object: withManagedFields(merged, next) };
}

export interface UpdateOptions {
  /** The `fieldManager` query parameter, or the server's default for the client. */
  readonly fieldManager: string;
  readonly schema: PatchSchema;
  /** The request's apiVersion (the group version of the URL); defaults to the object's. */
  readonly apiVersion?: string;
  readonly subresource?: string;
  readonly time?: string;
}

/**
 * Records a create, update or non-apply patch in managedFields: `fieldManager` (operation
 * Update) takes every field whose value it set or changed, other managers lose those, and
 * fields that disappeared belong to nobody. Returns `updated` with the new managedFields.
 */
export function recordUpdate(old: JsonObject | undefined, updated: JsonObject, options: UpdateOptions): JsonObject {
  const before = old === undefined ? new FieldSet() : fieldSetOf(old, options.schema);
  const after = fieldSetOf(updated, options.schema);
  const changed = new FieldSet(after.paths().filter((p) => old === undefined || !before.has(p) || valueChanges(old, updated, p)));
  const removed = before.difference(after);
  const managers = old === undefined ? [] : readManagedFields(old);
  const isMine = (m: Manager): boolean =>
    m.entry.manager === options.fieldManager && m.entry.operation === 'Update' && (m.entry.subresource ?? '') === (options.subresource ?? '');
  const apiVersion = options.apiVersion ?? (typeof updated['apiVersion'] === 'string' ? updated['apiVersion'] : undefined);

  const next: Manager[] = [];
  let found = false;
  for (const m of managers) {
    if (isMine(m)) {
      found = true;
      const fields = m.fields.union(changed).difference(removed);
      if (fields.size > 0) next.push(changed.size > 0 ? updateEntry(fields) : { entry: m.entry, fields });
    } else {
      const fields = m.fields.difference(changed).difference(removed);
      if (fields.size > 0) next.push(fields.size === m.fields.size ? m : { entry: m.entry, fields });
    }
  }
  if (!found && changed.size > 0) next.push(updateEntry(changed));
  return withManagedFields(withoutManagedFields(updated), next);

  function updateEntry(fields: FieldSet): Manager {
    return {
      entry: {
        manager: options.fieldManager,
        operation: 'Update',
        ...(apiVersion !== undefined ? { apiVersion } : {}),
        ...(options.time !== undefined ? { time: options.time } : {}),
        ...(options.subresource ? { subresource: options.subresource } : {}),
      },
      fields,
    };
  }
}

/** The StatusCauses of a 409 for an apply conflict, as upstream words them. */
export function conflictCauses(conflicts: readonly FieldConflict[]): { reason: 'FieldManagerConflict'; message: string; field: string }[] {
  return conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c)}`, field: c.field }));
}

/** The Status message of a 409 for an apply conflict, as upstream words it. */
export function conflictMessage(conflicts: readonly FieldConflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${printManager(c)}: ${c.field}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const key = printManager(c);
    byManager.set(key, [...(byManager.get(key) ?? []), c.field]);
  }
  const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((f) => `- ${f}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

function printManager(c: FieldConflict): string {
  let s = JSON.stringify(c.manager);
  if (c.subresource) s += ` with subresource ${JSON.stringify(c.subresource)}`;
  // Upstream names the apiVersion of Update managers only; appliers are the same manager in every version.
  if (c.operation === 'Update' && c.apiVersion !== undefined) s += ` using ${c.apiVersion}`;
  return s;
}

/** Whether the applied configuration sets the field at `path` to something other than it is. */
function valueChanges(live: JsonObject, config: JsonObject, path: FieldPath): boolean {
  const last = path[path.length - 1] ?? '';
  // A keyed element or set value is an identity: both sides naming it agree.
  if (last.startsWith('k:') || last.startsWith('v:')) return false;
  const current = valueAt(live, path);
  if (current === undefined) return false;
  return !jsonEqual(current, valueAt(config, path));
}

/**
 * The applied configuration as a plain object: no directives (they are strategic merge
 * patch syntax, not fields), no nulls, no managedFields.
 */
function applyConfiguration(applied: unknown): JsonObject {
  const v = asJson(applied, 'the apply configuration');
  if (!isJsonObject(v)) {
    throw PatchError.badRequest(`an apply configuration must be an object, not ${jsonTypeName(v) === 'array' ? 'an array' : `a ${jsonTypeName(v)}`}`);
  }
  const clean = (x: JsonValue, path: string): JsonValue => {
    if (Array.isArray(x)) return x.map((e, i) => clean(e, `${path}[${i}]`));
    if (!isJsonObject(x)) return x;
    const out: JsonObject = {};
    for (const [k, e] of Object.entries(x)) {
      if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/') || k.startsWith('$deleteFromPrimitiveList/')) {
        throw PatchError.badRequest(`an apply configuration cannot hold the strategic merge patch directive ${k} (at ${path || '.'})`);
      }
      if (e !== null) setOwn(out, k, clean(e, `${path}.${k}`));
    }
    return out;
  };
  return withoutManagedFields(clean(v, '') as JsonObject);
}

function readManagedFields(obj: JsonObject): Manager[] {
  const metadata = getOwn(obj, 'metadata');
  const list = isJsonObject(metadata) ? getOwn(metadata, 'managedFields') : undefined;
  if (!Array.isArray(list)) return [];
  const out: Manager[] = [];
  for (const raw of list) {
    if (!isJsonObject(raw)) continue;
    const manager = getOwn(raw, 'manager');
    const operation = getOwn(raw, 'operation');
    if (typeof manager !== 'string' || (operation !== 'Apply' && operation !== 'Update')) continue;
    const text = (k: string): string | undefined => {
      const v = getOwn(raw, k);
      return typeof v === 'string' && v !== '' ? v : undefined;
    };
    const [apiVersion, time, subresource] = [text('apiVersion'), text('time'), text('subresource')];
    const entry: ManagedFieldsEntry = {
      manager,
      operation,
      ...(apiVersion !== undefined ? { apiVersion } : {}),
      ...(time !== undefined ? { time } : {}),
      ...(subresource !== undefined ? { subresource } : {}),
    };
    out.push({ entry, fields: FieldSet.fromFieldsV1(getOwn(raw, 'fieldsV1')) });
  }
  return out;
}

function withoutManagedFields(obj: JsonObject): JsonObject {
  const out = cloneJson(obj);
  const metadata = getOwn(out, 'metadata');
  if (isJsonObject(metadata)) delete metadata['managedFields'];
  return out;
}

function withManagedFields(obj: JsonObject, managers: readonly Manager[]): JsonObject {
  const out = cloneJson(obj);
  const current = getOwn(out, 'metadata');
  const metadata = isJsonObject(current) ? current : {};
  if (managers.length === 0) delete metadata['managedFields'];
  else metadata['managedFields'] = managers.map((m) => cloneJson({ ...m.entry, fieldsType: 'FieldsV1', fieldsV1: m.fields.toFieldsV1() } as unknown as JsonObject));
  setOwn(out, 'metadata', metadata);
  return out;
}

/**
 * Removes the field at `path` from `obj` (in place), then maps and lists it leaves empty,
 * as a typed object's omitempty would, unless `keep` says someone owns them.
 */
function removePath(obj: JsonObject, path: FieldPath, keep: (p: FieldPath) => boolean): void {
  for (let depth = path.length; depth > 0; depth--) {
    const at = path.slice(0, depth);
    if (depth < path.length) {
      const v = valueAt(obj, at);
      const empty = (isJsonObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
      if (!empty || keep(at) || at[at.length - 1]!.startsWith('k:')) return;
    }
    const parent = depth === 1 ? obj : valueAt(obj, path.slice(0, depth - 1));
    const pe = at[at.length - 1]!;
    if (pe.startsWith('f:')) {
      if (isJsonObject(parent)) delete parent[pe.slice(2)];
    } else if (Array.isArray(parent)) {
      const target = step(parent, pe);
      const i = pe.startsWith('k:') ? parent.findIndex((e) => matchesKey(e, pe.slice(2))) : parent.findIndex((e) => e === target);
      if (i >= 0) parent.splice(i, 1);
    }
  }
}
