// The reference API server in process, for the API-server property suites: an embedded store,
// hand-driven time (timers fire only when a test advances it, so no watch times out under a
// property), token authentication with an admin and a user without rights, and helpers to
// build requests, judge Status bodies, read the store's whole contents and send requests over
// real HTTPS to a server started by specs/support/apiserver.ts.

import https from 'node:https';
import { isDeepStrictEqual } from 'node:util';
import { createReferenceApiServer, type ReferenceApiServer } from '../../impl/apiserver/reference-apiserver.js';
import type { ApiRequest, ApiResponse, ResponseStream } from '../../impl/env/http.js';
import { SeededRandom } from '../../impl/env/random.js';
import { EmbeddedStore, type KeyValue, type Revision, type Store } from '../../impl/store/index.js';
import { ManualTime } from '../../impl/store/manual-time.js';

export const ADMIN_TOKEN = 'admin-0123456789abcdef';
/** An authenticated user bound to no role: only discovery and public paths are allowed. */
export const NOBODY_TOKEN = 'nobody-0123456789abcdef';

export interface InProcessServer {
  readonly api: ReferenceApiServer;
  readonly store: EmbeddedStore;
  readonly time: ManualTime;
  /** `api.handle`, failing loudly if it ever throws (it must answer every request). */
  handle(req: ApiRequest): Promise<ApiResponse>;
  close(): Promise<void>;
}

