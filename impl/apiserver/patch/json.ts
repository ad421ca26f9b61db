// JSON values as the patch algorithms see them, and the few operations on them every
// algorithm needs: validation of untrusted input, deep equality and own-key access that a
// "__proto__" member cannot turn into prototype pollution.

import { PatchError } from './patch-error.js';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The member `key` of `obj` if it is an own property (never something inherited). */
export function getOwn(obj: JsonObject, key: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function hasOwn(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Sets an own member; a key named "__proto__" becomes data, not the object's prototype. */
export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** A fresh copy sharing no objects or arrays with `v`. */
export function cloneJson<T extends JsonValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => cloneJson(x)) as T;
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) setOwn(out, k, cloneJson(v[k]!));
    return out as T;
  }
  return v;
}

/** JSON equality: member order does not matter, element order does. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const ak = Object.keys(a);
    if (ak.length !== Object.keys(b).length) return false;
    return ak.every((k) => hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Checks that an untrusted value (a decoded request body) is plain JSON and returns it
 * typed. Rejects what JSON cannot carry: undefined, functions, NaN/Infinity, class instances.
 */
export function asJson(v: unknown, what: string): JsonValue {
  const check = (x: unknown, path: string): void => {
    if (x === null || typeof x === 'string' || typeof x === 'boolean') return;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) throw PatchError.badRequest(`${what} is not valid JSON: non-finite number at ${path || '/'}`);
      return;
    }
    if (Array.isArray(x)) {
      x.forEach((e, i) => check(e, `${path}/${i}`));
      return;
    }
    if (typeof x === 'object') {
      const proto: unknown = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) throw PatchError.badRequest(`${what} is not valid JSON: a non-plain object at ${path || '/'}`);
      for (const [k, e] of Object.entries(x)) check(e, `${path}/${k}`);
      return;
    }
    throw PatchError.badRequest(`${what} is not valid JSON: a ${typeof x} at ${path || '/'}`);
  };
  check(v, '');
  return v as JsonValue;
}

/** Names a JSON value's type the way error messages do. */
export function jsonTypeName(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}
