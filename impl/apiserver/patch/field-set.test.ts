import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../../../specs/support/property.js';
import { FieldSet, fieldSetOf, formatFieldPath, valueAt, type FieldPath } from './field-set.js';
import { patchSchemaFor } from './patch-schema.js';

const FILE = 'impl/apiserver/patch/field-set.test.ts';
const DEPLOYMENT = patchSchemaFor('Deployment')!;

describe('fieldSetOf', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, finalizers: ['x'] },
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [{ name: 'web', image: 'nginx', args: ['-v'], resources: {}, ports: [{ containerPort: 80 }] }],
          tolerations: [{ key: 'k' }],
        },
      },
    },
  };

  it("writes fieldsV1 in upstream's shape, leaving identity fields unowned", () => {
    expect(fieldSetOf(deployment, DEPLOYMENT).toFieldsV1()).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"x"': {} }, 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:args': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80}': { '.': {}, 'f:containerPort': {} } },
                'f:resources': {},
              },
            },
            'f:tolerations': {},
          },
        },
      },
    });
  });

  it('prints paths as upstream does in conflicts', () => {
    expect(formatFieldPath(['f:spec', 'f:replicas'])).toBe('.spec.replicas');
    expect(formatFieldPath(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'])).toBe(
      '.spec.template.spec.containers[name="web"].image',
    );
    expect(formatFieldPath(['f:metadata', 'f:finalizers', 'v:"x"'])).toBe('.metadata.finalizers[="x"]');
  });

  it('finds values by path', () => {
    expect(valueAt(deployment, ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'])).toBe('nginx');
    expect(valueAt(deployment, ['f:metadata', 'f:finalizers', 'v:"x"'])).toBe('x');
    expect(valueAt(deployment, ['f:spec', 'f:nope'])).toBeUndefined();
  });

  it('a list whose elements lack the merge key is owned whole', () => {
    const set = fieldSetOf({ spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, DEPLOYMENT);
    expect(set.paths()).toEqual([['f:spec', 'f:template', 'f:spec', 'f:containers']]);
  });
});

describe('FieldSet', () => {
  it('set operations', () => {
    const a = new FieldSet([['f:a'], ['f:b', 'f:c']]);
    const b = new FieldSet([['f:b', 'f:c'], ['f:d']]);
    expect(a.union(b).size).toBe(3);
    expect(a.intersection(b).paths()).toEqual([['f:b', 'f:c']]);
    expect(a.difference(b).paths()).toEqual([['f:a']]);
    expect(a.hasAtOrBelow(['f:b'])).toBe(true);
    expect(a.hasAtOrBelow(['f:c'])).toBe(false);
  });

  const pe = fc.oneof(
    fc.constantFrom('a', 'b', 'c').map((f) => `f:${f}`),
    fc.constantFrom('x', 'y').map((n) => `k:${JSON.stringify({ name: n })}`),
    fc.constantFrom('"v"', '1').map((v) => `v:${v}`),
  );
  it('property: fieldsV1 round-trips', () => {
    checkProperty(
      FILE,
      'property: fieldsV1 round-trips',
      fc.property(fc.array(fc.array(pe, { minLength: 1, maxLength: 4 }), { maxLength: 6 }), (paths: FieldPath[]) => {
        const set = new FieldSet(paths);
        const back = FieldSet.fromFieldsV1(set.toFieldsV1());
        expect(back.size).toBe(set.size);
        for (const p of set.paths()) expect(back.has(p)).toBe(true);
      }),
    );
  });
});
