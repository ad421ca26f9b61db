// The /openapi/v3 documents: the root index of group-version documents and, for each group
// version, an OpenAPI 3.0 document with the schemas of its kinds and the REST operations
// of its resources. kubectl reads them for three things:
//   - create/apply --validate=strict: a PATCH operation carrying the kind's
//     x-kubernetes-group-version-kind and a `fieldValidation` query parameter means the
//     server validates fields itself (cli-runtime queryParamVerifierV3). Every PATCH of a
//     GVK must carry it: kubectl stops at the first one it meets, in map order.
//   - explain: finds the GVK on an operation of the resource's list or item path, then the
//     schema whose x-kubernetes-group-version-kind (a list) contains it, and walks
//     properties / items / additionalProperties, following $ref.
//   - cache keys: each document's serverRelativeURL carries a hash of its content, so a
//     changed document gets a new URL.
// Both are pure functions of the served resources (and definitions.json) and are memoized.

import { createHash } from 'node:crypto';
import {
  REF_PREFIX,
  closure,
  definitions,
  schemaNameFor,
  type GroupVersion,
  type GroupVersionKind,
  type JsonSchema,
} from './definitions.js';

/** One served resource, as the server's registry describes it. */
export interface ServedResource {
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** status, scale, binding, log; others are not described. */
  readonly subresources: readonly string[];
  /** Kubernetes verbs: get, list, watch, create, update, patch, delete, deletecollection. */
  readonly verbs: readonly string[];
}

export interface OpenAPIV3Root {
  readonly paths: Readonly<Record<string, { readonly serverRelativeURL: string }>>;
}

export type KubernetesAction = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';

export interface Parameter {
  readonly name: string;
  readonly in: 'query' | 'path';
  readonly description: string;
  readonly required?: boolean;
  readonly schema: { readonly type: 'string' | 'integer' | 'boolean'; readonly uniqueItems?: boolean };
}

export interface MediaTypes {
  readonly [contentType: string]: { readonly schema: JsonSchema };
}

export interface Operation {
  readonly operationId: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: MediaTypes; readonly required?: boolean };
  readonly responses: Readonly<Record<string, { readonly description: string; readonly content?: MediaTypes }>>;
  readonly 'x-kubernetes-action': KubernetesAction;
  readonly 'x-kubernetes-group-version-kind': GroupVersionKind;
}

export interface PathItem {
  readonly parameters?: readonly Parameter[];
  readonly get?: Operation;
  readonly post?: Operation;
  readonly put?: Operation;
  readonly patch?: Operation;
  readonly delete?: Operation;
}

export interface OpenAPIV3Document {
  readonly openapi: '3.0.0';
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: Readonly<Record<string, PathItem>>;
  readonly components: { readonly schemas: Readonly<Record<string, JsonSchema>> };
}

/** "api/v1" for the core group, "apis/apps/v1" otherwise: the keys of the root's paths. */
export function groupVersionPath(gv: GroupVersion): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

const documentCache = new Map<string, { doc: OpenAPIV3Document; hash: string }>();
/** Memo bound: a server's registry rarely changes, so a handful of entries is plenty. */
const CACHE_LIMIT = 64;

