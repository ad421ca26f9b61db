// JSON merge patch (RFC 7386, `application/merge-patch+json`): what `kubectl label`,
// `kubectl annotate` and `kubectl scale` send. Objects merge member by member, null deletes
// a member, anything else (arrays included) replaces. Also its inverse, createMergePatch.

import { asJson, cloneJson, getOwn, hasOwn, isJsonObject, jsonEqual, jsonTypeName, setOwn, type JsonObject, type JsonValue } from './json.js';
import { PatchError } from './patch-error.js';

/**
 * Applies a merge patch to `target` and returns the result; `target` is not modified.
 * The API server only takes object patches (a bare value or array would replace the whole
 * object), so anything else is a 400.
 */
export function applyMergePatch(target: JsonValue | undefined, patch: unknown): JsonValue {
  const p = asJson(patch, 'the merge patch');
  if (!isJsonObject(p)) {
    throw PatchError.badRequest(`a merge patch must be a JSON object, not ${article(jsonTypeName(p))}`);
  }
  // The result shares nothing with the inputs, so the server may go on to edit it.
  return mergeValue(target === undefined ? undefined : cloneJson(target), p);
}

// RFC 7386 section 2, MergePatch(Target, Patch). `target` is a private copy, edited in place.
function mergeValue(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = isJsonObject(target) ? target : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key]!;
    if (value === null) {
      delete out[key];
    } else {
      setOwn(out, key, mergeValue(getOwn(out, key), value));
    }
  }
  return out;
}

/**
 * The merge patch that turns `from` into `to`: applyMergePatch(from, createMergePatch(from, to))
 * equals `to`. A merge patch cannot set a member to null (null means delete), so a null
 * member of `to` that is not inside an array has no patch and is a PatchError.
 */
export function createMergePatch(from: JsonObject, to: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) {
    if (!hasOwn(to, key)) setOwn(patch, key, null);
  }
  for (const key of Object.keys(to)) {
    const a = getOwn(from, key);
    const b = to[key]!;
    if (isJsonObject(a) && isJsonObject(b)) {
      const sub = createMergePatch(a, b);
      if (Object.keys(sub).length > 0) setOwn(patch, key, sub);
    } else if (a === undefined || !jsonEqual(a, b)) {
      assertNoNullMembers(b, key);
      setOwn(patch, key, cloneJson(b));
    }
  }
  return patch;
}

function assertNoNullMembers(v: JsonValue, path: string): void {
  if (v === null) throw PatchError.invalid(`a merge patch cannot set ${path} to null`);
  if (isJsonObject(v)) for (const k of Object.keys(v)) assertNoNullMembers(v[k]!, `${path}.${k}`);
}

function article(typeName: string): string {
  return /^[aeiou]/.test(typeName) ? `an ${typeName}` : `a ${typeName}`;
}
