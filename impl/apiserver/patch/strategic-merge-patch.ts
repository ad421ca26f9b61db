// Strategic merge patch (`application/strategic-merge-patch+json`): a merge patch that knows,
// from a kind's PatchSchema, which lists merge by a key (containers by name) instead of being
// replaced, plus upstream's directives: `$patch: replace|delete` (and `merge`),
// `$setElementOrder/<list>`, `$retainKeys` and `$deleteFromPrimitiveList/<list>`. It is what
// `kubectl apply` (client-side), `kubectl set image`, `kubectl cordon` and `kubectl edit` send.
// The semantics, list order included, follow apimachinery's strategicpatch package.

import { asJson, cloneJson, getOwn, isJsonObject, jsonEqual, jsonTypeName, setOwn, type JsonObject, type JsonValue } from './json.js';
import { PatchError } from './patch-error.js';
import { childPath, elementPath, patchMetaAt, type PatchSchema } from './patch-schema.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/**
 * Applies a strategic merge patch to `original` under `schema` and returns the new object;
 * neither input is modified. A patch that is not a JSON object, or whose directives are
 * malformed, is 400; one that cannot apply (a list element without its merge key, a list
 * of mixed element types) is 422.
 */
export function applyStrategicMergePatch(original: JsonObject, patch: unknown, schema: PatchSchema): JsonObject {
  const p = asJson(patch, 'the strategic merge patch');
  if (!isJsonObject(p)) {
    throw PatchError.badRequest(`a strategic merge patch must be a JSON object, not ${jsonTypeName(p) === 'array' ? 'an array' : `a ${jsonTypeName(p)}`}`);
  }
  return new Merger(schema).mergeMap(cloneJson(original), p, '');
}

/** Names a path in messages: "" is the object itself. */
function where(path: string): string {
  return path === '' ? 'the object' : path;
}

/**
 * One patch application. Maps it is given as `original` are private copies it edits in
 * place; the patch is only read.
 */
class Merger {
  constructor(private readonly schema: PatchSchema) {}

