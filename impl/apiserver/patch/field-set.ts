// Sets of field paths, the unit of ownership in server-side apply: built from an object
// under a PatchSchema, written to and read from metadata.managedFields[].fieldsV1, and
// printed as upstream prints them in conflicts (".spec.template.spec.containers[name="web"].image").

import { getOwn, isJsonObject, jsonEqual, setOwn, type JsonObject, type JsonValue } from './json.js';
import { childPath, elementPath, patchMetaAt, type PatchSchema } from './patch-schema.js';

/**
 * One step of a field path, in fieldsV1's own spelling: "f:<field>", "k:<json of the merge
 * key>" for an element of a keyed list, "v:<json value>" for an element of a set, "i:<n>".
 */
export type PathElement = string;
export type FieldPath = readonly PathElement[];

/** Fields that belong to no manager, as upstream strips them from every managed set. */
const UNOWNED: readonly FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'generation', 'managedFields', 'resourceVersion', 'clusterName'].map(
    (f) => ['f:metadata', `f:${f}`],
  ),
];

/** A set of member paths. Immutable: operations return new sets. */
export class FieldSet {
  private readonly members: ReadonlyMap<string, FieldPath>;

  constructor(paths: Iterable<FieldPath> = []) {
    const m = new Map<string, FieldPath>();
    for (const p of paths) m.set(JSON.stringify(p), p);
    this.members = m;
  }

  get size(): number {
    return this.members.size;
  }

  paths(): FieldPath[] {
    return [...this.members.values()];
  }

  has(path: FieldPath): boolean {
    return this.members.has(JSON.stringify(path));
  }

  /** Whether the set holds `path` or any path below it. */
  hasAtOrBelow(path: FieldPath): boolean {
    return this.paths().some((p) => p.length >= path.length && path.every((e, i) => p[i] === e));
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths(), ...other.paths()]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet(this.paths().filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet(this.paths().filter((p) => other.has(p)));
  }

  /** The set as metadata.managedFields[].fieldsV1. */
  toFieldsV1(): JsonObject {
    interface Node {
      member: boolean;
      children: Map<string, Node>;
    }
    const root: Node = { member: false, children: new Map() };
    for (const path of this.paths()) {
      let node = root;
      for (const pe of path) {
        let next = node.children.get(pe);
        if (!next) {
          next = { member: false, children: new Map() };
          node.children.set(pe, next);
        }
        node = next;
      }
      node.member = true;
    }
    const write = (node: Node): JsonObject => {
      const out: JsonObject = {};
      if (node.member && node.children.size > 0) out['.'] = {};
      for (const pe of [...node.children.keys()].sort()) setOwn(out, pe, write(node.children.get(pe)!));
      return out;
    };
    return write(root);
  }

  /** Reads fieldsV1; anything that is not an object tree is ignored (the set is coarse anyway). */
  static fromFieldsV1(tree: JsonValue | undefined): FieldSet {
    const paths: FieldPath[] = [];
    const read = (node: JsonObject, path: PathElement[]): void => {
      for (const [pe, child] of Object.entries(node)) {
        if (pe === '.') {
          if (path.length > 0) paths.push(path);
          continue;
        }
        if (!isJsonObject(child)) continue;
        const p = [...path, pe];
        if (Object.keys(child).length === 0) paths.push(p);
        else read(child, p);
      }
    };
    if (isJsonObject(tree)) read(tree, []);
    return new FieldSet(paths);
  }
}

/**
 * The fields `obj` sets, under `schema`: every scalar, atomic list and empty map is a
 * member; a keyed list contributes each element (by merge key) and its fields; a set
 * list contributes each value. Nulls set nothing. Identity fields (apiVersion, kind,
 * metadata.name, ...) are left out, as upstream leaves them out.
 */
