// The /openapi/v3 documents, read the way kubectl reads them: the root's hashed URLs, the
// PATCH operations cli-runtime checks for fieldValidation before leaving validation to the
// server, and the path → GVK → schema walk of kubectl explain (explain/v2 plaintext.tmpl).

import { describe, expect, it } from 'vitest';
import { lookup, refName, type GroupVersionKind, type JsonSchema } from './definitions.js';
import {
  openapiV3GroupVersion,
  openapiV3Root,
  type OpenAPIV3Document,
  type Operation,
  type PathItem,
  type ServedResource,
} from './openapi.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function served(group: string, kind: string, plural: string, namespaced: boolean, subresources: string[] = []): ServedResource {
  return { group, version: 'v1', kind, plural, namespaced, subresources, verbs: VERBS };
}

const REGISTRY: ServedResource[] = [
  served('', 'Namespace', 'namespaces', false, ['status']),
  served('', 'Node', 'nodes', false, ['status']),
  served('', 'Pod', 'pods', true, ['status', 'binding', 'log']),
  served('', 'Event', 'events', true),
  served('', 'Service', 'services', true, ['status']),
  served('apps', 'Deployment', 'deployments', true, ['status', 'scale']),
  served('apps', 'ReplicaSet', 'replicasets', true, ['status', 'scale']),
  served('coordination.k8s.io', 'Lease', 'leases', true),
  served('rbac.authorization.k8s.io', 'Role', 'roles', true),
  served('rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', false),
  served('rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings', true),
  served('rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings', false),
];

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function operations(item: PathItem): Operation[] {
  return METHODS.flatMap((m) => (item[m] ? [item[m]] : []));
}

function sameGvk(a: GroupVersionKind, b: GroupVersionKind): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/** cli-runtime's supportsQueryParamV3: the first PATCH of the GVK met (in map order) decides. */
function patchOpsOf(doc: OpenAPIV3Document, gvk: GroupVersionKind): Operation[] {
  return Object.values(doc.paths).flatMap((item) =>
    item.patch && sameGvk(item.patch['x-kubernetes-group-version-kind'], gvk) ? [item.patch] : [],
  );
}

