// Generators of malformed API requests for the bad-input property: broken JSON and YAML,
// wrong content types, protobuf garbage, unknown or mismatched kinds, bad names, selectors
// and query values, bad patches of every patch type, invalid field values, deep nesting,
// oversized bodies, wrong methods, unknown paths and missing or wrong credentials.
//
// Every write here is one the server must refuse, whatever it does with the rest of the
// request: each one targets a fixture object (see FIXTURES) or a name that does not exist,
// and carries a defect upstream Kubernetes rejects. Reads may be answered with anything below
// 500. So a changed store after any of these requests is a bug, never a generator's slip.

import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import type { JsonObject } from '../../impl/apiserver/protobuf/json.js';
import { encodeKubernetesProtobuf } from '../../impl/apiserver/protobuf/testing/encode-message.js';
import { WireWriter } from '../../impl/apiserver/protobuf/testing/wire-writer.js';
import { manifest } from './objects.js';

/** Who sends a request: a token holder, nobody at all, or a raw Authorization header. */
export type Auth = 'admin' | 'nobody' | 'none' | { readonly header: string };

/**
 * A long body, built at send time so counterexamples stay short: `before`, `open` repeated
 * `times`, `middle`, `close` repeated `times`, `after` (deep nesting, or padding past the limit).
 */
export interface RepeatedBody {
  readonly before: string;
  readonly open: string;
  readonly times: number;
  readonly middle: string;
  readonly close: string;
  readonly after: string;
}

export function buildBody(b: RepeatedBody): string {
  return b.before + b.open.repeat(b.times) + b.middle + b.close.repeat(b.times) + b.after;
}

/**
 * What the answer must be: 'any' below 500 (reads), '4xx' (the request is invalid), or the
 * exact codes allowed.
 */
export type Expectation = 'any' | '4xx' | readonly number[];

export interface BadRequest {
  /** The defect, for the failure report. */
  readonly what: string;
  readonly method: string;
  /** Exactly as it would arrive: percent-escapes kept. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly contentType?: string;
  readonly body?: string | Uint8Array | RepeatedBody;
  readonly auth?: Auth;
  readonly expect: Expectation;
}

// ---- the fixtures every run may aim at --------------------------------------------------

/** A pod, a deployment and a namespace that exist before the first request, and a name that never does. */
export const FIXTURES = { pod: 'web', deployment: 'app', namespace: 'ns2', missing: 'fresh' } as const;

const PODS = '/api/v1/namespaces/default/pods';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const NAMESPACES = '/api/v1/namespaces';
const WEB = `${PODS}/${FIXTURES.pod}`;
const APP = `${DEPLOYMENTS}/${FIXTURES.deployment}`;
const NS2 = `${NAMESPACES}/${FIXTURES.namespace}`;

const freshPod = () => manifest('pod', FIXTURES.missing);
const freshDeployment = () => manifest('deployment', FIXTURES.missing);
const freshNamespace = () => manifest('namespace', FIXTURES.missing);

/** A request the server would accept were it not for its one defect. */
interface ValidWrite {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown> | unknown[];
  readonly contentType: string;
  readonly query?: Readonly<Record<string, string>>;
}

const VALID_WRITES: readonly ValidWrite[] = [
  { method: 'POST', path: PODS, body: freshPod(), contentType: 'application/json' },
  { method: 'POST', path: DEPLOYMENTS, body: freshDeployment(), contentType: 'application/json' },
  { method: 'POST', path: NAMESPACES, body: freshNamespace(), contentType: 'application/json' },
  { method: 'PUT', path: WEB, body: manifest('pod', FIXTURES.pod, { app: 'changed' }), contentType: 'application/json' },
  { method: 'PUT', path: APP, body: manifest('deployment', FIXTURES.deployment, { app: 'changed' }), contentType: 'application/json' },
  { method: 'PATCH', path: WEB, body: { metadata: { labels: { app: 'changed' } } }, contentType: 'application/merge-patch+json' },
  { method: 'PATCH', path: APP, body: { spec: { replicas: 3 } }, contentType: 'application/strategic-merge-patch+json' },
  { method: 'PATCH', path: WEB, body: [{ op: 'add', path: '/metadata/labels/changed', value: 'yes' }], contentType: 'application/json-patch+json' },
  {
    method: 'PATCH',
    path: `${PODS}/${FIXTURES.missing}`,
    body: freshPod(),
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: 'spec' },
  },
];
const validWrite = fc.constantFrom(...VALID_WRITES);

const CREATES: readonly { readonly path: string; readonly object: () => Record<string, unknown> }[] = [
  { path: PODS, object: freshPod },
  { path: DEPLOYMENTS, object: freshDeployment },
  { path: NAMESPACES, object: freshNamespace },
];
const createTarget = fc.constantFrom(...CREATES);

/** Object bodies (POST creates, PUT replaces) that would be valid. */
const OBJECT_WRITES: readonly { readonly method: string; readonly path: string; readonly object: () => Record<string, unknown> }[] = [
  ...CREATES.map((c) => ({ method: 'POST', ...c })),
  { method: 'PUT', path: WEB, object: () => manifest('pod', FIXTURES.pod, { app: 'changed' }) },
  { method: 'PUT', path: APP, object: () => manifest('deployment', FIXTURES.deployment, { app: 'changed' }) },
];
const objectWrite = fc.constantFrom(...OBJECT_WRITES);

function json(write: { method: string; path: string }, body: string | Uint8Array, what: string, contentType = 'application/json'): BadRequest {
  return { what, method: write.method, path: write.path, contentType, body, expect: '4xx' };
}

function withKey(obj: Record<string, unknown>, path: readonly (string | number)[], value: unknown): Record<string, unknown> {
  const out = structuredClone(obj);
  let at: Record<string | number, unknown> = out;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return out;
}

function withoutKey(obj: Record<string, unknown>, path: readonly (string | number)[]): Record<string, unknown> {
  const out = structuredClone(obj);
  let at: Record<string | number, unknown> = out;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  delete at[path[path.length - 1]!];
  return out;
}

// ---- broken JSON ------------------------------------------------------------------------

const brokenJson: fc.Arbitrary<BadRequest> = objectWrite.chain((w) => {
  const text = JSON.stringify(w.object());
  const bytes = new TextEncoder().encode(text);
  return fc.oneof(
    fc.nat(text.length - 1).map((n) => json(w, text.slice(0, n), `JSON cut after ${n} characters`)),
    fc.constantFrom('}', ',', 'x', ']', '{', '"', 'null', '\u0000').map((g) => json(w, text + g, `JSON followed by ${JSON.stringify(g)}`)),
    fc.constant(json(w, text.replace(/}$/, ',}'), 'JSON with a trailing comma')),
    fc.constant(json(w, text.replaceAll('"', "'"), 'JSON with single quotes')),
    fc.constant(json(w, `// a comment\n${text}`, 'JSON with a comment')),
    fc.constantFrom('NaN', 'Infinity', '-Infinity', 'undefined', '0x10', '01').map((v) => json(w, text.replace('"busybox:1.36"', v).replace('"Namespace"', v), `JSON with the literal ${v}`)),
    fc.constant(null).map(() => {
      // Inside the name (the first "name" is metadata's): upstream would decode the byte as U+FFFD, which no name allows.
      const at = text.indexOf('"name":"') + 9;
      const out = new Uint8Array(bytes.length + 1);
      out.set(bytes.subarray(0, at));
      out[at] = 0xff;
      out.set(bytes.subarray(at), at + 1);
      return json(w, out, 'JSON with an invalid UTF-8 byte in the name');
    }),
    fc.jsonValue().map((v) => json(w, JSON.stringify(v) ?? 'null', 'JSON of another shape')),
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => json(w, s, 'random text as JSON')),
    fc.uint8Array({ maxLength: 40 }).map((b) => json(w, b, 'random bytes as JSON')),
  );
});

