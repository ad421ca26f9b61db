// The bad-input property of the reference API server (issue "API server", Properties):
// generated malformed requests (bad-requests.ts) never get a 5xx, never crash the server,
// are always answered with a proper metav1 Status when refused, and never change the store
// (its whole keyspace and revision are compared before and after each request; reads must
// not write). Runs in process through handle(), and a sample over real HTTPS, where bodies
// over the limit must get 413 and leave the server serving. A mutation variant corrupts one
// field of a valid object: what must be refused is, and whatever is accepted writes exactly
// that object.

import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ApiRequest } from '../../impl/env/http.js';
import type { Store } from '../../impl/store/index.js';
import { labelSpec } from '../../reports/spec-labels.js';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { assertProperty } from '../support/property.js';
import { badRequest, buildBody, DEFAULT_MAX_BODY_BYTES, FIXTURES, type Auth, type BadRequest } from './bad-requests.js';
import { collectionPath, itemPath, manifest, storeKey, type Kind } from './objects.js';
import {
  ADMIN_TOKEN,
  apiRequest,
  encodeBody,
  failureStatusProblem,
  httpsSend,
  jsonBody,
  NOBODY_TOKEN,
  snapshot,
  snapshotDifference,
  startInProcessServer,
  type InProcessServer,
} from './reference-server.js';

const FILE = 'specs/apiserver/bad-input.spec.ts';
/** Requests through handle(); CI must see at least 2000. */
const IN_PROCESS_RUNS = 2500;
const HTTPS_RUNS = 150;
const MUTATION_RUNS = 400;

interface Answer {
  readonly status: number;
  readonly body?: string | undefined;
}

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

function bodyBytes(body: BadRequest['body']): Uint8Array | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return encodeBody(body);
  return encodeBody(buildBody(body));
}

function toRequest(c: BadRequest, tokens: { admin: string; nobody: string }): ApiRequest {
  const auth: Auth = c.auth ?? 'admin';
  const body = bodyBytes(c.body);
  return apiRequest(c.method, c.path, {
    ...(c.query ? { query: c.query } : {}),
    ...(body ? { body } : {}),
    ...(c.contentType !== undefined ? { contentType: c.contentType } : {}),
    token: auth === 'admin' ? tokens.admin : auth === 'nobody' ? tokens.nobody : null,
    ...(typeof auth === 'object' ? { headers: { authorization: auth.header } } : {}),
  });
}

/** What a successful list may hold: objects of the listed namespace only (a continue token must not reach elsewhere). */
function listLeak(c: BadRequest, a: Answer): string | undefined {
  // (A watch streams: its body is not read here.)
  if (a.status !== 200 || !a.body || c.method !== 'GET') return undefined;
  const m = /^\/(?:api|apis\/[^/]+)\/v1\/(?:namespaces\/([^/]+)\/)?(pods|deployments|events)$/.exec(c.path);
  if (!m) return undefined;
  let list: { kind?: string; items?: { metadata?: { namespace?: string; name?: string } }[] };
  try {
    list = JSON.parse(a.body) as typeof list;
  } catch {
    return `a 200 list whose body is not JSON: ${a.body.slice(0, 200)}`;
  }
  for (const item of list.items ?? []) {
    const ns = item.metadata?.namespace;
    if (ns === undefined || (m[1] !== undefined && ns !== decodeURIComponent(m[1]))) {
      return `the ${m[2]} list of ${m[1] ?? 'all namespaces'} holds ${ns ?? '(cluster-scoped)'}/${item.metadata?.name ?? '?'}`;
    }
  }
  return undefined;
}