  mergeMap(original: JsonObject | undefined, patch: JsonObject, path: string): JsonObject {
    const directive = getOwn(patch, DIRECTIVE);
    if (directive === 'replace') {
      const { [DIRECTIVE]: _directive, ...rest } = patch;
      // The map becomes the patch's contents, themselves resolved against nothing.
      return this.mergeMap(undefined, rest, path);
    }
    if (directive === 'delete') return {};
    if (directive !== undefined && directive !== 'merge') {
      // Upstream rejects "merge" in a map as well; an explicit request for the default is
      // harmless, so it is accepted here.
      throw PatchError.invalid(`unknown patch type: ${JSON.stringify(directive)} in map at ${where(path)}`);
    }

    const out = original ?? {};
    const retainKeys = getOwn(patch, RETAIN_KEYS);
    if (retainKeys !== undefined) this.applyRetainKeys(out, patch, retainKeys, path);

    const ordered = new Set<string>();
    for (const key of Object.keys(patch)) {
      if (key.startsWith(SET_ELEMENT_ORDER)) this.applySetElementOrder(out, patch, key, path, ordered);
    }

    const deletions: string[] = [];
    for (const key of Object.keys(patch)) {
      if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER) || ordered.has(key)) continue;
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        deletions.push(key);
        continue;
      }
      const value = patch[key]!;
      if (value === null) {
        delete out[key];
        continue;
      }
      setOwn(out, key, this.mergeValue(getOwn(out, key), value, childPath(path, key)));
    }
    // Removals from primitive lists come after additions, whatever the members' order.
    for (const key of deletions) this.deleteFromPrimitiveList(out, key, patch[key]!, path);
    return out;
  }

  /** The field's new value: `current` (a private copy, or undefined) patched with `patch`. */
  private mergeValue(current: JsonValue | undefined, patch: JsonValue, path: string): JsonValue {
    if (isJsonObject(patch)) {
      const meta = patchMetaAt(this.schema, path);
      if (isJsonObject(current) && meta?.strategy !== 'replace') return this.mergeMap(current, patch, path);
      return this.mergeMap(undefined, patch, path);
    }
    if (Array.isArray(patch)) return this.mergeList(Array.isArray(current) ? current : [], patch, path);
    return patch;
  }

  private mergeList(original: JsonValue[], patch: JsonValue[], path: string): JsonValue[] {
    const meta = patchMetaAt(this.schema, path);
    if (meta?.strategy !== 'merge') return patch.map((e) => this.resolveElement(e, path));
    const kind = elementKind(path, original, patch);
    if (kind === 'none') return [];
    if (kind === 'primitive') return mergePrimitiveList(original, patch);
    if (!meta.mergeKey) throw PatchError.invalid(`cannot merge lists without merge key for ${path}`);
    return this.mergeListOfMaps(original as JsonObject[], patch as JsonObject[], meta.mergeKey, path);
  }

  /** An element of a replaced list, with nulls and directives in its maps resolved. */
  private resolveElement(e: JsonValue, listPath: string): JsonValue {
    return isJsonObject(e) ? this.mergeMap(undefined, e, elementPath(listPath)) : cloneJson(e);
  }

  private mergeListOfMaps(original: JsonObject[], patch: JsonObject[], mergeKey: string, path: string): JsonObject[] {
    let base = original;
    let replace = false;
    const plain: JsonObject[] = [];
    for (const element of patch) {
      const directive = getOwn(element, DIRECTIVE);
      if (directive === undefined) {
        plain.push(element);
      } else if (directive === 'delete') {
        const key = requireMergeKey(element, mergeKey, path);
        base = base.filter((o) => !jsonEqual(getOwn(o, mergeKey), key));
      } else if (directive === 'replace') {
        replace = true;
      } else if (directive === 'merge') {
        throw PatchError.invalid(`merging lists cannot yet be specified in the patch (${path})`);
      } else {
        throw PatchError.invalid(`unknown patch type: ${JSON.stringify(directive)} in list ${path}`);
      }
    }
    const ep = elementPath(path);
    // `{"$patch": "replace"}` among the elements: the list is exactly the other elements.
    if (replace) return plain.map((m) => this.mergeMap(undefined, m, ep));

    const merged = [...base];
    for (const element of plain) {
      const key = requireMergeKey(element, mergeKey, path);
      const i = merged.findIndex((o) => jsonEqual(getOwn(o, mergeKey), key));
      if (i >= 0) merged[i] = this.mergeMap(merged[i], element, ep);
      else merged.push(this.mergeMap(undefined, element, ep));
    }
    const keyOf = (m: JsonValue): JsonValue | undefined => (isJsonObject(m) ? getOwn(m, mergeKey) : undefined);
    const patchKeys = plain.map(keyOf);
    return orderedMerge(merged, patchKeys, base.map(keyOf), keyOf) as JsonObject[];
  }

  /**
   * `$retainKeys: [..]`: the map keeps only the listed fields (the client lists every field
   * of a union it still sets). Every field the patch sets must be listed.
   */
  private applyRetainKeys(out: JsonObject, patch: JsonObject, retainKeys: JsonValue, path: string): void {
    if (!Array.isArray(retainKeys) || !retainKeys.every((k) => typeof k === 'string')) {
      throw PatchError.badRequest(`invalid patch format of retainKeys at ${where(path)}: ${RETAIN_KEYS} must be a list of field names`);
    }
    const keep = new Set(retainKeys as string[]);
    for (const [key, value] of Object.entries(patch)) {
      if (key === DIRECTIVE || key === RETAIN_KEYS || value === null) continue;
      if (key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
      if (!keep.has(key)) {
        throw PatchError.invalid(`the patch sets ${childPath(path, key)}, which is not in ${RETAIN_KEYS} ${JSON.stringify(retainKeys)}`);
      }
    }
    for (const key of Object.keys(out)) if (!keep.has(key)) delete out[key];
  }

  /**
   * `$setElementOrder/<list>`: merges the list (if the patch has it) and then orders the
   * result: elements named in the directive in its order, the live object's other
   * elements kept where they were relative to them.
   */
  private applySetElementOrder(out: JsonObject, patch: JsonObject, key: string, path: string, ordered: Set<string>): void {
    const field = key.slice(SET_ELEMENT_ORDER.length);
    const order = patch[key]!;
    if (field === '' || !Array.isArray(order)) {
      throw PatchError.badRequest(`invalid patch format of setElementOrder list at ${where(path)}: ${key} must be a list`);
    }
    const listPath = childPath(path, field);
    const patchList = getOwn(patch, field);
    if (patchList === null) return; // the list is deleted; nothing to order
    if (patchList !== undefined && !Array.isArray(patchList)) {
      throw PatchError.badRequest(`invalid patch format of setElementOrder list: ${listPath} in the patch is ${jsonTypeName(patchList)}, not a list`);
    }
    const current = getOwn(out, field);
    const originalList = Array.isArray(current) ? current : undefined;
    if (originalList === undefined && patchList === undefined) return;

    const meta = patchMetaAt(this.schema, listPath);
    // Only merging lists have an order to set; any other list is the patch's, if it has one.
    if (meta?.strategy !== 'merge') return;
    const mergeKey = meta.mergeKey;
    if (mergeKey !== undefined) {
      for (const o of order) {
        if (!isJsonObject(o) || getOwn(o, mergeKey) === undefined) {
          throw PatchError.invalid(`${key}: element ${JSON.stringify(o)} does not contain declared merge key: ${mergeKey}`);
        }
      }
    }
    if (patchList !== undefined) validateOrder(patchList, order, mergeKey, listPath);
    ordered.add(field);
    const merged = patchList === undefined ? originalList! : this.mergeList(originalList ?? [], patchList, listPath);
    const keyOf = (v: JsonValue): JsonValue | undefined => (mergeKey === undefined ? v : isJsonObject(v) ? getOwn(v, mergeKey) : undefined);
    setOwn(out, field, orderedMerge(merged, order.map(keyOf), (originalList ?? []).map(keyOf), keyOf));
  }

  private deleteFromPrimitiveList(out: JsonObject, key: string, values: JsonValue, path: string): void {
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    if (field === '' || !Array.isArray(values)) {
      throw PatchError.badRequest(`invalid patch format of primitive list at ${where(path)}: ${key} must be a list`);
    }
    const current = getOwn(out, field);
    if (!Array.isArray(current)) return;
    setOwn(out, field, current.filter((v) => !values.some((d) => jsonEqual(d, v))));
  }
}