// ---- broken YAML ------------------------------------------------------------------------

function billionLaughs(levels: number): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

const brokenYaml: fc.Arbitrary<BadRequest> = objectWrite.chain((w) => {
  const text = toYaml(w.object());
  const y = (body: string, what: string): BadRequest => json(w, body, what, 'application/yaml');
  return fc.oneof(
    fc.constant(y(text.replace('\n  ', '\n\t'), 'YAML indented with a tab')),
    fc.constant(y(`${text}extra: [a, b\n`, 'YAML with an unclosed flow sequence')),
    fc.constant(y(`${text}extra: {a: b\n`, 'YAML with an unclosed flow mapping')),
    fc.constant(y(text.replace(/name: (\S+)/, 'name: "$1'), 'YAML with an unterminated quote')),
    fc.constant(y(`${text}apiVersion: v1\n`, 'YAML with a duplicate key')),
    fc.constant(y(`${text}extra: *nope\n`, 'YAML with an undefined alias')),
    fc.constant(y(`${text}---\n${text}`, 'YAML with two documents')),
    fc.integer({ min: 3, max: 6 }).map((n) => y(`${text}${billionLaughs(n)}\n`, `YAML alias bomb of ${n} levels`)),
    fc.constant(y(text.replace(/^kind: (\S+)/m, 'kind: $1: x'), 'YAML with a nested mapping in a compact one')),
    fc.constantFrom('- a\n- b\n', 'just a string\n', '42\n', '~\n', '[1, 2]\n', '"quoted"\n', 'true\n').map((s) => y(s, 'YAML that is not a mapping')),
    fc.string({ maxLength: 40 }).map((s) => y(s, 'random text as YAML')),
  );
});

// ---- deep nesting -------------------------------------------------------------------------

/** Deeper than upstream's decoders allow (10000): every such body is a 400 there. */
const tooDeep = fc.integer({ min: 10_001, max: 30_000 });

const nested = (before: string, open: string, times: number, middle: string, close: string, after: string): RepeatedBody => ({ before, open, times, middle, close, after });

const deepNesting: fc.Arbitrary<BadRequest> = fc.oneof(
  fc.tuple(createTarget, tooDeep, fc.constantFrom(['{"a":', '}'], ['[', ']'])).map(([t, d, [open, close]]) => ({
    what: `create with an unknown field ${d} deep`,
    method: 'POST',
    path: t.path,
    contentType: 'application/json',
    body: nested(JSON.stringify(t.object()).replace(/}$/, ',"extra":'), open!, d, '1', close!, '}'),
    expect: '4xx' as const,
  })),
  fc.tuple(fc.constantFrom(WEB, APP), tooDeep, fc.constantFrom('application/merge-patch+json', 'application/strategic-merge-patch+json')).map(([path, d, contentType]) => ({
    what: `${contentType} patch ${d} deep`,
    method: 'PATCH',
    path,
    contentType,
    body: nested('{"metadata":{"labels":{"deep":"yes"}},"extra":', '{"a":', d, '1', '}', '}'),
    expect: '4xx' as const,
  })),
  fc.tuple(fc.constantFrom(WEB, APP), tooDeep).map(([path, d]) => ({
    what: `JSON patch with a value ${d} deep`,
    method: 'PATCH',
    path,
    contentType: 'application/json-patch+json',
    body: nested('[{"op":"add","path":"/metadata/annotations","value":{"x":"y"}},{"op":"add","path":"/extra","value":', '{"a":', d, '1', '}', '}]'),
    expect: '4xx' as const,
  })),
  fc.tuple(createTarget, tooDeep, fc.constantFrom('[', '{a: ', '- ')).map(([t, d, open]) => ({
    what: `YAML nested ${d} deep with ${JSON.stringify(open)}`,
    method: 'POST',
    path: t.path,
    contentType: 'application/yaml',
    body: nested(`${toYaml(t.object())}extra: ${open === '- ' ? '\n  ' : ''}`, open, d, 'x', '', '\n'),
    expect: '4xx' as const,
  })),
  tooDeep.map((d) => ({
    what: `apply patch nested ${d} deep`,
    method: 'PATCH',
    path: `${PODS}/${FIXTURES.missing}`,
    query: { fieldManager: 'spec' },
    contentType: 'application/apply-patch+yaml',
    body: nested(`${toYaml(freshPod())}extra: `, '[', d, 'x', ']', '\n'),
    expect: '4xx' as const,
  })),
);

// ---- content types ------------------------------------------------------------------------

const OBJECT_TYPES = new Set(['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'application/vnd.kubernetes.protobuf']);
const PATCH_TYPES = new Set(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);

const someMediaType = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'application/xml',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/cbor',
    'image/png',
    'json',
    '*/*',
    'application/*',
    'application/json-seq',
    ';;;',
    'application/ json',
  ),
  fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9.+-]{1,16}$/),
);

const wrongContentType: fc.Arbitrary<BadRequest> = fc.oneof(
  fc.tuple(objectWrite, fc.oneof(someMediaType, fc.constantFrom(...PATCH_TYPES)).filter((t) => !OBJECT_TYPES.has(t))).map(([w, contentType]) => ({
    what: `${w.method} of an object as ${contentType}`,
    method: w.method,
    path: w.path,
    contentType,
    body: JSON.stringify(w.object()),
    expect: '4xx' as const,
  })),
  fc.tuple(objectWrite).map(([w]) => ({
    what: `${w.method} of a JSON object labelled protobuf`,
    method: w.method,
    path: w.path,
    contentType: 'application/vnd.kubernetes.protobuf',
    body: JSON.stringify(w.object()),
    expect: '4xx' as const,
  })),
  fc.tuple(fc.constantFrom(WEB, APP), fc.oneof(someMediaType, fc.constantFrom(...OBJECT_TYPES)).filter((t) => !PATCH_TYPES.has(t))).map(([path, contentType]) => ({
    what: `PATCH as ${contentType}`,
    method: 'PATCH',
    path,
    contentType,
    body: JSON.stringify({ metadata: { labels: { app: 'changed' } } }),
    expect: '4xx' as const,
  })),
);

// ---- protobuf ---------------------------------------------------------------------------

const MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function envelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  return new WireWriter()
    .raw(MAGIC)
    .message(1, (w) => w.string(1, apiVersion).string(2, kind))
    .bytes(2, raw)
    .finish();
}

const PROTOBUF_CREATES = [
  { path: DEPLOYMENTS, apiVersion: 'apps/v1', kind: 'Deployment', object: freshDeployment },
  { path: NAMESPACES, apiVersion: 'v1', kind: 'Namespace', object: freshNamespace },
  { path: PODS, apiVersion: 'v1', kind: 'Pod', object: freshPod },
] as const;