/** The /openapi/v3 index: one entry per served group version, its URL carrying a content hash. */
export function openapiV3Root(resources: readonly ServedResource[]): OpenAPIV3Root {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersionsOf(resources)) {
    const path = groupVersionPath(gv);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${documentFor(gv, resources).hash}` };
  }
  return { paths };
}

/** The OpenAPI 3.0 document of one group version; resources of other group versions are ignored. */
export function openapiV3GroupVersion(gv: GroupVersion, resources: readonly ServedResource[]): OpenAPIV3Document {
  return documentFor(gv, resources).doc;
}

function groupVersionsOf(resources: readonly ServedResource[]): GroupVersion[] {
  const seen = new Map<string, GroupVersion>();
  for (const r of resources) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()].sort((a, b) => groupVersionPath(a).localeCompare(groupVersionPath(b)));
}

function documentFor(gv: GroupVersion, resources: readonly ServedResource[]): { doc: OpenAPIV3Document; hash: string } {
  const mine = resources
    .filter((r) => r.group === gv.group && r.version === gv.version)
    .map((r) => ({ ...r, subresources: [...r.subresources].sort(), verbs: [...r.verbs].sort() }))
    .sort((a, b) => a.plural.localeCompare(b.plural));
  const key = JSON.stringify([gv.group, gv.version, mine]);
  const cached = documentCache.get(key);
  if (cached) return cached;
  const doc = buildDocument(gv, mine);
  const entry = { doc, hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase() };
  if (documentCache.size >= CACHE_LIMIT) documentCache.clear();
  documentCache.set(key, entry);
  return entry;
}

function buildDocument(gv: GroupVersion, resources: readonly ServedResource[]): OpenAPIV3Document {
  const paths: Record<string, PathItem> = {};
  const roots = new Set<string>([schemaName(META_STATUS), schemaName(META_DELETE_OPTIONS)]);
  for (const r of resources) {
    for (const [path, item] of resourcePaths(r, roots)) paths[path] = item;
  }
  const schemas: Record<string, JsonSchema> = {};
  for (const name of [...closure(roots)].sort()) schemas[name] = definitions[name] as JsonSchema;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: { schemas },
  };
}

const META_STATUS: GroupVersionKind = { group: '', version: 'v1', kind: 'Status' };
const META_DELETE_OPTIONS: GroupVersionKind = { group: '', version: 'v1', kind: 'DeleteOptions' };
const AUTOSCALING_SCALE: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
const CORE_BINDING: GroupVersionKind = { group: '', version: 'v1', kind: 'Binding' };

function schemaName(gvk: GroupVersionKind): string {
  const name = schemaNameFor(gvk);
  if (name === undefined) throw new Error(`no schema for ${gvk.group}/${gvk.version} ${gvk.kind}: add it to scripts/gen-schemas.ts`);
  return name;
}

function schemaRef(gvk: GroupVersionKind): JsonSchema {
  return { $ref: REF_PREFIX + schemaName(gvk) };
}

/** Names used in operation ids and tags, as upstream derives them from the group. */
function groupVersionWords(gv: GroupVersion): { camel: string; tag: string } {
  const parts = (gv.group === '' ? 'core' : gv.group.replace(/\.k8s\.io$/, '')).split('.');
  const camel = parts.map(capitalize).join('') + capitalize(gv.version);
  const tag = `${parts[0] ?? ''}${parts.slice(1).map(capitalize).join('')}_${gv.version}`;
  return { camel, tag };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The path items of one resource: collection, item, all-namespaces list, subresources. */
function resourcePaths(r: ServedResource, roots: Set<string>): [string, PathItem][] {
  const gvk: GroupVersionKind = { group: r.group, version: r.version, kind: r.kind };
  const listGvk: GroupVersionKind = { ...gvk, kind: `${r.kind}List` };
  roots.add(schemaName(gvk));
  const hasList = r.verbs.includes('list');
  if (hasList) roots.add(schemaName(listGvk));

  const { camel, tag } = groupVersionWords(r);
  const scope = r.namespaced ? 'Namespaced' : '';
  const id = (verb: string, suffix = ''): string => `${verb}${camel}${scope}${r.kind}${suffix}`;
  const base = `/${groupVersionPath(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
  const scopeParams = r.namespaced ? [NAMESPACE_PARAM, PRETTY_PARAM] : [PRETTY_PARAM];
  const itemParams = [nameParam(r.kind), ...scopeParams];
  const op = (o: Omit<Operation, 'tags' | 'x-kubernetes-group-version-kind'>, opGvk = gvk): Operation => ({
    ...o,
    tags: [tag],
    'x-kubernetes-group-version-kind': opGvk,
  });
  const kindBody = (gvkOf: GroupVersionKind): MediaTypes => ({ '*/*': { schema: schemaRef(gvkOf) } });

  const out: [string, PathItem][] = [];

  const collection: { get?: Operation; post?: Operation; delete?: Operation } = {};
  if (hasList) {
    collection.get = op({
      operationId: id('list'),
      description: `list or watch objects of kind ${r.kind}`,
      parameters: LIST_PARAMS,
      responses: ok(schemaRef(listGvk), LIST_CONTENT_TYPES),
      'x-kubernetes-action': 'list',
    });
  }
  if (r.verbs.includes('create')) {
    collection.post = op({
      operationId: id('create'),
      description: `create a ${r.kind}`,
      parameters: WRITE_PARAMS,
      requestBody: { content: kindBody(gvk), required: true },
      responses: written(schemaRef(gvk), true),
      'x-kubernetes-action': 'post',
    });
  }
  if (r.verbs.includes('deletecollection')) {
    collection.delete = op({
      operationId: `delete${camel}Collection${scope}${r.kind}`,
      description: `delete collection of ${r.kind}`,
      parameters: [...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks')],
      requestBody: { content: { 'application/json': { schema: schemaRef(META_DELETE_OPTIONS) } } },
      responses: ok(schemaRef(META_STATUS), OBJECT_CONTENT_TYPES),
      'x-kubernetes-action': 'deletecollection',
    });
  }
  if (Object.keys(collection).length > 0) out.push([base, { parameters: scopeParams, ...collection }]);

  if (r.namespaced && hasList) {
    out.push([
      `/${groupVersionPath(r)}/${r.plural}`,
      {
        parameters: [PRETTY_PARAM],
        get: op({
          operationId: `list${camel}${r.kind}ForAllNamespaces`,
          description: `list or watch objects of kind ${r.kind}`,
          parameters: LIST_PARAMS,
          responses: ok(schemaRef(listGvk), LIST_CONTENT_TYPES),
          'x-kubernetes-action': 'list',
        }),
      },
    ]);
  }

  const item: { get?: Operation; put?: Operation; patch?: Operation; delete?: Operation } = {};
  if (r.verbs.includes('get')) {
    item.get = op({
      operationId: id('read'),
      description: `read the specified ${r.kind}`,
      responses: ok(schemaRef(gvk), OBJECT_CONTENT_TYPES),
      'x-kubernetes-action': 'get',
    });
  }
  if (r.verbs.includes('update')) item.put = replaceOp(op, id('replace'), `replace the specified ${r.kind}`, gvk);
  if (r.verbs.includes('patch')) item.patch = patchOp(op, id('patch'), `partially update the specified ${r.kind}`, gvk);
  if (r.verbs.includes('delete')) {
    item.delete = op({
      operationId: id('delete'),
      description: `delete a ${r.kind}`,
      parameters: DELETE_PARAMS,
      requestBody: { content: { 'application/json': { schema: schemaRef(META_DELETE_OPTIONS) } } },
      responses: {
        '200': { description: 'OK', content: contentOf(schemaRef(META_STATUS), OBJECT_CONTENT_TYPES) },
        '202': { description: 'Accepted', content: contentOf(schemaRef(META_STATUS), OBJECT_CONTENT_TYPES) },
      },
      'x-kubernetes-action': 'delete',
    });
  }
  if (Object.keys(item).length > 0) out.push([`${base}/{name}`, { parameters: itemParams, ...item }]);

  for (const sub of r.subresources) {
    const path = `${base}/{name}/${sub}`;
    const Sub = capitalize(sub);
    switch (sub) {
      case 'status':
      case 'scale': {
        const subGvk = sub === 'scale' ? AUTOSCALING_SCALE : gvk;
        roots.add(schemaName(subGvk));
        out.push([
          path,
          {
            parameters: itemParams,
            get: op(
              {
                operationId: id('read', Sub),
                description: `read ${sub} of the specified ${r.kind}`,
                responses: ok(schemaRef(subGvk), OBJECT_CONTENT_TYPES),
                'x-kubernetes-action': 'get',
              },
              subGvk,
            ),
            put: replaceOp(op, id('replace', Sub), `replace ${sub} of the specified ${r.kind}`, subGvk),
            patch: patchOp(op, id('patch', Sub), `partially update ${sub} of the specified ${r.kind}`, subGvk),
          },
        ]);
        break;
      }
      case 'binding':
        roots.add(schemaName(CORE_BINDING));
        out.push([
          path,
          {
            parameters: itemParams,
            post: op(
              {
                operationId: id('create', Sub),
                description: `create binding of a ${r.kind}`,
                parameters: WRITE_PARAMS,
                requestBody: { content: kindBody(CORE_BINDING), required: true },
                responses: written(schemaRef(CORE_BINDING), true),
                'x-kubernetes-action': 'post',
              },
              CORE_BINDING,
            ),
          },
        ]);
        break;
      case 'log':
        out.push([
          path,
          {
            parameters: itemParams,
            get: op({
              operationId: id('read', Sub),
              description: `read log of the specified ${r.kind}`,
              parameters: LOG_PARAMS,
              responses: { '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } } },
              'x-kubernetes-action': 'get',
            }),
          },
        ]);
        break;
      default:
        // Not described (e.g. exec, eviction): explain and field validation do not need them.
        break;
    }
  }
  return out;
}

type OpBuilder = (o: Omit<Operation, 'tags' | 'x-kubernetes-group-version-kind'>, gvk?: GroupVersionKind) => Operation;

function replaceOp(op: OpBuilder, operationId: string, description: string, gvk: GroupVersionKind): Operation {
  return op(
    {
      operationId,
      description,
      parameters: WRITE_PARAMS,
      requestBody: { content: { '*/*': { schema: schemaRef(gvk) } }, required: true },
      responses: written(schemaRef(gvk), false),
      'x-kubernetes-action': 'put',
    },
    gvk,
  );
}

/**
 * Merge, strategic-merge and apply patches are partial objects of the kind, so they refer to
 * its schema; a JSON patch is a list of operations. (Upstream refers all four to an opaque
 * meta/v1 Patch object.)
 */
function patchOp(op: OpBuilder, operationId: string, description: string, gvk: GroupVersionKind): Operation {
  const partial = { schema: schemaRef(gvk) };
  return op(
    {
      operationId,
      description,
      parameters: PATCH_PARAMS,
      requestBody: {
        content: {
          'application/apply-patch+yaml': partial,
          'application/json-patch+json': {
            schema: { type: 'array', items: { type: 'object', description: 'A JSON Patch (RFC 6902) operation.' } },
          },
          'application/merge-patch+json': partial,
          'application/strategic-merge-patch+json': partial,
        },
        required: true,
      },
      responses: written(schemaRef(gvk), true),
      'x-kubernetes-action': 'patch',
    },
    gvk,
  );
}

const OBJECT_CONTENT_TYPES = ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml'];
const LIST_CONTENT_TYPES = [
  'application/json',
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf',
  'application/vnd.kubernetes.protobuf;stream=watch',
  'application/yaml',
];

function contentOf(schema: JsonSchema, types: readonly string[]): MediaTypes {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

function ok(schema: JsonSchema, types: readonly string[]): Operation['responses'] {
  return { '200': { description: 'OK', content: contentOf(schema, types) } };
}

/** Responses of a write: 200 OK and 201 Created (and 202 Accepted for creates). */
function written(schema: JsonSchema, accepted: boolean): Operation['responses'] {
  const content = contentOf(schema, OBJECT_CONTENT_TYPES);
  return {
    '200': { description: 'OK', content },
    '201': { description: 'Created', content },
    ...(accepted ? { '202': { description: 'Accepted', content } } : {}),
  };
}

function query(name: string, type: Parameter['schema']['type'], description: string): Parameter {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

function nameParam(kind: string): Parameter {
  return { name: 'name', in: 'path', required: true, description: `name of the ${kind}`, schema: { type: 'string', uniqueItems: true } };
}

const NAMESPACE_PARAM: Parameter = {
  name: 'namespace',
  in: 'path',
  required: true,
  description: 'object name and auth scope, such as for teams and projects',
  schema: { type: 'string', uniqueItems: true },
};
const PRETTY_PARAM = query('pretty', 'string', "If 'true', then the output is pretty printed.");
const DRY_RUN_PARAM = query(
  'dryRun',
  'string',
  'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
);
const FIELD_MANAGER_PARAM = query(
  'fieldManager',
  'string',
  'fieldManager is a name associated with the actor or entity that is making these changes.',
);
const FIELD_VALIDATION_PARAM = query(
  'fieldValidation',
  'string',
  'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: - Ignore: ignores unknown fields. - Warn: responds with a warning for each unknown field, but successfully serves the request. - Strict: fails the request on unknown fields.',
);
const WRITE_PARAMS = [DRY_RUN_PARAM, FIELD_MANAGER_PARAM, FIELD_VALIDATION_PARAM];
const PATCH_PARAMS = [
  ...WRITE_PARAMS,
  query(
    'force',
    'boolean',
    'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.',
  ),
];
const DELETE_PARAMS = [
  DRY_RUN_PARAM,
  query('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted. Zero means delete immediately.'),
  query('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy.'),
  query(
    'propagationPolicy',
    'string',
    "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  ),
];
const LIST_PARAMS = [
  query('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  query('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  query('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  query('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  query('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  query('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  query('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  query('sendInitialEvents', 'boolean', 'sendInitialEvents=true may be set together with watch=true to stream the initial state first.'),
  query('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  query('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
];
const LOG_PARAMS = [
  query('container', 'string', 'The container for which to stream logs. Defaults to only container if there is one container in the pod.'),
  query('follow', 'boolean', 'Follow the log stream of the pod. Defaults to false.'),
  query('limitBytes', 'integer', 'If set, the number of bytes to read from the server before terminating the log output.'),
  query('previous', 'boolean', 'Return previous terminated container logs. Defaults to false.'),
  query('sinceSeconds', 'integer', 'A relative time in seconds before the current time from which to show logs.'),
  query('sinceTime', 'string', 'An RFC3339 timestamp from which to show logs.'),
  query('tailLines', 'integer', 'If set, the number of lines from the end of the logs to show.'),
  query('timestamps', 'boolean', 'If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output.'),
];
