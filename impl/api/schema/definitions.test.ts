// definitions.json: what the generator wrote is what it would write now, and it carries
// what validation, kubectl explain and strategic merge need (descriptions, required lists,
// GVKs, formats, patch tags).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFINITIONS_PATH, generateDefinitions } from '../../../scripts/gen-schemas.js';
import { closure, definitions, resolveSchema, schemaNameFor, type JsonSchema } from './definitions.js';

function schema(name: string): JsonSchema {
  const s = definitions[name];
  if (s === undefined) throw new Error(`no schema ${name}`);
  return s;
}

function prop(name: string, field: string): JsonSchema {
  const p = schema(name).properties?.[field];
  if (p === undefined) throw new Error(`${name} has no field ${field}`);
  return p;
}

describe('definitions.json', () => {
  it('is what scripts/gen-schemas.ts generates from the installed client-node (run npm run gen:schemas)', () => {
    expect(generateDefinitions()).toBe(readFileSync(DEFINITIONS_PATH, 'utf8'));
  });

  it('describes Deployment under its upstream name, with descriptions and its GVK', () => {
    const deployment = schema('io.k8s.api.apps.v1.Deployment');
    expect(deployment.description).toBe('Deployment enables declarative updates for Pods and ReplicaSets.');
    expect(deployment['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    expect(prop('io.k8s.api.apps.v1.Deployment', 'spec').$ref).toBe('#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec');
    expect(prop('io.k8s.api.apps.v1.DeploymentSpec', 'replicas')).toMatchObject({
      type: 'integer',
      format: 'int32',
      description: expect.stringContaining('Number of desired pods'),
    });
    expect(schema('io.k8s.api.apps.v1.DeploymentSpec').required).toEqual(['selector', 'template']);
    expect(prop('io.k8s.api.core.v1.Container', 'image').description).toMatch(/^Container image name/);
    // openapi-generator's escaped quotes are undone.
    expect(prop('io.k8s.api.core.v1.Container', 'args').description).toContain("container image's CMD");
  });

  it('maps every served kind and list to its schema', () => {
    const kinds: [string, string, string][] = [
      ['', 'v1', 'Namespace'], ['', 'v1', 'NamespaceList'], ['', 'v1', 'Node'], ['', 'v1', 'NodeList'],
      ['', 'v1', 'Pod'], ['', 'v1', 'PodList'], ['', 'v1', 'Binding'], ['', 'v1', 'Event'], ['', 'v1', 'EventList'],
      ['', 'v1', 'Service'], ['', 'v1', 'ServiceList'], ['', 'v1', 'Status'], ['', 'v1', 'DeleteOptions'],
      ['apps', 'v1', 'Deployment'], ['apps', 'v1', 'DeploymentList'], ['apps', 'v1', 'ReplicaSet'],
      ['apps', 'v1', 'ReplicaSetList'], ['apps', 'v1', 'DeleteOptions'], ['autoscaling', 'v1', 'Scale'],
      ['coordination.k8s.io', 'v1', 'Lease'], ['coordination.k8s.io', 'v1', 'LeaseList'],
      ['rbac.authorization.k8s.io', 'v1', 'Role'], ['rbac.authorization.k8s.io', 'v1', 'ClusterRole'],
      ['rbac.authorization.k8s.io', 'v1', 'RoleBinding'], ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBindingList'],
    ];
    for (const [group, version, kind] of kinds) {
      expect(schemaNameFor({ group, version, kind }), `${group}/${version} ${kind}`).toBeDefined();
    }
    expect(schemaNameFor({ group: '', version: 'v1', kind: 'Event' })).toBe('io.k8s.api.core.v1.Event');
    expect(schemaNameFor({ group: '', version: 'v1', kind: 'Status' })).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.Status');
    expect(schemaNameFor({ group: 'batch', version: 'v1', kind: 'Job' })).toBeUndefined();
  });

  it('spells maps, times, int-or-string and quantities as upstream does', () => {
    expect(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'labels')).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'creationTimestamp')).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    expect(prop('io.k8s.api.coordination.v1.LeaseSpec', 'renewTime')).toMatchObject({ type: 'string', format: 'date-time' });
    expect(resolveSchema(prop('io.k8s.api.core.v1.ServicePort', 'targetPort'))).toMatchObject({
      'x-kubernetes-int-or-string': true,
    });
    expect(prop('io.k8s.api.core.v1.ResourceRequirements', 'limits').additionalProperties).toEqual({
      $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity',
    });
    expect(schema('io.k8s.apimachinery.pkg.api.resource.Quantity').type).toBe('string');
  });

  it('carries upstream strategic-merge tags on list fields', () => {
    expect(prop('io.k8s.api.core.v1.PodSpec', 'containers')).toMatchObject({
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(prop('io.k8s.api.core.v1.Container', 'ports')['x-kubernetes-patch-merge-key']).toBe('containerPort');
    expect(prop('io.k8s.api.apps.v1.DeploymentSpec', 'strategy')['x-kubernetes-patch-strategy']).toBe('retainKeys');
  });

  it('is closed under $ref and holds nothing unreachable from the served kinds', () => {
    const roots = Object.entries(definitions)
      .filter(([, s]) => s['x-kubernetes-group-version-kind'] !== undefined)
      .map(([name]) => name);
    expect([...closure(roots)].sort()).toEqual(Object.keys(definitions).sort());
  });
});