const protobuf: fc.Arbitrary<BadRequest> = fc.constantFrom(...PROTOBUF_CREATES).chain((t) => {
  const valid = encodeKubernetesProtobuf(t.object() as JsonObject, 'sparse');
  const pb = (body: Uint8Array, what: string): BadRequest => ({ what, method: 'POST', path: t.path, contentType: 'application/vnd.kubernetes.protobuf', body, expect: '4xx' });
  return fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((b) => pb(concat(MAGIC, b), 'the protobuf magic and random bytes')),
    fc.uint8Array({ maxLength: 64 }).map((b) => pb(envelope(t.apiVersion, t.kind, b), `a ${t.kind} envelope around random bytes`)),
    // The envelope ends with the raw object and two empty strings (2 bytes each): a cut of 5 or more leaves the object short or missing.
    fc.integer({ min: 5, max: valid.length - MAGIC.length }).map((n) => pb(valid.subarray(0, valid.length - n), `a ${t.kind} cut by ${n} bytes`)),
    fc.constant(pb(valid.subarray(MAGIC.length), `a ${t.kind} without the magic`)),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => pb(b, 'random bytes as protobuf')),
    fc
      .constantFrom(...PROTOBUF_CREATES.filter((o) => o.kind !== t.kind))
      .map((o) => pb(encodeKubernetesProtobuf(o.object() as JsonObject, 'sparse'), `a ${o.kind} sent to ${t.path}`)),
    fc.constantFrom(['v1', 'Node'], ['v1', 'Foo'], ['apps/v2', 'Deployment'], ['', '']).map(([v, k]) => pb(envelope(v!, k!, new Uint8Array()), `an envelope of ${v} ${k}`)),
  );
});

// ---- kinds and apiVersions ------------------------------------------------------------------

const wrongKind: fc.Arbitrary<BadRequest> = fc.oneof(
  // (A missing, empty or null kind or apiVersion is filled in from the URL, as upstream.)
  fc.tuple(objectWrite, fc.constantFrom<[string, unknown]>(['kind', 'Foo'], ['kind', 'pod'], ['kind', 5], ['kind', ['Pod']], ['apiVersion', 'v2'], ['apiVersion', 'apps/v2'], ['apiVersion', 'extensions/v1beta1'], ['apiVersion', 7])).map(([w, [k, v]]) => ({
    what: `${w.method} with ${k} ${JSON.stringify(v)}`,
    method: w.method,
    path: w.path,
    contentType: 'application/json',
    body: JSON.stringify(withKey(w.object(), [k], v)),
    expect: '4xx' as const,
  })),
  fc.tuple(fc.constantFrom(...CREATES), fc.constantFrom(...CREATES)).filter(([a, b]) => a.path !== b.path).map(([to, from]) => ({
    what: `a ${String(from.object().kind)} posted to ${to.path}`,
    method: 'POST',
    path: to.path,
    contentType: 'application/json',
    body: JSON.stringify(from.object()),
    expect: '4xx' as const,
  })),
  fc
    .constantFrom(
      '/apis/foo.example.com/v1/namespaces/default/foos',
      '/api/v2/namespaces/default/pods',
      '/apis/apps/v2/namespaces/default/deployments',
      '/apis/apps/v1beta1/namespaces/default/deployments',
      '/api/v1/namespaces/default/podz',
      '/apis/apps/v1/namespaces/default/pods',
      '/api/v1/namespaces/default/deployments',
      '/apis/extensions/v1beta1/namespaces/default/deployments',
    )
    .chain((path) => validWrite.map((w) => ({ what: `${w.method} to an unserved resource`, method: w.method, path, contentType: w.contentType, body: JSON.stringify(w.body), expect: '4xx' as const }))),
);

// ---- names --------------------------------------------------------------------------------

const BAD_NAMES = ['Web', 'UPPER', 'has space', 'a/b', '..', '.', '-lead', 'trail-', 'a_b', 'pöd', '名前', 'x'.repeat(254), '', ' ', 'a\u0000b', 'web\n', 'a:b', '@'];
/** Namespaces are DNS labels: no dots, at most 63 characters. */
const BAD_NAMESPACE_NAMES = [...BAD_NAMES, 'a.b', 'a'.repeat(64)];

const badName: fc.Arbitrary<BadRequest> = fc.oneof(
  fc.tuple(createTarget, fc.constantFrom(...BAD_NAMESPACE_NAMES)).map(([t, name]) => {
    const ok = t.path === NAMESPACES || !['a.b', 'a'.repeat(64)].includes(name);
    return {
      what: `create named ${JSON.stringify(name.slice(0, 20))}`,
      method: 'POST',
      path: t.path,
      contentType: 'application/json',
      body: JSON.stringify(withKey(t.object(), ['metadata', 'name'], ok ? name : 'UPPER')),
      expect: '4xx' as const,
    };
  }),
  // (A long generateName is cut to fit, as upstream: not a defect.)
  fc.tuple(createTarget, fc.constantFrom('UPPER-', 'a_', 'pöd-', '-', '..')).map(([t, generateName]) => ({
    what: `create with generateName ${JSON.stringify(generateName.slice(0, 20))}`,
    method: 'POST',
    path: t.path,
    contentType: 'application/json',
    body: JSON.stringify(withKey(withoutKey(t.object(), ['metadata', 'name']), ['metadata', 'generateName'], generateName)),
    expect: '4xx' as const,
  })),
  fc
    .tuple(fc.constantFrom(...CREATES.slice(0, 2)), fc.constantFrom(...BAD_NAMES), fc.constantFrom('GET', 'DELETE', 'PUT', 'PATCH'))
    // GET and DELETE of ".../pods/" are a valid list and collection delete, upstream too.
    .filter(([, name, method]) => !((method === 'DELETE' || method === 'GET') && name === ''))
    .map(([t, name, method]) => ({
    what: `${method} of the item ${JSON.stringify(name.slice(0, 20))}`,
    method,
    path: `${t.path}/${encodeURIComponent(name)}`,
    ...(method === 'PUT' || method === 'PATCH'
      ? {
          contentType: method === 'PUT' ? 'application/json' : 'application/apply-patch+yaml',
          query: { fieldManager: 'spec' },
          body: JSON.stringify(withKey(t.object(), ['metadata', 'name'], name)),
        }
      : {}),
    expect: '4xx' as const,
  })),
  fc.tuple(fc.constantFrom('UPPER', 'has%20space', '..', 'a.b', '%C3%A4', 'x'.repeat(70), 'missing'), fc.constantFrom(...CREATES.slice(0, 2))).map(([ns, t]) => ({
    what: `create in the namespace ${JSON.stringify(ns.slice(0, 20))}`,
    method: 'POST',
    path: t.path.replace('/default/', `/${ns}/`),
    contentType: 'application/json',
    body: JSON.stringify(t.object()),
    expect: '4xx' as const,
  })),
  fc.constantFrom(...CREATES.slice(0, 2)).map((t) => ({
    what: 'create whose namespace differs from the URL',
    method: 'POST',
    path: t.path,
    contentType: 'application/json',
    body: JSON.stringify(withKey(t.object(), ['metadata', 'namespace'], FIXTURES.namespace)),
    expect: '4xx' as const,
  })),
);

