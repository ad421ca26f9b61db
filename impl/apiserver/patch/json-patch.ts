// JSON patch (RFC 6902, `application/json-patch+json`): a list of add, remove, replace,
// move, copy and test operations on JSON pointers. The patch is atomic: it applies to a
// private copy, so a failing operation leaves nothing half-done, and its error names the
// operation's index and why it did not apply.

import { asJson, cloneJson, getOwn, hasOwn, isJsonObject, jsonEqual, jsonTypeName, setOwn, type JsonObject, type JsonValue } from './json.js';
import { arrayIndex, formatPointer, parsePointer, PointerSyntaxError } from './json-pointer.js';
import { PatchError } from './patch-error.js';

export type JsonPatchOperation =
  | { op: 'add'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: JsonValue }
  | { op: 'move'; from: string; path: string }
  | { op: 'copy'; from: string; path: string }
  | { op: 'test'; path: string; value: JsonValue };

const OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
type OpName = (typeof OPS)[number];

/**
 * Applies a JSON patch to `doc` and returns the new document; `doc` is not modified.
 * A patch that is not an array is 400; an operation that is malformed or does not apply
 * is 422 (as upstream answers both), with `opIndex` set.
 */
export function applyJsonPatch(doc: JsonValue, patch: unknown): JsonValue {
  const ops = parseJsonPatch(patch);
  let root = cloneJson(doc);
  ops.forEach((op, index) => {
    try {
      root = applyOperation(root, op);
    } catch (e) {
      if (e instanceof OpFailure) {
        throw PatchError.invalid(`jsonpatch ${op.op} operation at index ${index} ${e.message}`, index);
      }
      throw e;
    }
  });
  return root;
}

/** Checks a decoded body is a JSON patch and returns its operations, typed. */
export function parseJsonPatch(patch: unknown): JsonPatchOperation[] {
  const p = asJson(patch, 'the JSON patch');
  if (!Array.isArray(p)) {
    throw PatchError.badRequest(`a JSON patch must be a JSON array of operations, not ${jsonTypeName(p) === 'object' ? 'an object' : `a ${jsonTypeName(p)}`}`);
  }
  return p.map((raw, index) => parseOperation(raw, index));
}

function parseOperation(raw: JsonValue, index: number): JsonPatchOperation {
  const fail = (what: string): never => {
    throw PatchError.invalid(`jsonpatch operation at index ${index} ${what}`, index);
  };
  if (!isJsonObject(raw)) return fail(`is ${jsonTypeName(raw)}, not an object`);
  const op = getOwn(raw, 'op');
  if (op === undefined) return fail('has no "op" member');
  if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
    return fail(`has unknown op ${JSON.stringify(op)} (want one of ${OPS.join(', ')})`);
  }
  const name = op as OpName;
  const pointer = (member: 'path' | 'from'): string => {
    const v = getOwn(raw, member);
    if (typeof v !== 'string') return fail(`(${name}) has ${v === undefined ? 'no' : 'a non-string'} "${member}" member`);
    try {
      parsePointer(v);
    } catch (e) {
      if (e instanceof PointerSyntaxError) return fail(`(${name}) has a bad "${member}": ${e.message}`);
      throw e;
    }
    return v;
  };
  const value = (): JsonValue => {
    // `"value": null` is a value; only a missing member is an error.
    if (!hasOwn(raw, 'value')) return fail(`(${name}) has no "value" member`);
    return raw['value']!;
  };
  switch (name) {
    case 'add':
    case 'replace':
    case 'test':
      return { op: name, path: pointer('path'), value: value() };
    case 'remove':
      return { op: name, path: pointer('path') };
    case 'move':
    case 'copy':
      return { op: name, from: pointer('from'), path: pointer('path') };
  }
}

/** Why one operation did not apply; worded to follow "jsonpatch <op> operation at index N". */
class OpFailure extends Error {}