function requireMergeKey(element: JsonObject, mergeKey: string, path: string): JsonValue {
  const key = getOwn(element, mergeKey);
  if (key === undefined) {
    throw PatchError.invalid(`map: ${JSON.stringify(element)} does not contain declared merge key: ${mergeKey} (in ${path})`);
  }
  return key;
}

/** What a merging list holds; lists of lists and mixed lists cannot merge. */
function elementKind(path: string, ...lists: JsonValue[][]): 'none' | 'primitive' | 'map' {
  let seen: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      if (Array.isArray(v)) throw PatchError.invalid(`lists of lists are not supported (${path})`);
      const t = jsonTypeName(v);
      if (seen !== undefined && seen !== t) throw PatchError.invalid(`list element types are not identical in ${path}: ${seen} and ${t}`);
      seen = t;
    }
  }
  if (seen === undefined) return 'none';
  return seen === 'object' ? 'map' : 'primitive';
}

/** A merging list of primitives is an ordered set: the union, without duplicates. */
function mergePrimitiveList(original: JsonValue[], patch: JsonValue[]): JsonValue[] {
  const merged: JsonValue[] = [];
  for (const v of [...original, ...patch]) if (!merged.some((m) => jsonEqual(m, v))) merged.push(v);
  const identity = (v: JsonValue): JsonValue => v;
  return orderedMerge(merged, patch, original, identity);
}

/**
 * Upstream's order for a merged list (normalizeElementOrder): the elements the patch names
 * ("patch items") in `patchOrder`; the others ("server-only") in their live order
 * `serverOrder`; the two interleaved, a server-only element going first only when both it
 * and the next patch item are in the live list and it came earlier there. So new elements
 * of a patch without $setElementOrder land before the server-only ones, as upstream does.
 */
function orderedMerge(
  merged: JsonValue[],
  patchOrder: (JsonValue | undefined)[],
  serverOrder: (JsonValue | undefined)[],
  keyOf: (v: JsonValue) => JsonValue | undefined,
): JsonValue[] {
  const indexIn = (order: (JsonValue | undefined)[], v: JsonValue): number => {
    const k = keyOf(v);
    return k === undefined ? -1 : order.findIndex((o) => o !== undefined && jsonEqual(o, k));
  };
  const sortBy = (items: JsonValue[], order: (JsonValue | undefined)[]): JsonValue[] =>
    items
      .map((item, i) => ({ item, i, at: indexIn(order, item) }))
      .sort((a, b) => (a.at < 0 ? Infinity : a.at) - (b.at < 0 ? Infinity : b.at) || a.i - b.i)
      .map((x) => x.item);
  const inPatch = (v: JsonValue): boolean => indexIn(patchOrder, v) >= 0;
  const right = sortBy(merged.filter(inPatch), patchOrder);
  const left = sortBy(merged.filter((v) => !inPatch(v)), serverOrder);
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]!);
    else if (j >= right.length) out.push(left[i++]!);
    else {
      const li = indexIn(serverOrder, left[i]!);
      const ri = indexIn(serverOrder, right[j]!);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}

/**
 * The patch list's elements (deletions aside) must appear in `$setElementOrder` and in the
 * same relative order; anything else is a client bug worth reporting.
 */
function validateOrder(patchList: JsonValue[], order: JsonValue[], mergeKey: string | undefined, listPath: string): void {
  const keyOf = (v: JsonValue): JsonValue | undefined => (mergeKey === undefined ? v : isJsonObject(v) ? getOwn(v, mergeKey) : undefined);
  const items = patchList.filter((v) => !(isJsonObject(v) && getOwn(v, DIRECTIVE) !== undefined));
  let at = 0;
  for (const item of items) {
    const k = keyOf(item);
    while (at < order.length && !jsonEqual(keyOf(order[at]!), k)) at++;
    if (at >= order.length) {
      throw PatchError.invalid(
        `the order in patch list ${listPath} ${JSON.stringify(patchList)} doesn't match ${SET_ELEMENT_ORDER}${listPath.split('.').pop()} list ${JSON.stringify(order)}`,
      );
    }
    at++;
  }
}