// ---- selectors ------------------------------------------------------------------------------

/** Label selectors upstream's parser refuses. */
const INVALID_LABEL_SELECTORS = ['a in (', '!', '=x', 'a in b', 'key with space=1', 'ä=1', ',', 'a,,b', 'a notin', '(a)', 'a=b=c', 'a in (b,', `${'k'.repeat(64)}=v`, 'a=' + 'v'.repeat(64)];
/** Field selectors upstream refuses for pods: no operator, or fields it does not index. */
const INVALID_FIELD_SELECTORS = ['metadata.name', 'spec.unknown=x', 'metadata.labels=x', 'status.phase~Running', '=x', 'spec.containers=x'];

const LIST_PATHS = [PODS, DEPLOYMENTS, '/api/v1/pods', '/apis/apps/v1/deployments', NAMESPACES, '/api/v1/namespaces/default/events'];
const listPath = fc.constantFrom(...LIST_PATHS);
const garbage = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('', ' ', '\u0000', '%', '=', '!=', '==', 'in', '()', '\n'));

const badSelector: fc.Arbitrary<BadRequest> = fc.oneof(
  fc.tuple(listPath, fc.oneof(fc.constantFrom(...INVALID_LABEL_SELECTORS), garbage), fc.boolean()).map(([path, labelSelector, watch]) => ({
    what: `${watch ? 'watch' : 'list'} with labelSelector ${JSON.stringify(labelSelector)}`,
    method: 'GET',
    path,
    query: { labelSelector, ...(watch ? { watch: 'true' } : {}) },
    expect: 'any' as const,
  })),
  fc.tuple(listPath, fc.oneof(fc.constantFrom(...INVALID_FIELD_SELECTORS), garbage), fc.boolean()).map(([path, fieldSelector, watch]) => ({
    what: `${watch ? 'watch' : 'list'} with fieldSelector ${JSON.stringify(fieldSelector)}`,
    method: 'GET',
    path,
    query: { fieldSelector, ...(watch ? { watch: 'true' } : {}) },
    expect: 'any' as const,
  })),
  // A collection delete with a valid selector would delete: only refused selectors here.
  fc.tuple(fc.constantFrom(PODS, DEPLOYMENTS), fc.oneof(fc.record({ labelSelector: fc.constantFrom(...INVALID_LABEL_SELECTORS) }), fc.record({ fieldSelector: fc.constantFrom(...INVALID_FIELD_SELECTORS) }))).map(([path, query]) => ({
    what: `deletecollection with ${JSON.stringify(query)}`,
    method: 'DELETE',
    path,
    query,
    expect: '4xx' as const,
  })),
);

// ---- query values ---------------------------------------------------------------------------

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const BAD_CONTINUE = [
  'garbage',
  '!!!',
  b64('not json'),
  b64('[1]'),
  b64('null'),
  b64({ rv: '1', start: 'x' }),
  b64({ rv: 1 }),
  b64({ start: 'x' }),
  b64({ rv: -1, start: '/registry/pods/default/' }),
  b64({ rv: 1.5, start: '/registry/pods/default/' }),
  b64({ rv: 0, start: '/registry/pods/default/' }),
  // A revision the server never reached, and start keys outside the listed resource.
  b64({ rv: 1_000_000_000, start: '/registry/pods/default/a' }),
  b64({ rv: 1, start: '/registry/a' }),
  b64({ rv: 12, start: '/registry/a' }),
  b64({ rv: 0, start: '/registry/a' }),
  b64({ rv: 1, start: '' }),
  b64({ rv: 1, start: '/registry/pods/default/../../clusterroles/' }),
];
const NOT_A_NUMBER = ['abc', '-1', '1.5', ' 1', '1 ', '1e3', '0x10', 'NaN', 'Infinity', '-Infinity', '99999999999999999999', '١', '1_000', '+-1', ''];
/** Not integers in Go's strconv.ParseInt(s, 10, 64): upstream answers 400 for each. */
const NOT_AN_INT64 = ['abc', '1.5', ' 1', '1 ', '1e3', '0x10', 'NaN', 'Infinity', '-Infinity', '99999999999999999999', '١', '1_000', '+-1', '--1'];
const BAD_RESOURCE_VERSIONS = ['abc', '-1', '1.5', ' 1', '1e3', '0x10', 'NaN', '١', '+1', '-0'];

const readQuery: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.record({ limit: fc.oneof(fc.constantFrom(...NOT_A_NUMBER), garbage) }),
  fc.record({ continue: fc.oneof(fc.constantFrom(...BAD_CONTINUE), garbage), limit: fc.constantFrom('1', '500', '') }, { requiredKeys: ['continue'] }),
  fc.record({ resourceVersion: fc.oneof(fc.constantFrom(...BAD_RESOURCE_VERSIONS), garbage.filter((s) => !/^\d+$/.test(s))) }),
  fc.record({
    resourceVersion: fc.constantFrom(...BAD_RESOURCE_VERSIONS),
    resourceVersionMatch: fc.constantFrom('Exact', 'NotOlderThan', 'bogus', ''),
  }),
  fc.record({ resourceVersionMatch: fc.oneof(fc.constantFrom('Exact', 'NotOlderThan', 'bogus'), garbage) }),
  fc.record({ watch: fc.oneof(fc.constantFrom('yes', 'TRUE', '2', 'false', '0'), garbage) }),
  fc.record({ watch: fc.constant('true'), timeoutSeconds: fc.oneof(fc.constantFrom(...NOT_A_NUMBER, '1e999'), garbage) }),
  fc.record({ watch: fc.constant('true'), resourceVersion: fc.oneof(fc.constantFrom(...BAD_RESOURCE_VERSIONS), garbage.filter((s) => !/^\d+$/.test(s))) }),
  fc.record({ watch: fc.constant('true'), allowWatchBookmarks: garbage, sendInitialEvents: garbage }),
  fc.record({ includeObject: garbage, pretty: garbage, export: garbage }),
);

const badReadQuery: fc.Arbitrary<BadRequest> = fc.tuple(fc.constantFrom(...LIST_PATHS, WEB, APP, NS2, `${APP}/scale`, `${WEB}/status`), readQuery).map(([path, query]) => ({
  what: `read with ${JSON.stringify(query)}`,
  method: 'GET',
  path,
  query,
  expect: 'any' as const,
}));

const BAD_PROPAGATION = ['foreground', 'background', 'orphan', 'Bogus', 'Foreground,Background', ' Foreground', 'Foreground '];
const BAD_DRY_RUN = ['true', 'all', 'None', 'ALL', '1', 'All,All', ' All'];
/** DeleteOptions bodies with wrong types or values, or preconditions that do not hold. */
const BAD_DELETE_OPTIONS: readonly unknown[] = [
  { gracePeriodSeconds: '5' },
  { gracePeriodSeconds: 1.5 },
  { gracePeriodSeconds: true },
  { gracePeriodSeconds: 1e20 },
  { propagationPolicy: 5 },
  { propagationPolicy: 'foreground' },
  { propagationPolicy: ['Foreground'] },
  { preconditions: 'x' },
  { preconditions: [] },
  { preconditions: { uid: 5 } },
  { preconditions: { uid: 'not-the-uid' } },
  { preconditions: { resourceVersion: '1' } },
  { preconditions: { resourceVersion: 5 } },
  { dryRun: 'x' },
  { dryRun: [5] },
  { dryRun: ['All', 'x'] },
  { dryRun: {} },
  { orphanDependents: 'yes' },
  { orphanDependents: 1 },
  { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'nope' } },
  [],
  'x',
];