/** The property for one request: no 5xx, a Status when refused, the expected class of answer, no store change. */
async function judge(c: BadRequest, store: Store, send: () => Promise<Answer | 'client-refused'>): Promise<void> {
  const before = await snapshot(store);
  const a = await send();
  if (a === 'client-refused') return;
  const what = `${c.what} — ${c.method} ${c.path}${c.query ? ` ${JSON.stringify(c.query)}` : ''}`;
  check(a.status < 500, () => `${what}: answered ${a.status}: ${a.body?.slice(0, 400)}`);
  // (An answer to HEAD has no body on the wire.)
  if (a.status >= 400 && !(c.method === 'HEAD' && !a.body)) {
    const problem = failureStatusProblem(a);
    check(problem === undefined, () => `${what}: ${problem}`);
  }
  const expect = c.expect;
  if (expect === '4xx') check(a.status >= 400, () => `${what}: want a 4xx refusal, got ${a.status}: ${a.body?.slice(0, 400)}`);
  else if (expect !== 'any') check(expect.includes(a.status), () => `${what}: want ${expect.join(' or ')}, got ${a.status}: ${a.body?.slice(0, 400)}`);
  const leak = listLeak(c, a);
  check(leak === undefined, () => `${what}: ${leak}`);
  const after = await snapshot(store);
  const diff = snapshotDifference(before, after);
  check(diff === undefined, () => `${what}: answered ${a.status} and changed the store: ${diff}`);
}

type Send = (method: string, path: string, body?: Record<string, unknown>) => Promise<Answer>;

/** The objects the generated requests aim at. */
async function createFixtures(send: Send): Promise<void> {
  for (const [path, body] of [
    [collectionPath('namespace'), manifest('namespace', FIXTURES.namespace)],
    [collectionPath('pod', 'default'), manifest('pod', FIXTURES.pod, { app: 'web' })],
    [collectionPath('deployment', 'default'), manifest('deployment', FIXTURES.deployment)],
  ] as const) {
    const a = await send('POST', path, body);
    if (a.status !== 201) throw new Error(`creating the fixture ${path}: ${a.status} ${a.body}`);
  }
}

const IN_PROCESS_TOKENS = { admin: ADMIN_TOKEN, nobody: NOBODY_TOKEN };

// ---- the mutation variant ---------------------------------------------------------------------

type Path = readonly (string | number)[];

type Corruption = { readonly kind: 'set'; readonly at: number; readonly value: unknown } | { readonly kind: 'delete'; readonly at: number } | { readonly kind: 'invalid'; readonly which: number };

interface Mutation {
  readonly target: 'pod' | 'deployment';
  readonly mode: 'create' | 'update';
  readonly corruption: Corruption;
}

const NASTY_VALUES: readonly unknown[] = [null, -1, 0, 1.5, '', 'x', 'UPPER', true, [], {}, [1], { a: 'b' }, 'x'.repeat(300), 2 ** 53, -(2 ** 31) - 1, '🙂', ['x']];

const mutation: fc.Arbitrary<Mutation> = fc.record({
  target: fc.constantFrom<'pod' | 'deployment'>('pod', 'deployment'),
  mode: fc.constantFrom<'create' | 'update'>('create', 'update'),
  corruption: fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(...NASTY_VALUES) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('invalid' as const), which: fc.nat() }),
  ),
});

