// For the generators' tests: the reference API server in process (embedded store, hand-driven
// time, insecure authentication), with a helper that POSTs a manifest through handle() into a
// namespace of its own, so samples that happen to share a name do not collide.

import { createReferenceApiServer, type ReferenceApiServer } from '../../impl/apiserver/reference-apiserver.js';
import type { ApiResponse } from '../../impl/env/http.js';
import { SeededRandom } from '../../impl/env/random.js';
import { EmbeddedStore } from '../../impl/store/index.js';
import { ManualTime } from '../../impl/store/manual-time.js';
import type { Manifest } from '../campaign/scenario.js';

const COLLECTIONS: Readonly<Record<string, string>> = {
  Pod: '/api/v1/namespaces/{ns}/pods',
  ReplicaSet: '/apis/apps/v1/namespaces/{ns}/replicasets',
  Deployment: '/apis/apps/v1/namespaces/{ns}/deployments',
};

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;
}

/** A metav1.Status cause. */
export interface Cause {
  readonly reason?: string;
  readonly field?: string;
  readonly message?: string;
}

export interface ReferenceApi {
  /** Creates a fresh namespace and POSTs the manifest into it (its metadata.namespace rewritten). */
  create(manifest: Manifest, query?: Readonly<Record<string, string>>): Promise<Answer>;
  close(): Promise<void>;
}

function request(method: string, path: string, body: unknown, query: Readonly<Record<string, string>> = {}) {
  return {
    method,
    path,
    query,
    headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'kubeprop-generators-test/1' },
    body: new TextEncoder().encode(JSON.stringify(body)),
  };
}

function parse(res: ApiResponse): Answer {
  const body: unknown = res.body === undefined ? {} : JSON.parse(res.body);
  return { status: res.status, body: (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>, headers: res.headers };
}

export async function startReferenceApi(): Promise<ReferenceApi> {
  const time = new ManualTime();
  const store = await EmbeddedStore.open({ clock: time, timers: time });
  const api: ReferenceApiServer = await createReferenceApiServer({ store, clock: time, timers: time, random: new SeededRandom(7), auth: { mode: 'insecure' } });
  let namespaces = 0;
  return {
    async create(manifest, query) {
      const kind = String(manifest.kind);
      const collection = COLLECTIONS[kind];
      if (!collection) throw new Error(`no collection for kind ${kind}`);
      const ns = `gen-${++namespaces}`;
      const made = await api.handle(request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
      if (made.status !== 201) throw new Error(`creating namespace ${ns}: ${made.status} ${made.body ?? ''}`);
      const meta = (manifest.metadata ?? {}) as Record<string, unknown>;
      const body = { ...manifest, metadata: { ...meta, namespace: ns } };
      return parse(await api.handle(request('POST', collection.replace('{ns}', ns), body, query)));
    },
    close: () => store.close(),
  };
}

/** The causes of a 422 Status (details.causes). */
export function causesOf(a: Answer): Cause[] {
  const details = a.body.details as { causes?: Cause[] } | undefined;
  return details?.causes ?? [];
}