const badDelete: fc.Arbitrary<BadRequest> = fc.constantFrom(WEB, APP, NS2).chain((path) =>
  fc.oneof(
    fc.constantFrom(...NOT_AN_INT64).map((v) => ({ what: `delete with gracePeriodSeconds ${JSON.stringify(v)}`, method: 'DELETE', path, query: { gracePeriodSeconds: v }, expect: '4xx' as const })),
    fc.constantFrom(...BAD_PROPAGATION).map((v) => ({ what: `delete with propagationPolicy ${JSON.stringify(v)}`, method: 'DELETE', path, query: { propagationPolicy: v }, expect: '4xx' as const })),
    fc.constantFrom(...BAD_DRY_RUN).map((v) => ({ what: `delete with dryRun ${JSON.stringify(v)}`, method: 'DELETE', path, query: { dryRun: v }, expect: '4xx' as const })),
    fc.constantFrom(...BAD_DELETE_OPTIONS).map((v) => ({ what: `delete with options ${JSON.stringify(v)}`, method: 'DELETE', path, contentType: 'application/json', body: JSON.stringify(v), expect: '4xx' as const })),
    fc.tuple(someMediaType.filter((t) => !OBJECT_TYPES.has(t))).map(([contentType]) => ({
      what: `delete with options as ${contentType}`,
      method: 'DELETE',
      path,
      contentType,
      body: JSON.stringify({ propagationPolicy: 'Background' }),
      expect: '4xx' as const,
    })),
    fc.constantFrom('{', '{"gracePeriodSeconds":', '\u00ff').map((b) => ({ what: 'delete with broken options', method: 'DELETE', path, contentType: 'application/json', body: b, expect: '4xx' as const })),
  ),
);

/** Negative grace periods: upstream treats them as 1s, so only against names that do not exist. */
const negativeGraceOnMissing: fc.Arbitrary<BadRequest> = fc.constantFrom('-1', '-100').map((v) => ({
  what: `delete of a missing pod with gracePeriodSeconds ${v}`,
  method: 'DELETE',
  path: `${PODS}/${FIXTURES.missing}`,
  query: { gracePeriodSeconds: v },
  expect: '4xx' as const,
}));

const BAD_FIELD_VALIDATION = ['strict', 'warn', 'ignore', 'None', 'true', 'Strict,Warn', ' Strict', 'STRICT'];

const badWriteQuery: fc.Arbitrary<BadRequest> = fc.tuple(validWrite, fc.oneof(fc.record({ fieldValidation: fc.constantFrom(...BAD_FIELD_VALIDATION) }), fc.record({ dryRun: fc.constantFrom(...BAD_DRY_RUN) }))).map(([w, q]) => ({
  what: `${w.method} ${w.contentType} with ${JSON.stringify(q)}`,
  method: w.method,
  path: w.path,
  query: { ...(w.query ?? {}), ...q },
  contentType: w.contentType,
  body: JSON.stringify(w.body),
  expect: '4xx' as const,
}));

// ---- patches --------------------------------------------------------------------------------

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

/** JSON patches that fail on the pod and the deployment alike. */
const BAD_JSON_PATCHES: readonly unknown[] = [
  {},
  'x',
  null,
  5,
  [5],
  [null],
  [{ op: 'frob', path: '/metadata/labels/x', value: 'y' }],
  [{ path: '/metadata/labels/x', value: 'y' }],
  [{ op: 'add', value: 'y' }],
  [{ op: 'add', path: 'metadata/labels/x', value: 'y' }],
  [{ op: 'remove', path: '/metadata/nope' }],
  [{ op: 'replace', path: '/spec/nope', value: 1 }],
  [{ op: 'add', path: '/spec/nope/deeper', value: 1 }],
  [{ op: 'test', path: '/metadata/name', value: 'other' }],
  [{ op: 'move', from: '/metadata/nope', path: '/metadata/x' }],
  [{ op: 'copy', from: '/metadata/nope', path: '/metadata/x' }],
  [{ op: 'replace', path: '/metadata/name', value: 'other' }],
  [{ op: 'replace', path: '/metadata/namespace', value: 'other' }],
  [{ op: 'replace', path: '/kind', value: 'Service' }],
  [{ op: 'replace', path: '/apiVersion', value: 'v9' }],
  [{ op: 'remove', path: '/metadata' }],
  [{ op: 'replace', path: '/metadata', value: null }],
  [{ op: 'replace', path: '/spec', value: 'x' }],
  [{ op: 'add', path: '/metadata/labels', value: { 'bad key': 'v' } }],
  [{ op: 'add', path: '/metadata/labels', value: { a: 5 } }],
  [{ op: 'add', path: '/metadata/labels', value: 'x' }],
  [
    { op: 'add', path: '/metadata/labels', value: { ok: 'yes' } },
    { op: 'remove', path: '/metadata/nope' },
  ],
];

/** Merge and strategic merge patches that are refused for both. */
const BAD_MERGE_PATCHES: readonly unknown[] = [
  [1, 2],
  [],
  'x',
  5,
  true,
  null,
  { metadata: null },
  { metadata: 'x' },
  { metadata: { name: 'other' } },
  { metadata: { namespace: 'other' } },
  { kind: 'Service' },
  { apiVersion: 'v9' },
  { metadata: { labels: { 'bad key': 'v' } } },
  { metadata: { labels: 'x' } },
  { metadata: { labels: { a: 5 } } },
  { metadata: { labels: { a: 'v'.repeat(64) } } },
  { metadata: { annotations: { 'bad key!': 'v' } } },
  { metadata: { finalizers: 'x' } },
  { spec: 'x' },
];

const POD_ONLY_PATCHES: readonly unknown[] = [
  { spec: { containers: 'x' } },
  { spec: { containers: [{ name: 'main', image: '' }] } },
  { spec: { restartPolicy: 'Sometimes' } },
];

const DEPLOYMENT_ONLY_PATCHES: readonly unknown[] = [
  { spec: { replicas: -1 } },
  { spec: { replicas: '3' } },
  { spec: { replicas: 1.5 } },
  { spec: { replicas: 2147483648 } },
  { spec: { selector: { matchLabels: { other: 'x' } } } },
  { spec: { template: { spec: { containers: [{ name: 'main', image: 'b', resources: { limits: { cpu: 'abc' } } }] } } } },
  { spec: { template: { spec: { containers: [{ name: 'main', image: 'b', resources: { requests: { memory: '-1' } } }] } } } },
  { spec: { strategy: { type: 'Sideways' } } },
];

/** Directive and merge-key errors, each aimed at the object that has the list. */
const STRATEGIC_ONLY_PATCHES: readonly (readonly [string, unknown])[] = [
  [WEB, { spec: { containers: [{ $patch: 'bogus', name: 'main' }] } }],
  [WEB, { spec: { containers: [{ image: 'x' }] } }],
  [APP, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }],
  [APP, { spec: { template: { spec: { containers: [{ name: 'main', $patch: 'delete' }] } } } }],
];