/** kubectl explain's walk: GVK from the resource's paths, the schema holding it, then the fields. */
function explain(doc: OpenAPIV3Document, group: string, version: string, plural: string, fields: string[]): JsonSchema {
  const prefix = group === '' ? '/api' : `/apis/${group}`;
  const candidates = [
    `${prefix}/${version}/${plural}`,
    `${prefix}/${version}/${plural}/{name}`,
    `${prefix}/${version}/namespaces/{namespace}/${plural}`,
    `${prefix}/${version}/namespaces/{namespace}/${plural}/{name}`,
  ];
  const gvk = candidates
    .flatMap((p) => operations(lookup(doc.paths, p) ?? {}))
    .map((op) => op['x-kubernetes-group-version-kind'])[0];
  if (gvk === undefined) throw new Error(`GVR ${plural} not found in OpenAPI schema`);
  const top = Object.values(doc.components.schemas).find((s) =>
    (s['x-kubernetes-group-version-kind'] ?? []).some((g) => sameGvk(g, gvk)),
  );
  if (top === undefined) throw new Error(`GVK ${gvk.kind} not found in OpenAPI schema`);
  const resolve = (s: JsonSchema): JsonSchema => {
    if (s.$ref !== undefined) {
      const target = lookup(doc.components.schemas, refName(s.$ref));
      if (target === undefined) throw new Error(`dangling ${s.$ref}`);
      return resolve(target);
    }
    return s.allOf?.length === 1 && s.allOf[0] && !s.properties ? resolve(s.allOf[0]) : s;
  };
  let schema = top;
  for (const field of fields) {
    let resolved = resolve(schema);
    while (!resolved.properties && (resolved.items ?? resolved.additionalProperties)) {
      resolved = resolve((resolved.items ?? resolved.additionalProperties) as JsonSchema);
    }
    const next = resolved.properties ? lookup(resolved.properties, field) : undefined;
    if (next === undefined) throw new Error(`field "${field}" does not exist`);
    schema = next;
  }
  return schema;
}

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe('openapiV3Root', () => {
  it('lists every served group version with a content-hashed URL', () => {
    const root = openapiV3Root(REGISTRY);
    expect(Object.keys(root.paths)).toEqual([
      'api/v1',
      'apis/apps/v1',
      'apis/coordination.k8s.io/v1',
      'apis/rbac.authorization.k8s.io/v1',
    ]);
    expect(root.paths['apis/apps/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('keeps a URL while its document is unchanged and changes it when the document changes', () => {
    const before = openapiV3Root(REGISTRY).paths;
    expect(openapiV3Root([...REGISTRY].reverse()).paths).toEqual(before);
    const fewerVerbs = REGISTRY.map((r) => (r.kind === 'Lease' ? { ...r, verbs: ['get', 'list'] } : r));
    const after = openapiV3Root(fewerVerbs).paths;
    expect(after['apis/coordination.k8s.io/v1']).not.toEqual(before['apis/coordination.k8s.io/v1']);
    expect(after['apis/apps/v1']).toEqual(before['apis/apps/v1']);
  });
});

describe('openapiV3GroupVersion', () => {
  const apps = openapiV3GroupVersion({ group: 'apps', version: 'v1' }, REGISTRY);
  const core = openapiV3GroupVersion({ group: '', version: 'v1' }, REGISTRY);

  it('has a PATCH for deployments carrying the GVK and the fieldValidation parameter', () => {
    const item = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    const patch = item?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(patch?.['x-kubernetes-action']).toBe('patch');
    expect(patch?.parameters?.map((p) => p.name)).toContain('fieldValidation');
    expect(Object.keys(patch?.requestBody?.content ?? {}).sort()).toEqual([
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
    expect(patch?.requestBody?.content['application/strategic-merge-patch+json']?.schema).toEqual({
      $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment',
    });
    expect(item?.post).toBeUndefined();
    expect(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.post?.parameters?.map((p) => p.name)).toContain(
      'fieldValidation',
    );
  });

  it('gives every served kind PATCH operations that all list fieldValidation, so kubectl leaves validation to the server', () => {
    for (const r of REGISTRY) {
      const doc = openapiV3GroupVersion(r, REGISTRY);
      const patches = patchOpsOf(doc, r);
      expect(patches.length, r.kind).toBeGreaterThan(0);
      for (const op of [...patches, ...patchOpsOf(doc, { group: 'autoscaling', version: 'v1', kind: 'Scale' })]) {
        expect(op.parameters?.some((p) => p.name === 'fieldValidation'), op.operationId).toBe(true);
      }
    }
  });

  it('lets kubectl explain deployment.spec.template.spec.containers reach Container', () => {
    const containers = explain(apps, 'apps', 'v1', 'deployments', ['spec', 'template', 'spec', 'containers']);
    expect(containers.type).toBe('array');
    expect(containers.description).toMatch(/^List of containers belonging to the pod/);
    const image = explain(apps, 'apps', 'v1', 'deployments', ['spec', 'template', 'spec', 'containers', 'image']);
    expect(image).toMatchObject({ type: 'string', description: expect.stringMatching(/^Container image name/) });
    expect(explain(core, '', 'v1', 'nodes', ['status', 'capacity']).additionalProperties).toBeDefined();
    expect(() => explain(apps, 'apps', 'v1', 'deployments', ['spec', 'nope'])).toThrow(/does not exist/);
  });

  it('describes subresources with their own kinds and actions', () => {
    const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    expect(scale?.patch?.['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(scale?.get?.operationId).toBe('readAppsV1NamespacedDeploymentScale');
    const status = core.paths['/api/v1/nodes/{name}/status'];
    expect(status?.put?.['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Node' });
    const binding = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/binding'];
    expect(binding?.post?.['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Binding' });
    const log = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'];
    expect(log?.get?.['x-kubernetes-action']).toBe('get');
    expect(Object.keys(log?.get?.responses['200']?.content ?? {})).toEqual(['text/plain']);
    expect(core.paths['/api/v1/pods']?.get?.operationId).toBe('listCoreV1PodForAllNamespaces');
    expect(core.paths['/api/v1/namespaces/{name}']?.delete?.operationId).toBe('deleteCoreV1Namespace');
  });

  it('holds every schema its operations refer to, and nothing of other group versions', () => {
    for (const doc of [apps, core]) {
      const names = Object.keys(doc.components.schemas);
      for (const ref of refsIn(doc)) expect(names, ref).toContain(refName(ref));
    }
    expect(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();
    expect(apps.components.schemas['io.k8s.api.core.v1.Node']).toBeUndefined();
    expect(Object.keys(apps.paths).every((p) => p.startsWith('/apis/apps/v1/'))).toBe(true);
    const rbac = openapiV3GroupVersion({ group: 'rbac.authorization.k8s.io', version: 'v1' }, REGISTRY);
    expect(rbac.paths['/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}']?.patch?.operationId).toBe(
      'patchRbacAuthorizationV1ClusterRole',
    );
    expect(rbac.paths['/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}']?.patch?.tags).toEqual([
      'rbacAuthorization_v1',
    ]);
  });

  it('omits operations for verbs the resource does not serve', () => {
    const readOnly = REGISTRY.map((r) => (r.kind === 'Event' ? { ...r, verbs: ['get', 'list', 'watch'] } : r));
    const doc = openapiV3GroupVersion({ group: '', version: 'v1' }, readOnly);
    const item = doc.paths['/api/v1/namespaces/{namespace}/events/{name}'];
    expect(item?.get).toBeDefined();
    expect(item?.patch ?? item?.put ?? item?.delete).toBeUndefined();
    expect(doc.paths['/api/v1/namespaces/{namespace}/events']?.post).toBeUndefined();
  });
});