/** Every path in a JSON value, inner nodes and leaves, in document order. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...pathsOf(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  return out;
}

function setAt(obj: Record<string, unknown>, path: Path, value: unknown): void {
  let at = obj as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
}

function deleteAt(obj: Record<string, unknown>, path: Path): void {
  let at = obj as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  if (Array.isArray(at)) at.splice(Number(path[path.length - 1]), 1);
  else delete at[path[path.length - 1]!];
}

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/** The JSON type of fields whose type every kind here fixes; a non-null value of another type must be refused (400). */
function declaredType(path: Path): 'string' | 'integer' | 'object' | 'array' | undefined {
  const p = path.map((k) => (typeof k === 'number' ? '#' : k)).join('.');
  if (/^(apiVersion|kind|metadata\.(name|namespace|generateName|uid|resourceVersion)|spec\.(restartPolicy|dnsPolicy|schedulerName|nodeName)|(spec\.template\.)?spec\.containers\.#\.(name|image|imagePullPolicy|terminationMessagePath|terminationMessagePolicy)|metadata\.labels\.[^.]+)$/.test(p.replace('spec.template.spec', 'spec'))) return 'string';
  if (/^spec\.(replicas|revisionHistoryLimit|progressDeadlineSeconds|terminationGracePeriodSeconds|template\.spec\.terminationGracePeriodSeconds)$/.test(p)) return 'integer';
  if (/^(metadata|spec|status|metadata\.labels|metadata\.annotations|spec\.selector|spec\.template|spec\.template\.spec|spec\.strategy|spec\.template\.metadata)$/.test(p)) return 'object';
  if (/^(spec\.containers|spec\.template\.spec\.containers|spec\.tolerations|metadata\.finalizers)$/.test(p)) return 'array';
  return undefined;
}

/** Deleting these leaves an object that cannot be valid (a required field, or the selector's match). */
function requiredPath(target: 'pod' | 'deployment', path: Path): boolean {
  const p = path.map((k) => (typeof k === 'number' ? '#' : k)).join('.');
  // (Not kind or apiVersion: a body may leave them out, the URL says what they are.)
  const common = ['metadata', 'metadata.name', 'spec'];
  const pod = ['spec.containers', 'spec.containers.#.name', 'spec.containers.#.image'];
  const deployment = [
    'spec.selector',
    'spec.selector.matchLabels',
    'spec.template',
    'spec.template.metadata',
    'spec.template.metadata.labels',
    'spec.template.spec',
    'spec.template.spec.containers',
    'spec.template.spec.containers.#.name',
    'spec.template.spec.containers.#.image',
  ];
  // The only container or selector label: deleting it empties what must not be empty.
  if (p === 'spec.containers.#' || p === 'spec.template.spec.containers.#' || p === 'spec.selector.matchLabels.app' || p === 'spec.template.metadata.labels.app') return true;
  return [...common, ...(target === 'pod' ? pod : deployment)].includes(p);
}

/** Corruptions that make any object of the kind invalid. */
const INVALID: Readonly<Record<'pod' | 'deployment', readonly [Path, unknown][]>> = {
  pod: [
    [['metadata', 'name'], 'UPPER'],
    [['metadata', 'name'], 'a/b'],
    [['spec', 'containers'], []],
    [['spec', 'containers', 0, 'image'], ''],
    [['spec', 'containers', 0, 'name'], 'Not_A_Label'],
    [['spec', 'containers', 0, 'resources'], { limits: { cpu: 'lots' } }],
    [['spec', 'containers', 0, 'ports'], [{ containerPort: 0 }]],
    [['spec', 'restartPolicy'], 'Sometimes'],
    [['metadata', 'labels'], { 'bad key': 'x' }],
    [['kind'], 'Deployment'],
  ],
  deployment: [
    [['metadata', 'name'], 'UPPER'],
    [['spec', 'replicas'], -1],
    [['spec', 'selector'], { matchLabels: { other: 'x' } }],
    [['spec', 'template', 'spec', 'containers'], []],
    [['spec', 'template', 'spec', 'containers', 0, 'image'], ''],
    [['spec', 'template', 'spec', 'restartPolicy'], 'Never'],
    [['spec', 'template', 'spec', 'containers', 0, 'resources'], { requests: { memory: '-1' } }],
    [['spec', 'strategy'], { type: 'Sideways' }],
    [['apiVersion'], 'apps/v2'],
  ],
};

interface Corrupted {
  readonly object: Record<string, unknown>;
  readonly description: string;
  readonly mustReject: boolean;
}

function corrupt(base: Record<string, unknown>, m: Mutation): Corrupted {
  const object = structuredClone(base);
  const c = m.corruption;
  if (c.kind === 'invalid') {
    const table = INVALID[m.target];
    const [path, value] = table[c.which % table.length]!;
    setAt(object, path, value);
    return { object, description: `set ${path.join('.')} to ${JSON.stringify(value)}`, mustReject: true };
  }
  // Server-owned metadata is restored on update whatever a client sends; corrupting it says nothing.
  const paths = pathsOf(base).filter((p) => !(m.mode === 'update' && p[0] === 'metadata' && ['uid', 'creationTimestamp', 'generation', 'managedFields', 'resourceVersion'].includes(String(p[1]))));
  const path = paths[c.at % paths.length]!;
  if (c.kind === 'delete') {
    deleteAt(object, path);
    return { object, description: `delete ${path.join('.')}`, mustReject: requiredPath(m.target, path) };
  }
  setAt(object, path, c.value);
  const want = declaredType(path);
  const wrongType = want !== undefined && c.value !== null && jsonType(c.value) !== want && !(want === 'integer' && jsonType(c.value) === 'integer');
  return { object, description: `set ${path.join('.')} to ${JSON.stringify(c.value)?.slice(0, 40)}`, mustReject: wrongType };
}

async function runMutation(srv: InProcessServer, m: Mutation): Promise<void> {
  const kind: Kind = m.target;
  const name = m.mode === 'create' ? 'mutant' : m.target === 'pod' ? FIXTURES.pod : FIXTURES.deployment;
  let base: Record<string, unknown>;
  if (m.mode === 'create') base = manifest(kind, name, { app: 'mutant' });
  else {
    const got = await srv.handle(apiRequest('GET', itemPath(kind, 'default', name)));
    base = jsonBody(got);
  }
  const { object, description, mustReject } = corrupt(base, m);
  const method = m.mode === 'create' ? 'POST' : 'PUT';
  const path = m.mode === 'create' ? collectionPath(kind, 'default') : itemPath(kind, 'default', name);
  const before = await snapshot(srv.store);
  const a = await srv.handle(apiRequest(method, path, { body: object }));
  a.stream?.close();
  const what = `${m.mode} of a ${kind} with ${description}`;
  check(a.status < 500, () => `${what}: answered ${a.status}: ${a.body?.slice(0, 400)}`);
  const after = await snapshot(srv.store);
  if (a.status >= 400) {
    const problem = failureStatusProblem(a);
    check(problem === undefined, () => `${what}: ${problem}`);
    const diff = snapshotDifference(before, after);
    check(diff === undefined, () => `${what}: refused with ${a.status} but changed the store: ${diff}`);
    return;
  }
  check(!mustReject, () => `${what}: must be refused, got ${a.status}: ${a.body?.slice(0, 300)}`);
  // Accepted: exactly one revision, holding exactly the object the answer shows.
  const stored = jsonBody(a);
  const meta = (stored.metadata ?? {}) as { name?: string; namespace?: string; resourceVersion?: string };
  const key = storeKey(kind, 'default', meta.name ?? '');
  check(after.revision === before.revision + 1, () => `${what}: accepted (${a.status}) with ${after.revision - before.revision} store revisions: ${snapshotDifference(before, after)}`);
  const others = snapshotDifference({ revision: before.revision, kvs: before.kvs.filter((kv) => kv.key !== key) }, { revision: after.revision, kvs: after.kvs.filter((kv) => kv.key !== key) });
  check(others === `revision ${before.revision} -> ${after.revision}`, () => `${what}: accepted, and wrote elsewhere than ${key}: ${others}`);
  const kv = after.kvs.find((e) => e.key === key);
  check(kv !== undefined && kv.modRevision === Number(meta.resourceVersion), () => `${what}: answered resourceVersion ${meta.resourceVersion}, ${key} is at ${kv?.modRevision}`);
  const { resourceVersion: _rv, ...storedMeta } = JSON.parse(kv!.value).metadata as Record<string, unknown>;
  const { resourceVersion: _arv, ...answeredMeta } = meta as Record<string, unknown>;
  check(isDeepStrictEqual({ apiVersion: stored.apiVersion, kind: stored.kind, ...JSON.parse(kv!.value), metadata: storedMeta }, { ...stored, metadata: answeredMeta }), () => `${what}: the answer differs from what was stored:\n answer ${JSON.stringify(stored)}\n stored ${kv!.value}`);
  if (m.mode === 'create') {
    const gone = await srv.handle(apiRequest('DELETE', itemPath(kind, 'default', meta.name ?? ''), { query: { gracePeriodSeconds: '0' } }));
    check(gone.status === 200, () => `${what}: cleaning up ${meta.name}: ${gone.status} ${gone.body}`);
  }
}

// ---- the suite ---------------------------------------------------------------------------------

describe('API server bad input', () => {
  labelSpec({ feature: 'apiserver', story: 'bad input', severity: 'critical' });
  describe('in process', () => {
    labelSpec({ target: 'reference API server (in process)' });
    let srv: InProcessServer;

    beforeAll(async () => {
      srv = await startInProcessServer();
      await createFixtures(async (method, path, body) => srv.handle(apiRequest(method, path, body ? { body } : {})));
    });
    afterAll(async () => {
      await srv?.close();
    });

    it(`malformed requests (${IN_PROCESS_RUNS} through handle()) never get a 5xx, are refused with a Status, and never change the store`, async () => {
      await assertProperty(
        fc.asyncProperty(badRequest, (c) =>
          judge(c, srv.store, async () => {
            const res = await srv.handle(toRequest(c, IN_PROCESS_TOKENS));
            res.stream?.close();
            return res;
          }),
        ),
        { file: FILE, numRuns: IN_PROCESS_RUNS },
      );
      // Still serving after all of it.
      const res = await srv.handle(apiRequest('GET', itemPath('pod', 'default', FIXTURES.pod)));
      check(res.status === 200, () => `the fixture pod after the run: ${res.status} ${res.body}`);
    });

    it('a valid object with one corrupted field: what must be refused is, with a Status and no write; what is accepted writes exactly that object', async () => {
      const mutants = await startInProcessServer({ seed: 2 });
      try {
        await createFixtures(async (method, path, body) => mutants.handle(apiRequest(method, path, body ? { body } : {})));
        await assertProperty(
          fc.asyncProperty(mutation, (m) => runMutation(mutants, m)),
          { file: FILE, numRuns: MUTATION_RUNS },
        );
      } finally {
        await mutants.close();
      }
    });
  });

  describe('over HTTPS', () => {
    labelSpec({ target: 'reference API server (HTTPS)' });
    let server: TestApiServer;
    let tokens: { admin: string; nobody: string };

    beforeAll(async () => {
      server = await startTestApiServer({ store: 'memory' });
      tokens = { admin: server.tokenOf('admin'), nobody: server.tokenOf('nobody') };
      await createFixtures(async (method, path, body) => httpsSend(server, apiRequest(method, path, { token: tokens.admin, ...(body ? { body } : {}) })));
    });
    afterAll(async () => {
      await server?.stop();
    });

    it(`malformed requests (${HTTPS_RUNS} over HTTPS) never get a 5xx, are refused with a Status, and never change the store`, async () => {
      await assertProperty(
        fc.asyncProperty(
          badRequest.filter((c) => c.method !== 'CONNECT'),
          (c) =>
            judge(c, server.store, async () => {
              try {
                const watch = c.query?.watch === 'true' || c.query?.watch === '1' || c.path.includes('/watch/');
                return await httpsSend(server, toRequest(c, tokens), 10_000, watch);
              } catch (e) {
                // Node's client refuses some requests itself (a method or header it will not send).
                const code = (e as { code?: string }).code ?? '';
                if (code.startsWith('ERR_INVALID') || code === 'ERR_UNESCAPED_CHARACTERS' || code === 'ERR_HTTP_INVALID_HEADER_VALUE') return 'client-refused';
                throw new Error(`${c.what} — ${c.method} ${c.path}: no answer over HTTPS: ${e instanceof Error ? e.message : String(e)}`);
              }
            }),
        ),
        { file: FILE, numRuns: HTTPS_RUNS },
      );
      const res = await httpsSend(server, apiRequest('GET', itemPath('pod', 'default', FIXTURES.pod), { token: tokens.admin }));
      check(res.status === 200, () => `the fixture pod after the run: ${res.status} ${res.body}`);
    });

    it('a body over the limit gets 413 with a Status before it is read in full, and the server keeps serving', async () => {
      await assertProperty(
        fc.asyncProperty(fc.integer({ min: 1, max: 2 * 1024 * 1024 }), fc.constantFrom<Kind>('pod', 'deployment', 'namespace'), async (over, kind) => {
          const before = await snapshot(server.store);
          const text = JSON.stringify(manifest(kind, FIXTURES.missing));
          const body = encodeBody(text + ' '.repeat(DEFAULT_MAX_BODY_BYTES + over - Buffer.byteLength(text)));
          const a = await httpsSend(server, apiRequest('POST', collectionPath(kind, 'default'), { token: tokens.admin, body }), 30_000);
          check(a.status === 413, () => `a body ${over} bytes over the limit: want 413, got ${a.status} ${a.body.slice(0, 200)}`);
          const problem = failureStatusProblem(a);
          check(problem === undefined, () => `413: ${problem}`);
          const diff = snapshotDifference(before, await snapshot(server.store));
          check(diff === undefined, () => `a refused oversized body changed the store: ${diff}`);
          const next = await httpsSend(server, apiRequest('GET', '/healthz', { token: tokens.admin }));
          check(next.status === 200, () => `after a 413 the server answers /healthz with ${next.status}`);
        }),
        { file: FILE, numRuns: 5 },
      );
    });
  });
});