const badPatch: fc.Arbitrary<BadRequest> = fc.oneof(
  fc.tuple(fc.constantFrom(WEB, APP), fc.constantFrom(...BAD_JSON_PATCHES)).map(([path, p]) => ({ what: `JSON patch ${JSON.stringify(p)}`, method: 'PATCH', path, contentType: JSON_PATCH, body: JSON.stringify(p), expect: '4xx' as const })),
  fc.tuple(fc.constantFrom(WEB, APP), fc.constantFrom(MERGE_PATCH, STRATEGIC_PATCH), fc.constantFrom(...BAD_MERGE_PATCHES)).map(([path, contentType, p]) => ({ what: `${contentType} ${JSON.stringify(p)}`, method: 'PATCH', path, contentType, body: JSON.stringify(p), expect: '4xx' as const })),
  // (A strategic merge of an empty list changes nothing: only a merge patch empties containers.)
  fc.constant({ what: 'merge patch emptying the containers', method: 'PATCH', path: WEB, contentType: MERGE_PATCH, body: JSON.stringify({ spec: { containers: [] } }), expect: '4xx' as const }),
  fc.tuple(fc.constantFrom(MERGE_PATCH, STRATEGIC_PATCH), fc.constantFrom(...POD_ONLY_PATCHES)).map(([contentType, p]) => ({ what: `${contentType} of the pod ${JSON.stringify(p)}`, method: 'PATCH', path: WEB, contentType, body: JSON.stringify(p), expect: '4xx' as const })),
  fc.tuple(fc.constantFrom(MERGE_PATCH, STRATEGIC_PATCH), fc.constantFrom(...DEPLOYMENT_ONLY_PATCHES)).map(([contentType, p]) => ({ what: `${contentType} of the deployment ${JSON.stringify(p)}`, method: 'PATCH', path: APP, contentType, body: JSON.stringify(p), expect: '4xx' as const })),
  fc.constantFrom(...STRATEGIC_ONLY_PATCHES).map(([path, p]) => ({ what: `strategic merge patch ${JSON.stringify(p)}`, method: 'PATCH', path, contentType: STRATEGIC_PATCH, body: JSON.stringify(p), expect: '4xx' as const })),
  fc.tuple(fc.constantFrom(WEB, APP), fc.constantFrom(JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH), fc.constantFrom('', '{', '[{"op":', 'null x', '\u00ff')).map(([path, contentType, body]) => ({ what: `${contentType} that is not JSON: ${JSON.stringify(body)}`, method: 'PATCH', path, contentType, body, expect: '4xx' as const })),
  // Server-side apply: a fieldManager is required; the configuration must name the object it is sent to.
  fc.tuple(fc.constantFrom({ path: WEB, obj: manifest('pod', FIXTURES.pod) }, { path: APP, obj: manifest('deployment', FIXTURES.deployment) })).chain(([t]) =>
    fc.oneof(
      fc.constant({ what: 'apply without a fieldManager', method: 'PATCH', path: t.path, contentType: APPLY_PATCH, body: JSON.stringify(t.obj), expect: '4xx' as const }),
      fc
        .constantFrom<[readonly (string | number)[], unknown]>(
          [['kind'], 'Service'],
          [['apiVersion'], 'v9'],
          [['metadata', 'name'], 'other'],
          [['metadata', 'namespace'], 'other'],
          [['metadata', 'labels'], { 'bad key': 'v' }],
          [['metadata'], 'x'],
          [['spec'], 'x'],
        )
        .map(([path, value]) => ({
          what: `apply with ${path.join('.')} ${JSON.stringify(value)}`,
          method: 'PATCH',
          path: t.path,
          query: { fieldManager: 'spec', force: 'true' },
          contentType: APPLY_PATCH,
          body: JSON.stringify(withKey(t.obj, path, value)),
          expect: '4xx' as const,
        })),
      fc.constantFrom('- a\n- b\n', 'x: [\n', 'just text\n', '42\n', `${toYaml(t.obj)}---\nx: 1\n`).map((body) => ({
        what: `apply of ${JSON.stringify(body.slice(0, 20))}`,
        method: 'PATCH',
        path: t.path,
        query: { fieldManager: 'spec', force: 'true' },
        contentType: APPLY_PATCH,
        body,
        expect: '4xx' as const,
      })),
    ),
  ),
  fc.constant({
    what: 'apply of a deployment with replicas -1',
    method: 'PATCH',
    path: APP,
    query: { fieldManager: 'spec', force: 'true' },
    contentType: APPLY_PATCH,
    body: JSON.stringify(withKey(manifest('deployment', FIXTURES.deployment), ['spec', 'replicas'], -1)),
    expect: '4xx' as const,
  }),
  // Subresources: scale takes only a valid replica count, status only status.
  fc.constantFrom<[string, string, unknown]>(
    ['PATCH', MERGE_PATCH, { spec: { replicas: -1 } }],
    ['PATCH', MERGE_PATCH, { spec: { replicas: 'x' } }],
    ['PATCH', MERGE_PATCH, { spec: { replicas: 1.5 } }],
    ['PATCH', MERGE_PATCH, [1]],
    ['PATCH', JSON_PATCH, [{ op: 'replace', path: '/spec/replicas', value: -1 }]],
    ['PATCH', JSON_PATCH, [{ op: 'remove', path: '/spec/nope' }]],
    ['PATCH', APPLY_PATCH, { spec: { replicas: 2 } }],
    ['PUT', 'application/json', { kind: 'Foo', spec: { replicas: 2 } }],
    ['PUT', 'application/json', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: FIXTURES.deployment }, spec: { replicas: 1.5 } }],
    ['PUT', 'application/json', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: FIXTURES.deployment, resourceVersion: '1' }, spec: { replicas: 2 } }],
    ['PUT', 'application/json', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: FIXTURES.deployment, resourceVersion: 'abc' }, spec: { replicas: 2 } }],
    ['PUT', 'application/json', []],
  ).map(([method, contentType, p]) => ({ what: `${method} scale ${contentType} ${JSON.stringify(p)}`, method, path: `${APP}/scale`, contentType, body: JSON.stringify(p), expect: '4xx' as const })),
  fc.constantFrom<[string, unknown]>(
    [MERGE_PATCH, { status: 'x' }],
    [MERGE_PATCH, { metadata: { name: 'other' } }],
    [MERGE_PATCH, [1]],
    [JSON_PATCH, [{ op: 'remove', path: '/status/nope' }]],
    [STRATEGIC_PATCH, { status: { conditions: 'x' } }],
  ).map(([contentType, p]) => ({ what: `status patch ${JSON.stringify(p)}`, method: 'PATCH', path: `${WEB}/status`, contentType, body: JSON.stringify(p), expect: '4xx' as const })),
);

// ---- field values ---------------------------------------------------------------------------

const BAD_QUANTITIES: readonly unknown[] = ['abc', '1.5.5', '-1', '1Qi', '', '1 m', '0x10', '1e', 'NaN', 'Infinity', '--1', 'e3', '1Ki1', ' 1', {}, [], true];

const podWith = (path: readonly (string | number)[], value: unknown) => withKey(freshPod(), path, value);
const deploymentWith = (path: readonly (string | number)[], value: unknown) => withKey(freshDeployment(), path, value);