function applyOperation(root: JsonValue, op: JsonPatchOperation): JsonValue {
  const path = parsePointer(op.path);
  switch (op.op) {
    case 'add':
      return add(root, path, cloneJson(op.value));
    case 'remove':
      remove(root, path);
      return root;
    case 'replace':
      return replace(root, path, cloneJson(op.value));
    case 'move': {
      const from = parsePointer(op.from);
      if (from.length < path.length && from.every((t, i) => t === path[i])) {
        throw new OpFailure(`does not apply: cannot move ${op.from} into its own child ${op.path}`);
      }
      const value = get(root, from, 'from');
      if (from.length === path.length && from.every((t, i) => t === path[i])) return root;
      remove(root, from);
      return add(root, path, value);
    }
    case 'copy':
      return add(root, path, cloneJson(get(root, parsePointer(op.from), 'from')));
    case 'test': {
      const actual = get(root, path, 'path');
      if (!jsonEqual(actual, op.value)) {
        throw new OpFailure(`failed: ${op.path} is ${JSON.stringify(actual)}, not ${JSON.stringify(op.value)}`);
      }
      return root;
    }
  }
}

type Container = JsonObject | JsonValue[];

/** The value at `tokens`, which must exist. */
function get(root: JsonValue, tokens: string[], member: 'path' | 'from'): JsonValue {
  if (tokens.length === 0) return root;
  const parent = container(root, tokens);
  const last = tokens[tokens.length - 1]!;
  const missing = `does not apply: doc is missing ${member === 'from' ? 'from path' : 'key'}: ${formatPointer(tokens)}`;
  if (Array.isArray(parent)) {
    const i = existingIndex(parent, last, tokens);
    return parent[i]!;
  }
  if (!hasOwn(parent, last)) throw new OpFailure(missing);
  return parent[last]!;
}

/** The object or array holding the location `tokens` points at; every step must exist. */
function container(root: JsonValue, tokens: string[]): Container {
  let cur: JsonValue = root;
  for (let depth = 0; depth < tokens.length - 1; depth++) {
    const token = tokens[depth]!;
    let next: JsonValue | undefined;
    if (Array.isArray(cur)) {
      const i = arrayIndex(token);
      next = i !== undefined && i < cur.length ? cur[i] : undefined;
    } else if (isJsonObject(cur)) {
      next = getOwn(cur, token);
    }
    if (next === undefined) {
      throw new OpFailure(`does not apply: doc is missing path: ${formatPointer(tokens.slice(0, depth + 1))}`);
    }
    cur = next;
  }
  if (!Array.isArray(cur) && !isJsonObject(cur)) {
    throw new OpFailure(
      `does not apply: ${formatPointer(tokens.slice(0, -1)) || 'the document'} is ${jsonTypeName(cur)}, not an object or array`,
    );
  }
  return cur;
}

function existingIndex(arr: JsonValue[], token: string, tokens: string[]): number {
  const i = arrayIndex(token);
  if (i === undefined) throw new OpFailure(`does not apply: ${JSON.stringify(token)} is not an array index at ${formatPointer(tokens)}`);
  if (i >= arr.length) {
    throw new OpFailure(`does not apply: index ${i} is out of bounds for an array of length ${arr.length} at ${formatPointer(tokens)}`);
  }
  return i;
}

function add(root: JsonValue, tokens: string[], value: JsonValue): JsonValue {
  if (tokens.length === 0) return value;
  const parent = container(root, tokens);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    if (last === '-') {
      parent.push(value);
      return root;
    }
    const i = arrayIndex(last);
    if (i === undefined) throw new OpFailure(`does not apply: ${JSON.stringify(last)} is not an array index at ${formatPointer(tokens)}`);
    if (i > parent.length) {
      throw new OpFailure(`does not apply: index ${i} is out of bounds for an array of length ${parent.length} at ${formatPointer(tokens)}`);
    }
    parent.splice(i, 0, value);
    return root;
  }
  setOwn(parent, last, value);
  return root;
}

function remove(root: JsonValue, tokens: string[]): void {
  if (tokens.length === 0) throw new OpFailure('does not apply: cannot remove the whole document');
  const parent = container(root, tokens);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    parent.splice(existingIndex(parent, last, tokens), 1);
    return;
  }
  if (!hasOwn(parent, last)) throw new OpFailure(`does not apply: doc is missing key: ${formatPointer(tokens)}`);
  delete parent[last];
}

function replace(root: JsonValue, tokens: string[], value: JsonValue): JsonValue {
  if (tokens.length === 0) return value;
  const parent = container(root, tokens);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    parent[existingIndex(parent, last, tokens)] = value;
    return root;
  }
  if (!hasOwn(parent, last)) throw new OpFailure(`does not apply: doc is missing key: ${formatPointer(tokens)}`);
  setOwn(parent, last, value);
  return root;
}
