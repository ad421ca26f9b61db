// Validation of served kinds against definitions.json: causes with upstream field paths and
// messages, unknown fields for Strict/Warn, and the property that anything the schema
// itself describes validates cleanly.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../../../specs/support/property.js';
import { definitions, type GroupVersionKind } from './definitions.js';
import { schemaArbitrary } from './schema-arbitrary.testing.js';
import { strictDecodingError, unknownFields, validateObject } from './validate.js';

const DEPLOYMENT: GroupVersionKind = { group: 'apps', version: 'v1', kind: 'Deployment' };

type Obj = Record<string, unknown>;
/** A Deployment whose containers list tests can reach without casts. */
type DeploymentFixture = Obj & { spec: Obj & { template: Obj & { spec: Obj & { containers: Obj[] } } } };

function deployment(): DeploymentFixture {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      creationTimestamp: null,
      labels: { app: 'web', 'app.kubernetes.io/name': 'web' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }],
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' }, creationTimestamp: null },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [{ name: 'A', value: '1' }],
              resources: { limits: { cpu: 1, memory: '128Mi' }, requests: { cpu: '250m' } },
              readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
            },
            { name: 'sidecar', image: 'busybox', command: ['sleep', 'infinity'] },
          ],
          restartPolicy: 'Always',
        },
      },
    },
    status: { replicas: 3, conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2024-05-01T10:00:00Z' }] },
  };
}

describe('validateObject', () => {
  it('accepts a valid Deployment, nulls, numeric quantities and int-or-string alike', () => {
    expect(validateObject(DEPLOYMENT, deployment(), { strict: true })).toEqual([]);
  });

  it('reports a wrong type with its upstream field path and message', () => {
    const d = deployment();
    d.spec['replicas'] = '3';
    d.spec.template.spec.containers[1] = { name: 'sidecar', image: 5 };
    expect(validateObject(DEPLOYMENT, d, { strict: false })).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.replicas',
        message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      },
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.template.spec.containers[1].image',
        message:
          'Invalid value: "integer": spec.template.spec.containers[1].image in body must be of type string: "integer"',
      },
    ]);
  });

  it('reports missing required fields, map values by key, and bad formats', () => {
    const d = deployment();
    delete d.spec['selector'];
    d.spec.template.spec.containers[0] = {
      image: 'nginx',
      resources: { limits: { cpu: 'lots' } },
      ports: [{ containerPort: 2 ** 31 }],
    };
    (d['metadata'] as Obj)['labels'] = { app: 7 };
    (d['metadata'] as Obj)['creationTimestamp'] = 'yesterday';
    const causes = validateObject(DEPLOYMENT, d, { strict: false });
    expect(causes).toEqual(
      expect.arrayContaining([
        { reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' },
        { reason: 'FieldValueRequired', field: 'spec.template.spec.containers[0].name', message: 'Required value' },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.template.spec.containers[0].resources.limits[cpu]',
          message: `Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.template.spec.containers[0].ports[0].containerPort',
          message:
            'Invalid value: 2147483648: spec.template.spec.containers[0].ports[0].containerPort in body must be of type int32: "2147483648"',
        },
        {
          reason: 'FieldValueTypeInvalid',
          field: 'metadata.labels[app]',
          message: 'Invalid value: "integer": metadata.labels[app] in body must be of type string: "integer"',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'metadata.creationTimestamp',
          message: 'Invalid value: "yesterday": metadata.creationTimestamp in body must be of type date-time: "yesterday"',
        },
      ]),
    );
    expect(causes).toHaveLength(6);
  });

  it('adds unknown fields, found at any depth, only when strict', () => {
    const d = deployment();
    d.spec['foo'] = 1;
    d.spec.template.spec.containers[1] = { name: 'sidecar', image: 'busybox', imagePullPolicyy: 'Always' };
    expect(validateObject(DEPLOYMENT, d, { strict: false })).toEqual([]);
    // In document order: spec.foo was added after spec.template.
    expect(validateObject(DEPLOYMENT, d, { strict: true })).toEqual([
      {
        reason: 'FieldValueUnknown',
        field: 'spec.template.spec.containers[1].imagePullPolicyy',
        message: 'unknown field "spec.template.spec.containers[1].imagePullPolicyy"',
      },
      { reason: 'FieldValueUnknown', field: 'spec.foo', message: 'unknown field "spec.foo"' },
    ]);
  });

  it('refuses a kind it has no schema for', () => {
    expect(() => validateObject({ group: 'batch', version: 'v1', kind: 'Job' }, {}, { strict: false })).toThrow(/no schema/);
  });
});

describe('unknownFields', () => {
  it('gives upstream strict-decoding messages; labels, annotations and fieldsV1 are free-form', () => {
    const d = deployment();
    d.spec.template.spec.containers[1] = { name: 'sidecar', image: 'busybox', resources: { limitz: {} } };
    (d['status'] as Obj)['bogus'] = true;
    const unknown = unknownFields(DEPLOYMENT, d);
    expect(unknown).toEqual([
      'unknown field "spec.template.spec.containers[1].resources.limitz"',
      'unknown field "status.bogus"',
    ]);
    expect(strictDecodingError(unknown)).toBe(
      'strict decoding error: unknown field "spec.template.spec.containers[1].resources.limitz", unknown field "status.bogus"',
    );
  });
});

const FILE = 'impl/api/schema/validate.test.ts';

/** Every served kind (lists, Status and DeleteOptions included) with an arbitrary of its objects. */
const KINDS: { gvk: GroupVersionKind; objects: fc.Arbitrary<unknown> }[] = Object.entries(definitions).flatMap(
  ([name, schema]) => (schema['x-kubernetes-group-version-kind'] ?? []).map((gvk) => ({ gvk, objects: schemaArbitrary(name) })),
);

describe('objects the schema describes', () => {
  const name = 'validate cleanly and have no unknown fields, for every served kind';
  it(name, () => {
    const sample = fc.constantFrom(...KINDS).chain(({ gvk, objects }) => objects.map((obj) => ({ gvk, obj })));
    checkProperty(
      FILE,
      name,
      fc.property(sample, ({ gvk, obj }) => {
        expect(validateObject(gvk, obj, { strict: true })).toEqual([]);
      }),
      300,
    );
  });
});