export async function startInProcessServer(options: { seed?: number; maxBodyBytes?: number } = {}): Promise<InProcessServer> {
  const time = new ManualTime();
  const store = await EmbeddedStore.open({ clock: time, timers: time });
  const api = await createReferenceApiServer({
    store,
    clock: time,
    timers: time,
    random: new SeededRandom(options.seed ?? 1),
    auth: {
      mode: 'token',
      tokens: [
        { token: ADMIN_TOKEN, user: { name: 'admin', uid: '', groups: ['system:masters', 'system:authenticated'] } },
        { token: NOBODY_TOKEN, user: { name: 'nobody', uid: '', groups: ['system:authenticated'] } },
      ],
    },
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  return {
    api,
    store,
    time,
    async handle(req) {
      try {
        return await api.handle(req);
      } catch (e) {
        throw new Error(`handle() threw instead of answering ${req.method} ${req.path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    },
    close: () => store.close(),
  };
}

// ---- requests ----

/** A body as a test writes it: an object or array (sent as JSON), text, or raw bytes. */
export type Body = string | Uint8Array | Record<string, unknown> | readonly unknown[];

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: Body;
  readonly contentType?: string;
  /** Bearer token; the admin's by default, null for no Authorization header. */
  readonly token?: string | null;
  /** Extra headers (lower-case names); an `authorization` here replaces the token. */
  readonly headers?: Readonly<Record<string, string>>;
}

export function encodeBody(body: Body): Uint8Array {
  if (body instanceof Uint8Array) return body;
  return new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
}

export function apiRequest(method: string, path: string, options: RequestOptions = {}): ApiRequest {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': 'kubeprop-spec/1',
    ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
    ...(options.contentType !== undefined ? { 'content-type': options.contentType } : options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(options.headers ?? {}),
  };
  return {
    method,
    path,
    query: options.query ?? {},
    headers,
    ...(options.body !== undefined ? { body: encodeBody(options.body) } : {}),
  };
}

/** The parsed JSON body of a complete response (fails on a stream or non-JSON). */
export function jsonBody(res: Pick<ApiResponse, 'status' | 'body'>): Record<string, unknown> {
  if (res.body === undefined) throw new Error(`response ${res.status} has no body`);
  const value: unknown = JSON.parse(res.body);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`response ${res.status} body is not a JSON object: ${res.body.slice(0, 200)}`);
  return value as Record<string, unknown>;
}

/**
 * Why `res` (status >= 400) is not a proper metav1.Status failure — kind Status, apiVersion v1,
 * status Failure, code equal to the HTTP status, a non-empty message — or undefined when it is.
 */
export function failureStatusProblem(res: { readonly status: number; readonly body?: string | undefined }): string | undefined {
  if (res.body === undefined) return `a ${res.status} without a body`;
  let value: unknown;
  try {
    value = JSON.parse(res.body);
  } catch {
    return `a ${res.status} whose body is not JSON: ${res.body.slice(0, 200)}`;
  }
  const s = value as { kind?: unknown; apiVersion?: unknown; status?: unknown; code?: unknown; message?: unknown };
  if (typeof value !== 'object' || value === null) return `a ${res.status} whose body is not an object`;
  if (s.kind !== 'Status' || s.apiVersion !== 'v1') return `a ${res.status} whose body is not a v1 Status: ${res.body.slice(0, 200)}`;
  if (s.status !== 'Failure') return `a ${res.status} Status with status ${JSON.stringify(s.status)}`;
  if (s.code !== res.status) return `a ${res.status} Status with code ${JSON.stringify(s.code)}`;
  if (typeof s.message !== 'string' || s.message === '') return `a ${res.status} Status without a message`;
  return undefined;
}

// ---- the store ----

export interface StoreSnapshot {
  readonly revision: Revision;
  readonly kvs: readonly KeyValue[];
}

/** Every key of the store with its value and revisions, and the store's revision. */
export async function snapshot(store: Store, revision?: Revision): Promise<StoreSnapshot> {
  const r = await store.range({ key: '\0', end: '\0', ...(revision !== undefined ? { revision } : {}) });
  return { revision: revision ?? r.revision, kvs: r.kvs };
}

/** How `after` differs from `before`, or undefined when they are the same. */
export function snapshotDifference(before: StoreSnapshot, after: StoreSnapshot): string | undefined {
  const out: string[] = [];
  if (before.revision !== after.revision) out.push(`revision ${before.revision} -> ${after.revision}`);
  const was = new Map(before.kvs.map((kv) => [kv.key, kv]));
  const is = new Map(after.kvs.map((kv) => [kv.key, kv]));
  for (const [key, kv] of is) {
    const old = was.get(key);
    if (!old) out.push(`${key} created at ${kv.modRevision}`);
    else if (!isDeepStrictEqual(old, kv)) out.push(`${key} changed (mod ${old.modRevision} -> ${kv.modRevision})`);
  }
  for (const key of was.keys()) if (!is.has(key)) out.push(`${key} deleted`);
  return out.length > 0 ? out.join('; ') : undefined;
}

// ---- streams ----

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms));

/**
 * Reads lines of a watch stream: waits (up to `timeoutMs` of wall time) until `count` have come,
 * lets the event loop run dry so anything further is queued too, takes what is queued, and
 * closes the stream. In process every change reaches the stream without timers, so "queued
 * after the loop ran dry" is everything the server will ever send for the writes made so far.
 */
export async function readLines(stream: ResponseStream, count: number, timeoutMs = 2000): Promise<string[]> {
  const it = stream[Symbol.asyncIterator]();
  const lines: string[] = [];
  let pending = it.next();
  let ended = false;
  const deadline = sleep(timeoutMs);
  while (lines.length < count && !ended) {
    const r = await Promise.race([pending, deadline]);
    if (r === 'timeout') break;
    if (r.done) ended = true;
    else {
      lines.push(r.value);
      pending = it.next();
    }
  }
  for (let i = 0; i < 10; i++) await macrotask();
  while (!ended) {
    const r = await Promise.race([pending, macrotask().then(() => 'idle' as const)]);
    if (r === 'idle') break;
    if (r.done) ended = true;
    else {
      lines.push(r.value);
      pending = it.next();
    }
  }
  stream.close();
  return lines;
}

// ---- real HTTPS ----

export interface HttpsReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface HttpsTarget {
  readonly url: string;
  readonly caCert?: string;
}

/**
 * Sends one request over a fresh TLS connection and reads the whole answer; a 2xx answer to
 * a request that may stream (`streaming`: a watch) is taken as soon as its head arrives.
 */
export function httpsSend(target: HttpsTarget, req: ApiRequest, timeoutMs = 10_000, streaming = false): Promise<HttpsReply> {
  const url = new URL(target.url);
  const search = new URLSearchParams(req.query).toString();
  return new Promise<HttpsReply>((resolve, reject) => {
    let settled = false;
    const done = (f: () => void) => {
      if (!settled) {
        settled = true;
        f();
      }
    };
    const r = https.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path + (search ? `?${search}` : ''),
        headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
        ...(target.caCert ? { ca: target.caCert } : { rejectUnauthorized: false }),
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        if (streaming && (res.statusCode ?? 0) < 300) {
          done(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
          r.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })));
        res.on('error', (e) => done(() => reject(e)));
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer to ${req.method} ${req.path} within ${timeoutMs} ms`)));
    r.on('error', (e) => done(() => reject(e)));
    r.end(req.body ? Buffer.from(req.body) : undefined);
  });
}