const badFieldValue: fc.Arbitrary<BadRequest> = fc.oneof(
  fc.tuple(fc.constantFrom('limits', 'requests'), fc.constantFrom('cpu', 'memory'), fc.constantFrom(...BAD_QUANTITIES)).map(([where, resource, q]) => ({
    what: `pod with ${where}.${resource} ${JSON.stringify(q)}`,
    method: 'POST',
    path: PODS,
    contentType: 'application/json',
    body: JSON.stringify(podWith(['spec', 'containers', 0, 'resources'], { [where]: { [resource]: q } })),
    expect: '4xx' as const,
  })),
  fc.constant({
    what: 'pod whose requests exceed its limits',
    method: 'POST',
    path: PODS,
    contentType: 'application/json',
    body: JSON.stringify(podWith(['spec', 'containers', 0, 'resources'], { limits: { cpu: '1' }, requests: { cpu: '2' } })),
    expect: '4xx' as const,
  }),
  fc.constantFrom<unknown>(-1, -100, 1.5, '3', true, {}, [], 2147483648, 1e100).map((r) => ({
    what: `deployment with replicas ${JSON.stringify(r)}`,
    method: 'POST',
    path: DEPLOYMENTS,
    contentType: 'application/json',
    body: JSON.stringify(deploymentWith(['spec', 'replicas'], r)),
    expect: '4xx' as const,
  })),
  fc
    .constantFrom<[readonly (string | number)[], unknown]>(
      [['spec', 'containers', 0, 'ports'], [{ containerPort: 0 }]],
      [['spec', 'containers', 0, 'ports'], [{ containerPort: 70000 }]],
      [['spec', 'containers', 0, 'ports'], [{ containerPort: '80' }]],
      [['spec', 'containers', 0, 'ports'], [{ containerPort: 80, protocol: 'HTTP' }]],
      [['spec', 'containers', 0, 'image'], ''],
      [['spec', 'containers', 0, 'image'], 5],
      [['spec', 'containers', 0, 'name'], 'UPPER'],
      [['spec', 'containers', 0, 'name'], ''],
      [['spec', 'containers', 0, 'imagePullPolicy'], 'Sometimes'],
      [['spec', 'containers', 0, 'env'], [{ name: '1bad', value: 'x' }]],
      [['spec', 'containers', 1], { name: 'main', image: 'busybox' }],
      [['spec', 'containers'], []],
      [['spec', 'containers'], [null]],
      [['spec', 'containers'], null],
      [['spec', 'containers'], 'x'],
      [['spec', 'restartPolicy'], 'Sometimes'],
      [['spec', 'tolerations'], [{ operator: 'Maybe' }]],
      [['spec', 'tolerations'], [null]],
      [['spec', 'nodeSelector'], { 'bad key': 'x' }],
      [['spec'], null],
      [['spec'], []],
      [['metadata'], null],
      [['metadata'], []],
      [['metadata', 'labels'], []],
      [['metadata', 'annotations'], { a: 5 }],
      [['metadata', 'annotations'], { 'a b': 'x' }],
      [['metadata', 'ownerReferences'], [{}]],
      [['metadata', 'finalizers'], [5]],
    )
    .map(([path, value]) => ({
      what: `pod with ${path.join('.')} ${JSON.stringify(value)}`,
      method: 'POST',
      path: PODS,
      contentType: 'application/json',
      body: JSON.stringify(podWith(path, value)),
      expect: '4xx' as const,
    })),
  fc
    .constantFrom<[readonly (string | number)[], unknown]>(
      [['spec', 'selector'], {}],
      [['spec', 'selector'], null],
      [['spec', 'selector'], { matchLabels: { other: 'x' } }],
      [['spec', 'selector'], { matchExpressions: [{ key: 'app', operator: 'Sometimes' }] }],
      [['spec', 'selector'], { matchExpressions: [null] }],
      [['spec', 'template'], null],
      [['spec', 'template', 'spec', 'restartPolicy'], 'Never'],
      [['spec', 'strategy'], { type: 'Sideways' }],
      [['spec', 'strategy'], { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }],
      [['spec', 'strategy'], { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50' } }],
      [['spec', 'revisionHistoryLimit'], -1],
      [['spec', 'progressDeadlineSeconds'], 'x'],
    )
    .map(([path, value]) => ({
      what: `deployment with ${path.join('.')} ${JSON.stringify(value)}`,
      method: 'POST',
      path: DEPLOYMENTS,
      contentType: 'application/json',
      body: JSON.stringify(deploymentWith(path, value)),
      expect: '4xx' as const,
    })),
);

// ---- sizes, methods, paths and credentials ------------------------------------------------------

export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

const oversized: fc.Arbitrary<BadRequest> = fc.tuple(objectWrite, fc.integer({ min: 1, max: 4096 })).map(([w, over]) => {
  // A valid object padded with spaces: only the size is wrong.
  const text = JSON.stringify(w.object());
  return {
    what: `${w.method} of ${over} bytes over the limit`,
    method: w.method,
    path: w.path,
    contentType: 'application/json',
    body: { before: text, open: ' ', times: DEFAULT_MAX_BODY_BYTES + over - text.length, middle: '', close: '', after: '' },
    expect: [413],
  };
});

const wrongMethod: fc.Arbitrary<BadRequest> = fc.oneof(
  // POST names a collection: upstream has no such route for an item (405).
  fc.tuple(fc.constantFrom({ path: WEB, body: freshPod() }, { path: APP, body: freshDeployment() }, { path: NS2, body: freshNamespace() }, { path: `${WEB}/status`, body: freshPod() }, { path: `${APP}/scale`, body: freshDeployment() })).map(([t]) => ({
    what: `POST to the item ${t.path}`,
    method: 'POST',
    path: t.path,
    contentType: 'application/json',
    body: JSON.stringify(t.body),
    expect: '4xx' as const,
  })),
  fc.tuple(fc.constantFrom(PODS, DEPLOYMENTS), fc.constantFrom('PUT', 'PATCH')).map(([path, method]) => ({
    what: `${method} to the collection ${path}`,
    method,
    path,
    contentType: method === 'PUT' ? 'application/json' : MERGE_PATCH,
    body: JSON.stringify(method === 'PUT' ? freshPod() : { metadata: { labels: { app: 'changed' } } }),
    expect: '4xx' as const,
  })),
  fc.constantFrom<[string, string]>(['GET', `${WEB}/binding`], ['PUT', `${WEB}/binding`], ['DELETE', `${WEB}/status`], ['DELETE', `${APP}/scale`], ['POST', `${WEB}/log`], ['DELETE', `${WEB}/log`], ['PATCH', `${WEB}/binding`]).map(([method, path]) => ({
    what: `${method} of ${path}`,
    method,
    path,
    contentType: 'application/json',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: FIXTURES.pod }, target: { kind: 'Node', name: 'node-1' } }),
    expect: '4xx' as const,
  })),
  fc.tuple(fc.constantFrom('PUT', 'POST', 'DELETE', 'PATCH'), fc.constantFrom('/version', '/api', '/apis', '/healthz', '/openapi/v3', '/openapi/v2', '/api/v1', '/apis/apps/v1', '/livez')).map(([method, path]) => ({
    what: `${method} of ${path}`,
    method,
    path,
    contentType: 'application/json',
    body: '{}',
    expect: '4xx' as const,
  })),
  fc.tuple(fc.constantFrom('OPTIONS', 'TRACE', 'PROPFIND', 'FOO', 'CONNECT', 'LINK'), fc.constantFrom(PODS, WEB, APP, '/api', '/version', NAMESPACES)).map(([method, path]) => ({
    what: `${method} of ${path}`,
    method,
    path,
    contentType: 'application/json',
    body: JSON.stringify(freshPod()),
    expect: '4xx' as const,
  })),
);