export function fieldSetOf(obj: JsonObject, schema: PatchSchema): FieldSet {
  const paths: FieldPath[] = [];
  const walkMap = (m: JsonObject, schemaPath: string, path: PathElement[]): void => {
    const keys = Object.keys(m).filter((k) => m[k] !== null);
    if (keys.length === 0 && path.length > 0) paths.push(path);
    for (const k of keys) walk(m[k]!, childPath(schemaPath, k), [...path, `f:${k}`]);
  };
  const walk = (v: JsonValue, schemaPath: string, path: PathElement[]): void => {
    if (isJsonObject(v)) return walkMap(v, schemaPath, path);
    const meta = patchMetaAt(schema, schemaPath);
    if (Array.isArray(v) && meta?.strategy === 'merge') {
      const elements = listElements(v, meta.mergeKey);
      if (elements) {
        for (const { pe, element } of elements) {
          const p = [...path, pe];
          paths.push(p);
          if (isJsonObject(element)) {
            for (const k of Object.keys(element)) {
              if (element[k] !== null) walk(element[k]!, childPath(elementPath(schemaPath), k), [...p, `f:${k}`]);
            }
          }
        }
        return;
      }
    }
    paths.push(path);
  };
  walkMap(obj, '', []);
  return new FieldSet(paths).difference(new FieldSet(UNOWNED));
}

/**
 * The path elements of a merging list's elements, or undefined when the list cannot be
 * keyed (an element without its merge key, maps in a set): then it is owned whole.
 */
function listElements(list: JsonValue[], mergeKey: string | undefined): { pe: PathElement; element: JsonValue }[] | undefined {
  const out: { pe: PathElement; element: JsonValue }[] = [];
  for (const element of list) {
    if (mergeKey !== undefined) {
      const key = isJsonObject(element) ? getOwn(element, mergeKey) : undefined;
      if (key === undefined || isJsonObject(key) || Array.isArray(key)) return undefined;
      out.push({ pe: `k:${JSON.stringify({ [mergeKey]: key })}`, element });
    } else {
      if (isJsonObject(element) || Array.isArray(element)) return undefined;
      out.push({ pe: `v:${JSON.stringify(element)}`, element });
    }
  }
  return out;
}

/** Where a path element leads inside `container`, or undefined if nowhere. */
export function step(container: JsonValue | undefined, pe: PathElement): JsonValue | undefined {
  const kind = pe.slice(0, 2);
  const rest = pe.slice(2);
  if (kind === 'f:') return isJsonObject(container) ? getOwn(container, rest) : undefined;
  if (!Array.isArray(container)) return undefined;
  if (kind === 'k:') return container.find((e) => matchesKey(e, rest));
  if (kind === 'v:') return container.find((e) => jsonEqual(e, parseJson(rest)));
  if (kind === 'i:') return container[Number(rest)];
  return undefined;
}

/** The value at `path` in `obj`, or undefined. */
export function valueAt(obj: JsonValue, path: FieldPath): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const pe of path) cur = step(cur, pe);
  return cur;
}

/** Whether a list element is the one a "k:" path element names. */
export function matchesKey(element: JsonValue, keyJson: string): boolean {
  const key = parseJson(keyJson);
  if (!isJsonObject(key) || !isJsonObject(element)) return false;
  return Object.keys(key).every((k) => jsonEqual(getOwn(element, k), key[k]));
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** Upstream's printed form of a path: `.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`. */
export function formatFieldPath(path: FieldPath): string {
  return path
    .map((pe) => {
      const rest = pe.slice(2);
      switch (pe.slice(0, 2)) {
        case 'f:':
          return `.${rest}`;
        case 'k:': {
          const key = parseJson(rest);
          if (!isJsonObject(key)) return `[${rest}]`;
          return `[${Object.keys(key)
            .map((k) => `${k}=${JSON.stringify(key[k])}`)
            .join(',')}]`;
        }
        case 'v:':
          return `[=${rest}]`;
        case 'i:':
          return `[${rest}]`;
        default:
          return pe;
      }
    })
    .join('');
}
