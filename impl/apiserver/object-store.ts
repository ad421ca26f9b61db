// Kubernetes objects in the etcd-model store: JSON values under /registry keys, with
// metadata.resourceVersion taken from the key's mod revision on every read (never stored).
// Writes are compare-and-swap transactions on mod revision: the optimistic concurrency
// behind 409 Conflict and AlreadyExists.

import type { KeyValue, Revision, Store, Watch } from '../store/store.js';
import { listPrefix, objectKey } from './registry.js';
import type { KubeObject, ResourceType } from './resource-type.js';

export interface StoredObject {
  readonly object: KubeObject;
  readonly modRevision: Revision;
}

export interface ListPage {
  readonly objects: StoredObject[];
  /** The revision the list was read at. */
  readonly revision: Revision;
  /** Key to continue after, when the page was cut by the limit. */
  readonly nextKey?: string;
  readonly remaining?: number;
}

/** The outcome of a conditional write; `revision` is the store revision it wrote. */
export type WriteResult = { ok: true; revision: Revision; object: KubeObject } | { ok: false; current?: StoredObject };

export function decodeObject(kv: KeyValue): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata = { ...obj.metadata, resourceVersion: String(kv.modRevision) };
  return obj;
}

function encodeObject(obj: KubeObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

export class ObjectStore {
  constructor(private readonly store: Store) {}

  revision(): Promise<Revision> {
    return this.store.revision();
  }

  async get(t: ResourceType, namespace: string | undefined, name: string): Promise<StoredObject | undefined> {
    const r = await this.store.range({ key: objectKey(t, namespace, name) });
    const kv = r.kvs[0];
    return kv ? { object: decodeObject(kv), modRevision: kv.modRevision } : undefined;
  }

  /**
   * One page of a list at `revision` (0 = current), starting after `afterKey`.
   * `limit` 0 means everything.
   */
  async list(t: ResourceType, namespace: string | undefined, options: { revision?: Revision; limit?: number; afterKey?: string }): Promise<ListPage> {
    const prefix = listPrefix(t, namespace);
    const end = prefixEnd(prefix);
    const key = options.afterKey !== undefined ? `${options.afterKey}\0` : prefix;
    const r = await this.store.range({
      key,
      end,
      ...(options.revision ? { revision: options.revision } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
    });
    const objects = r.kvs.map((kv) => ({ object: decodeObject(kv), modRevision: kv.modRevision }));
    const last = r.kvs[r.kvs.length - 1];
    return {
      objects,
      revision: options.revision || r.revision,
      ...(r.more && last ? { nextKey: last.key, remaining: r.count - r.kvs.length } : {}),
    };
  }

  /** Creates the object unless its key exists. */
  async create(t: ResourceType, obj: KubeObject): Promise<WriteResult> {
    const key = objectKey(t, obj.metadata.namespace, obj.metadata.name ?? '');
    const r = await this.store.txn({
      compare: [{ key, target: 'create', result: '=', value: 0 }],
      success: [{ type: 'put', key, value: encodeObject(obj) }],
      failure: [{ type: 'range', key }],
    });
    if (r.succeeded) return { ok: true, revision: r.revision, object: withRv(obj, r.revision) };
    return { ok: false, ...currentOf(r.responses[0]) };
  }

  /** Replaces the object if its mod revision is still `expected`. */
  async update(t: ResourceType, obj: KubeObject, expected: Revision): Promise<WriteResult> {
    const key = objectKey(t, obj.metadata.namespace, obj.metadata.name ?? '');
    const r = await this.store.txn({
      compare: [{ key, target: 'mod', result: '=', value: expected }],
      success: [{ type: 'put', key, value: encodeObject(obj) }],
      failure: [{ type: 'range', key }],
    });
    if (r.succeeded) return { ok: true, revision: r.revision, object: withRv(obj, r.revision) };
    return { ok: false, ...currentOf(r.responses[0]) };
  }

  /** Deletes the object if its mod revision is still `expected`. */
  async delete(t: ResourceType, obj: KubeObject, expected: Revision): Promise<WriteResult> {
    const key = objectKey(t, obj.metadata.namespace, obj.metadata.name ?? '');
    const r = await this.store.txn({
      compare: [{ key, target: 'mod', result: '=', value: expected }],
      success: [{ type: 'delete', key }],
      failure: [{ type: 'range', key }],
    });
    if (r.succeeded) return { ok: true, revision: r.revision, object: withRv(obj, r.revision) };
    return { ok: false, ...currentOf(r.responses[0]) };
  }

  /** Every change under the resource (and namespace) from `startRevision`, with previous values. */
  watch(t: ResourceType, namespace: string | undefined, startRevision: Revision): Promise<Watch> {
    return this.store.watch({ key: listPrefix(t, namespace), prefix: true, startRevision, prevKv: true });
  }
}

function withRv(obj: KubeObject, revision: Revision): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } };
}

function currentOf(response: unknown): { current?: StoredObject } {
  const r = response as { type?: string; kvs?: readonly KeyValue[] } | undefined;
  const kv = r?.kvs?.[0];
  return kv ? { current: { object: decodeObject(kv), modRevision: kv.modRevision } } : {};
}

/** The exclusive end of a prefix range (etcd's GetPrefixRangeEnd for our ASCII keys). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