const KNOWN_SEGMENTS = ['api', 'apis', 'v1', 'apps', 'namespaces', 'default', FIXTURES.namespace, 'pods', 'deployments', FIXTURES.pod, FIXTURES.deployment, 'status', 'scale', 'binding', 'log', 'watch', 'openapi', 'v3'];
/** At least one of these in every generated path: none can name a fixture or a served collection. */
const UNKNOWN_SEGMENTS = ['foo', 'v2', '..', '.', '%ZZ', '%', '%E0%A4%A', '%2F', '%00', 'x'.repeat(300), '%C3%A4', 'Web', 'namespaces%2Fdefault', '%2e%2e'];

const PATHS_THAT_LOOK_RIGHT = [
  '/api/v1/namespaces/foo/namespaces',
  `/api/v1/namespaces/${FIXTURES.namespace}/namespaces`,
  '/api/v1/namespaces/default/namespaces',
  `/api/v1/namespaces/default/pods/${FIXTURES.pod}/status/extra`,
  `/api/v1/namespaces/default/pods/${FIXTURES.pod}/exec`,
  `/api/v1/namespaces/default/pods/${FIXTURES.pod}/eviction`,
  '/api/v1/nodes/node-1/proxy/x',
  '/api/v1/namespaces/default/services/kubernetes/proxy',
  '/apis/apps',
  '/apis/apps/v1/namespaces',
  '/api/v1/namespaces/kube-system/namespaces',
  `/api/v1/watch/namespaces/default/pods/${FIXTURES.pod}/status`,
  `/apis/apps/v1/namespaces/default/deployments/${FIXTURES.deployment}/rollback`,
  `/api/v1/namespaces/${FIXTURES.namespace}/finalize/x`,
  // Dot segments name nothing; resolved, they would name a collection or a namespace.
  `/api/v1/namespaces/default/pods/${FIXTURES.pod}/..`,
  '/api/v1/namespaces/default/pods/x/..',
  '/api/v1/namespaces/default/pods/..',
  `/api/v1/namespaces/${FIXTURES.namespace}/pods/../..`,
  '/api/v1/namespaces/default/pods/./.',
  '//',
];

const unknownPath: fc.Arbitrary<BadRequest> = fc.oneof(
  fc
    .tuple(fc.array(fc.constantFrom(...KNOWN_SEGMENTS, ...UNKNOWN_SEGMENTS), { maxLength: 8 }), fc.constantFrom(...UNKNOWN_SEGMENTS), fc.nat(8), fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'), validWrite)
    .map(([segments, unknown, at, method, w]) => {
      const all = [...segments];
      all.splice(at % (all.length + 1), 0, unknown);
      return {
        what: `${method} of an unknown path`,
        method,
        path: `/${all.join('/')}`,
        ...(method !== 'GET' && method !== 'HEAD' && method !== 'DELETE' ? { contentType: w.contentType, body: JSON.stringify(w.body), ...(w.query ? { query: w.query } : {}) } : {}),
        // A collection delete in a namespace that does not exist is a 200 with nothing in it.
        expect: method === 'GET' || method === 'HEAD' || method === 'DELETE' ? ('any' as const) : ('4xx' as const),
      };
    }),
  fc.tuple(fc.constantFrom(...PATHS_THAT_LOOK_RIGHT), fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), validWrite).map(([path, method, w]) => ({
    what: `${method} of ${path}`,
    method,
    path,
    ...(method !== 'GET' && method !== 'DELETE' ? { contentType: w.contentType, body: JSON.stringify(w.body) } : {}),
    expect: method === 'GET' || method === 'DELETE' ? ('any' as const) : ('4xx' as const),
  })),
  fc.webPath().map((path) => ({ what: 'a random web path', method: 'GET', path: path || '/', expect: 'any' as const })),
);

const BAD_AUTHORIZATION = ['Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Token x', 'Bearer nope', 'Bearer a b', 'Bearer \u00e4', 'Negotiate abc', 'x'.repeat(2000)];

/** Requests that would write (or read) if their sender were allowed to. */
const WOULD_SUCCEED: readonly Omit<BadRequest, 'what' | 'expect' | 'auth'>[] = [
  ...VALID_WRITES.map((w) => ({ method: w.method, path: w.path, contentType: w.contentType, body: JSON.stringify(w.body), ...(w.query ? { query: w.query } : {}) })),
  { method: 'DELETE', path: WEB },
  { method: 'DELETE', path: APP },
  { method: 'DELETE', path: PODS },
  { method: 'DELETE', path: NS2 },
  { method: 'POST', path: `${WEB}/binding`, contentType: 'application/json', body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: FIXTURES.pod }, target: { kind: 'Node', name: 'node-1' } }) },
  { method: 'PATCH', path: `${APP}/scale`, contentType: MERGE_PATCH, body: JSON.stringify({ spec: { replicas: 5 } }) },
  { method: 'GET', path: WEB },
  { method: 'GET', path: PODS },
  { method: 'GET', path: PODS, query: { watch: 'true' } },
  { method: 'GET', path: '/apis/rbac.authorization.k8s.io/v1/clusterroles' },
];

const badCredentials: fc.Arbitrary<BadRequest> = fc.tuple(fc.constantFrom(...WOULD_SUCCEED), fc.oneof(fc.constantFrom<Auth>('nobody', 'none'), fc.constantFrom(...BAD_AUTHORIZATION).map((header): Auth => ({ header })))).map(([r, auth]) => ({
  ...r,
  what: `${r.method} ${r.path} as ${typeof auth === 'string' ? auth : JSON.stringify(auth.header.slice(0, 20))}`,
  auth,
  expect: auth === 'nobody' ? [403] : [401],
}));

// ---- all of them ------------------------------------------------------------------------------

export const badRequest: fc.Arbitrary<BadRequest> = fc.oneof(
  { arbitrary: brokenJson, weight: 4 },
  { arbitrary: brokenYaml, weight: 3 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: wrongContentType, weight: 3 },
  { arbitrary: protobuf, weight: 3 },
  { arbitrary: wrongKind, weight: 3 },
  { arbitrary: badName, weight: 3 },
  { arbitrary: badSelector, weight: 3 },
  { arbitrary: badReadQuery, weight: 4 },
  { arbitrary: badDelete, weight: 4 },
  { arbitrary: negativeGraceOnMissing, weight: 1 },
  { arbitrary: badWriteQuery, weight: 3 },
  { arbitrary: badPatch, weight: 6 },
  { arbitrary: badFieldValue, weight: 5 },
  { arbitrary: oversized, weight: 1 },
  { arbitrary: wrongMethod, weight: 3 },
  { arbitrary: unknownPath, weight: 3 },
  { arbitrary: badCredentials, weight: 3 },
);
