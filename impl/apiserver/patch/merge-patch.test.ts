import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../../../specs/support/property.js';
import type { JsonObject, JsonValue } from './json.js';
import { applyMergePatch, createMergePatch } from './merge-patch.js';
import { PatchError } from './patch-error.js';

const FILE = 'impl/apiserver/patch/merge-patch.test.ts';

describe('applyMergePatch: the cases of RFC 7386 appendix A', () => {
  const cases: [string, JsonValue, JsonObject, JsonValue][] = [
    ['replaces a member', { color: 'red' }, { color: 'blue' }, { color: 'blue' }],
    ['adds a member', { color: 'red' }, { size: 'L' }, { color: 'red', size: 'L' }],
    ['null deletes the only member', { color: 'red' }, { color: null }, {}],
    ['null deletes one member of several', { color: 'red', size: 'L' }, { color: null }, { size: 'L' }],
    ['a scalar replaces an array', { tags: ['x'] }, { tags: 'y' }, { tags: 'y' }],
    ['an array replaces a scalar', { tags: 'y' }, { tags: ['x'] }, { tags: ['x'] }],
    ['objects merge recursively, nulls inside delete', { spec: { a: 'b' } }, { spec: { a: 'c', gone: null } }, { spec: { a: 'c' } }],
    ['arrays replace, never merge', { list: [{ name: 'a' }] }, { list: [7] }, { list: [7] }],
    ['a null already in the target stays', { kept: null }, { added: 1 }, { kept: null, added: 1 }],
    ['an object patch turns a non-object target into an object', [1, 2], { a: 'b', c: null }, { a: 'b' }],
    ['nulls inside a new object are dropped', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ['an undefined target is an empty one', { x: 1 }, {}, { x: 1 }],
  ];
  for (const [name, target, patch, want] of cases) {
    it(name, () => expect(applyMergePatch(target, patch)).toEqual(want));
  }

  // RFC 7386 lets a non-object patch replace the whole document; the API server takes only objects.
  for (const [name, patch] of [
    ['an array', ['c', 'd']],
    ['null', null],
    ['a string', 'bar'],
    ['a number', 42],
  ] as const) {
    it(`rejects ${name} as a patch with a 400`, () => {
      const err = catchPatchError(() => applyMergePatch({ a: 'foo' }, patch));
      expect(err.code).toBe(400);
      expect(err.message).toMatch(/^a merge patch must be a JSON object, not (a|an) /);
    });
  }

  it('rejects what JSON cannot carry', () => {
    expect(() => applyMergePatch({}, { a: Number.NaN })).toThrow(PatchError);
    expect(() => applyMergePatch({}, { a: () => 1 })).toThrow(/not valid JSON/);
  });
});

describe('applyMergePatch: what kubectl sends', () => {
  const deployment: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { a: '1' } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  };

  it('kubectl scale: {"spec":{"replicas":5}}', () => {
    const out = applyMergePatch(deployment, { spec: { replicas: 5 } }) as JsonObject;
    expect(out['spec']).toEqual({ replicas: 5, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } });
  });

  it('kubectl label tier=fe, then tier-', () => {
    const labelled = applyMergePatch(deployment, { metadata: { labels: { tier: 'fe' } } }) as JsonObject;
    expect((labelled['metadata'] as JsonObject)['labels']).toEqual({ app: 'web', tier: 'fe' });
    const unlabelled = applyMergePatch(labelled, { metadata: { labels: { tier: null } } }) as JsonObject;
    expect((unlabelled['metadata'] as JsonObject)['labels']).toEqual({ app: 'web' });
  });

  it('kubectl annotate --overwrite, with the resourceVersion precondition it may send', () => {
    const out = applyMergePatch(deployment, { metadata: { annotations: { a: '2' }, resourceVersion: '7' } }) as JsonObject;
    expect(out['metadata']).toEqual({ name: 'web', labels: { app: 'web' }, annotations: { a: '2' }, resourceVersion: '7' });
  });

  it('never modifies its inputs, and the result shares nothing with them', () => {
    const target = structuredClone(deployment);
    const patch = { spec: { replicas: 3 }, metadata: { labels: null } };
    const patchCopy = structuredClone(patch);
    const out = applyMergePatch(target, patch) as JsonObject;
    expect(target).toEqual(deployment);
    expect(patch).toEqual(patchCopy);
    ((out['spec'] as JsonObject)['template'] as JsonObject)['x'] = 1;
    expect(target).toEqual(deployment);
  });

  it('a "__proto__" member is data, not a prototype', () => {
    const patch = JSON.parse('{"__proto__":{"polluted":true}}') as JsonObject;
    const out = applyMergePatch({}, patch) as JsonObject;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('createMergePatch', () => {
  it('writes additions, changes and deletions', () => {
    const from = { a: 1, b: { c: 2, d: 3 }, e: [1] };
    const to = { a: 1, b: { c: 4 }, e: [1, 2], f: 'new' };
    expect(createMergePatch(from, to)).toEqual({ b: { c: 4, d: null }, e: [1, 2], f: 'new' });
  });

  it('is empty for equal objects', () => {
    expect(createMergePatch({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] } })).toEqual({});
  });

  it('cannot express a null member', () => {
    expect(() => createMergePatch({}, { a: null })).toThrow(/cannot set a to null/);
  });

  const key = fc.constantFrom('a', 'b', 'c', 'spec', 'metadata', '__proto__');
  const scalar = fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -3, max: 3 }), fc.boolean());
  // Objects without null members (a merge patch cannot set null); arrays may hold anything.
  const { object } = fc.letrec<{ object: JsonObject; value: JsonValue }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalar, tie('object'), fc.array(fc.oneof(fc.constant(null), scalar, tie('object')), { maxLength: 3 })),
    object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  }));

  it('property: applyMergePatch(a, createMergePatch(a, b)) equals b', () => {
    checkProperty(
      FILE,
      'property: applyMergePatch(a, createMergePatch(a, b)) equals b',
      fc.property(object, object, (a, b) => {
        expect(applyMergePatch(a, createMergePatch(a, b))).toEqual(b);
      }),
    );
  });

  it('property: a merge patch applied twice changes nothing more', () => {
    checkProperty(
      FILE,
      'property: a merge patch applied twice changes nothing more',
      fc.property(object, object, (a, p) => {
        const once = applyMergePatch(a, p);
        expect(applyMergePatch(once, p)).toEqual(once);
      }),
    );
  });
});

function catchPatchError(f: () => unknown): PatchError {
  try {
    f();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected a PatchError');
}
