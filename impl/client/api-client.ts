// A small typed client over a Transport: get, list, create, update, patch, delete, bind,
// watch and logs, returning parsed objects and throwing ApiStatusError (the server's
// metav1.Status) for every answer >= 400. Every component talks to the API through this.

import type { ApiRequest, ApiResponse } from '../env/http.js';
import type { Transport } from './transport.js';
import { apiVersionOf, resourcePath, type ResourceRef } from './resources.js';

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  finalizers?: string[];
}

/** Any API object: the client is generic over the kinds' shapes. */
export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

export class ApiStatusError extends Error {
  constructor(
    readonly code: number,
    readonly status: StatusBody,
  ) {
    super(status.message ?? `HTTP ${code}`);
    this.name = 'ApiStatusError';
  }

  get reason(): string {
    return this.status.reason ?? '';
  }
}

export const isNotFound = (e: unknown) => e instanceof ApiStatusError && e.code === 404;
export const isConflict = (e: unknown) => e instanceof ApiStatusError && e.code === 409 && e.reason === 'Conflict';
export const isAlreadyExists = (e: unknown) => e instanceof ApiStatusError && e.code === 409 && e.reason === 'AlreadyExists';
export const isGone = (e: unknown) => e instanceof ApiStatusError && e.code === 410;

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

/** A watch: iterate its events; close() ends it. */
export interface WatchStream<T> extends AsyncIterable<WatchEvent<T>> {
  close(): void;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

const encoder = new TextEncoder();

export class ApiClient {
  constructor(
    private readonly transport: Transport,
    /** Names the component in audit records and managedFields. */
    readonly userAgent: string,
  ) {}

  private async request(method: string, path: string, query: Record<string, string> = {}, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> {
    const req: ApiRequest = {
      method,
      path,
      query,
      headers: {
        accept: 'application/json',
        'user-agent': this.userAgent,
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(body !== undefined ? { body: encoder.encode(JSON.stringify(body)) } : {}),
    };
    const res = await this.transport.send(req);
    if (res.status >= 400) {
      res.stream?.close();
      throw new ApiStatusError(res.status, parseStatus(res.body, res.status));
    }
    return res;
  }

  private async json<T>(method: string, path: string, query: Record<string, string> = {}, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.request(method, path, query, body, contentType);
    return JSON.parse(res.body ?? 'null') as T;
  }

  get<T extends ApiObject>(r: ResourceRef, namespace: string | undefined, name: string): Promise<T> {
    return this.json<T>('GET', resourcePath(r, namespace, name));
  }

  async list<T extends ApiObject>(r: ResourceRef, namespace?: string, options: ListOptions = {}): Promise<ListResult<T>> {
    const body = await this.json<{ items: T[]; metadata: { resourceVersion: string; continue?: string } }>('GET', resourcePath(r, namespace), stringQuery(options));
    const apiVersion = apiVersionOf(r);
    return {
      items: body.items.map((o) => ({ apiVersion, kind: r.kind, ...o })),
      resourceVersion: body.metadata.resourceVersion,
      ...(body.metadata.continue ? { continue: body.metadata.continue } : {}),
    };
  }

  create<T extends ApiObject>(r: ResourceRef, namespace: string | undefined, obj: T): Promise<T> {
    return this.json<T>('POST', resourcePath(r, namespace), {}, { apiVersion: apiVersionOf(r), kind: r.kind, ...obj });
  }

  /** PUT of the object, or of its status (or a namespace's finalize) subresource. */
  update<T extends ApiObject>(r: ResourceRef, obj: T, subresource?: 'status' | 'finalize'): Promise<T> {
    const m = obj.metadata ?? {};
    return this.json<T>('PUT', resourcePath(r, m.namespace, m.name, subresource), {}, { apiVersion: apiVersionOf(r), kind: r.kind, ...obj });
  }

  patch<T extends ApiObject>(r: ResourceRef, namespace: string | undefined, name: string, type: PatchType, patch: unknown, options: { subresource?: string; fieldManager?: string; force?: boolean } = {}): Promise<T> {
    const query: Record<string, string> = {};
    if (options.fieldManager) query.fieldManager = options.fieldManager;
    if (options.force) query.force = 'true';
    return this.json<T>('PATCH', resourcePath(r, namespace, name, options.subresource), query, patch, PATCH_CONTENT_TYPES[type]);
  }

  async delete(r: ResourceRef, namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<void> {
    await this.request('DELETE', resourcePath(r, namespace, name), {}, Object.keys(options).length ? { apiVersion: 'v1', kind: 'DeleteOptions', ...options } : undefined);
  }

  /** The scheduler's decision: binds a pod to a node once (409 if it is already bound). */
  async bind(namespace: string, pod: string, node: string): Promise<void> {
    await this.request('POST', resourcePath({ group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true }, namespace, pod, 'binding'), {}, {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: pod, namespace },
      target: { apiVersion: 'v1', kind: 'Node', name: node },
    });
  }

  async logs(namespace: string, pod: string, container?: string): Promise<string> {
    const res = await this.request('GET', `${resourcePath({ group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true }, namespace, pod)}/log`, container ? { container } : {});
    return res.body ?? '';
  }

  async watch<T extends ApiObject>(r: ResourceRef, namespace: string | undefined, options: WatchOptions = {}): Promise<WatchStream<T>> {
    const query = { ...stringQuery(options), watch: 'true' };
    const res = await this.request('GET', resourcePath(r, namespace), query);
    const stream = res.stream;
    if (!stream) {
      // A server that answered a watch with a plain body: treat each line as an event.
      return eventStream<T>(singleChunk(res.body ?? ''), () => {});
    }
    return eventStream<T>(stream, () => stream.close());
  }
}

function stringQuery(o: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') out[k] = String(v);
  return out;
}

function parseStatus(body: string | undefined, code: number): StatusBody {
  try {
    const s = JSON.parse(body ?? '') as StatusBody;
    if (s && typeof s === 'object') return s;
  } catch {
    // not a Status
  }
  return { kind: 'Status', status: 'Failure', code, message: body ?? `HTTP ${code}` };
}

async function* singleChunk(s: string): AsyncGenerator<string> {
  yield s;
}

/** Splits a chunked body into JSON lines: a chunk may hold several events or part of one. */
function eventStream<T>(chunks: AsyncIterable<string>, close: () => void): WatchStream<T> {
  async function* events(): AsyncGenerator<WatchEvent<T>> {
    let buffer = '';
    try {
      for await (const chunk of chunks) {
        buffer += chunk;
        let nl = buffer.indexOf('\n');
        while (nl >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line) yield JSON.parse(line) as WatchEvent<T>;
          nl = buffer.indexOf('\n');
        }
      }
      const rest = buffer.trim();
      if (rest) yield JSON.parse(rest) as WatchEvent<T>;
    } finally {
      close();
    }
  }
  return { [Symbol.asyncIterator]: () => events(), close };
}
