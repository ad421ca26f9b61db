import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../../../specs/support/property.js';
import type { JsonObject, JsonValue } from './json.js';
import { applyJsonPatch } from './json-patch.js';
import { formatPointer, parsePointer, PointerSyntaxError } from './json-pointer.js';
import { PatchError } from './patch-error.js';

const FILE = 'impl/apiserver/patch/json-patch.test.ts';

function patchError(f: () => unknown): PatchError {
  try {
    f();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected a PatchError');
}

describe('JSON pointers (RFC 6901)', () => {
  it('parses the examples of section 5', () => {
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/foo')).toEqual(['foo']);
    expect(parsePointer('/foo/0')).toEqual(['foo', '0']);
    expect(parsePointer('/')).toEqual(['']);
    expect(parsePointer('/a~1b')).toEqual(['a/b']);
    expect(parsePointer('/c%d')).toEqual(['c%d']);
    expect(parsePointer('/ ')).toEqual([' ']);
    expect(parsePointer('/m~0n')).toEqual(['m~n']);
    // ~01 is "~1", not "/": ~1 is unescaped before ~0.
    expect(parsePointer('/~01')).toEqual(['~1']);
  });

  it('round-trips through formatPointer', () => {
    for (const tokens of [[], ['a/b', 'm~n', ''], ['~1', '/~']]) expect(parsePointer(formatPointer(tokens))).toEqual(tokens);
  });

  it('rejects a pointer without a leading "/" and a bad escape', () => {
    expect(() => parsePointer('foo')).toThrow(PointerSyntaxError);
    expect(() => parsePointer('/a~2')).toThrow(/"~" not followed by 0 or 1/);
    expect(() => parsePointer('/a~')).toThrow(PointerSyntaxError);
  });
});

describe('applyJsonPatch: the examples of RFC 6902 appendix A', () => {
  const ok: [string, JsonValue, JsonValue, JsonValue][] = [
    ['adds an object member', { name: 'web' }, [{ op: 'add', path: '/image', value: 'nginx' }], { name: 'web', image: 'nginx' }],
    ['adds an array element', { args: ['a', 'c'] }, [{ op: 'add', path: '/args/1', value: 'b' }], { args: ['a', 'b', 'c'] }],
    ['removes an object member', { name: 'web', image: 'nginx' }, [{ op: 'remove', path: '/image' }], { name: 'web' }],
    ['removes an array element', { args: ['a', 'b', 'c'] }, [{ op: 'remove', path: '/args/1' }], { args: ['a', 'c'] }],
    ['replaces a value', { image: 'nginx', name: 'web' }, [{ op: 'replace', path: '/image', value: 'redis' }], { image: 'redis', name: 'web' }],
    [
      'moves a value',
      { spec: { replicas: 2, paused: true }, status: { x: 1 } },
      [{ op: 'move', from: '/spec/paused', path: '/status/paused' }],
      { spec: { replicas: 2 }, status: { x: 1, paused: true } },
    ],
    ['moves an array element', { l: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/l/1', path: '/l/3' }], { l: ['all', 'cows', 'eat', 'grass'] }],
    [
      'tests values that are equal',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    ['adds a nested object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['ignores members an operation does not use', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['reads ~01 as the key "~1"', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['"-" appends, and an array value is one element', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
  ];
  for (const [name, doc, patch, want] of ok) {
    it(name, () => expect(applyJsonPatch(doc, patch)).toEqual(want));
  }

  it('a failing test is an error naming the operation', () => {
    const err = patchError(() => applyJsonPatch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]));
    expect(err.code).toBe(422);
    expect(err.opIndex).toBe(0);
    expect(err.message).toBe('jsonpatch test operation at index 0 failed: /baz is "qux", not "bar"');
  });

  it('cannot add below a member that does not exist', () => {
    const err = patchError(() => applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }]));
    expect(err.message).toBe('jsonpatch add operation at index 0 does not apply: doc is missing path: /baz');
  });

  it('a string is not equal to a number', () => {
    expect(() => applyJsonPatch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }])).toThrow(/failed: \/~01 is 10, not "10"/);
  });
});

describe('applyJsonPatch: semantics and errors', () => {
  const pod: JsonObject = {
    metadata: { name: 'p', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: { containers: [{ name: 'a', image: 'nginx' }], replicas: 1 },
  };

  it('names the failing operation and why, like upstream', () => {
    const err = patchError(() =>
      applyJsonPatch(pod, [
        { op: 'replace', path: '/spec/replicas', value: 2 },
        { op: 'replace', path: '/spec/foo', value: 1 },
      ]),
    );
    expect(err.message).toBe('jsonpatch replace operation at index 1 does not apply: doc is missing key: /spec/foo');
    expect(err.opIndex).toBe(1);
    expect(err.reason).toBe('Invalid');
  });

  it('is atomic: nothing of a failing patch is visible, the input is untouched', () => {
    const before = structuredClone(pod);
    expect(() =>
      applyJsonPatch(pod, [
        { op: 'add', path: '/metadata/labels/x', value: 'y' },
        { op: 'remove', path: '/spec/containers/5' },
      ]),
    ).toThrow(/index 1 does not apply: index 5 is out of bounds for an array of length 1 at \/spec\/containers\/5/);
    expect(pod).toEqual(before);
  });

  it('escapes "/" in label keys with ~1', () => {
    const out = applyJsonPatch(pod, [{ op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'db' }]) as JsonObject;
    expect((out['metadata'] as JsonObject)['labels']).toEqual({ 'app.kubernetes.io/name': 'db' });
  });

  it('replaces or adds at the root', () => {
    expect(applyJsonPatch(pod, [{ op: 'replace', path: '', value: { a: 1 } }])).toEqual({ a: 1 });
    expect(applyJsonPatch(pod, [{ op: 'add', path: '', value: [1] }])).toEqual([1]);
    expect(() => applyJsonPatch(pod, [{ op: 'remove', path: '' }])).toThrow(/cannot remove the whole document/);
  });

  it('copies, and a copy is not shared with its source', () => {
    const out = applyJsonPatch(pod, [
      { op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' },
      { op: 'replace', path: '/spec/containers/1/name', value: 'b' },
    ]) as JsonObject;
    expect((out['spec'] as JsonObject)['containers']).toEqual([
      { name: 'a', image: 'nginx' },
      { name: 'b', image: 'nginx' },
    ]);
  });

  it('adds, replaces and tests null values', () => {
    const out = applyJsonPatch({ a: 1 }, [
      { op: 'add', path: '/b', value: null },
      { op: 'test', path: '/b', value: null },
      { op: 'replace', path: '/a', value: null },
    ]);
    expect(out).toEqual({ a: null, b: null });
  });

  it('test compares objects regardless of member order', () => {
    expect(() => applyJsonPatch({ o: { a: 1, b: [1, 2] } }, [{ op: 'test', path: '/o', value: { b: [1, 2], a: 1 } }])).not.toThrow();
    expect(() => applyJsonPatch({ o: { a: 1, b: [1, 2] } }, [{ op: 'test', path: '/o', value: { b: [2, 1], a: 1 } }])).toThrow(/test operation/);
  });

  it('moving to the same place is a no-op; moving into a child is an error', () => {
    expect(applyJsonPatch({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a' }])).toEqual({ a: { b: 1 } });
    expect(() => applyJsonPatch({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }])).toThrow(/cannot move \/a into its own child \/a\/b\/c/);
  });

  it('checks array indexes strictly', () => {
    const doc = { l: [1, 2] };
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/l/2', value: 3 }])).toEqual({ l: [1, 2, 3] });
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/l/3', value: 3 }])).toThrow(/index 3 is out of bounds/);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/l/01', value: 3 }])).toThrow(/"01" is not an array index/);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/l/-', value: 3 }])).toThrow(/"-" is not an array index/);
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/l/x/y', value: 3 }])).toThrow(/doc is missing path: \/l\/x/);
  });

  it('cannot step into a scalar', () => {
    expect(() => applyJsonPatch({ a: 'str' }, [{ op: 'add', path: '/a/b', value: 1 }])).toThrow(/\/a is string, not an object or array/);
  });

  it('reports copy and move from a missing place', () => {
    expect(() => applyJsonPatch({}, [{ op: 'copy', from: '/nope', path: '/x' }])).toThrow(
      'jsonpatch copy operation at index 0 does not apply: doc is missing from path: /nope',
    );
  });

  it('rejects a patch that is not an array with a 400', () => {
    const err = patchError(() => applyJsonPatch(pod, { op: 'add', path: '/a', value: 1 }));
    expect(err.code).toBe(400);
    expect(err.message).toBe('a JSON patch must be a JSON array of operations, not an object');
  });

  it('rejects malformed operations, naming their index', () => {
    const cases: [unknown, string][] = [
      [['add'], 'jsonpatch operation at index 0 is string, not an object'],
      [[{ path: '/a' }], 'jsonpatch operation at index 0 has no "op" member'],
      [[{ op: 'bogus', path: '/a' }], 'jsonpatch operation at index 0 has unknown op "bogus" (want one of add, remove, replace, move, copy, test)'],
      [[{ op: 'add', value: 1 }], 'jsonpatch operation at index 0 (add) has no "path" member'],
      [[{ op: 'test', path: '/a' }, { op: 'add', path: '/a' }], 'jsonpatch operation at index 0 (test) has no "value" member'],
      [[{ op: 'move', path: '/a' }], 'jsonpatch operation at index 0 (move) has no "from" member'],
      [[{ op: 'remove', path: 'a' }], 'jsonpatch operation at index 0 (remove) has a bad "path": JSON pointer "a" must be empty or start with "/"'],
      [[{ op: 'remove', path: 3 }], 'jsonpatch operation at index 0 (remove) has a non-string "path" member'],
    ];
    for (const [patch, message] of cases) {
      const err = patchError(() => applyJsonPatch({ a: 1 }, patch));
      expect(err.message).toBe(message);
      expect(err.opIndex).toBe(0);
    }
  });

  it('an empty patch returns an equal document', () => {
    expect(applyJsonPatch(pod, [])).toEqual(pod);
  });
});

describe('applyJsonPatch: properties', () => {
  const scalar = fc.oneof(fc.string({ maxLength: 2 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.constant(null));
  const { value } = fc.letrec<{ value: JsonValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
    ),
  }));
  const doc = fc.dictionary(fc.constantFrom('a', 'b', 'c'), value, { maxKeys: 3 });
  const pointer = fc.constantFrom('/a', '/b', '/c', '/a/0', '/a/1', '/a/-', '/a/b', '/b/a', '/b/c/a', '/c/0/a');
  const operation = fc.oneof(
    fc.record({ op: fc.constantFrom('add', 'replace', 'test'), path: pointer, value }),
    fc.record({ op: fc.constant('remove'), path: pointer }),
    fc.record({ op: fc.constantFrom('move', 'copy'), from: pointer, path: pointer }),
  );
  const patch = fc.array(operation, { maxLength: 5 });

  it('property: a failing patch leaves the document unchanged; a whole patch equals its operations one by one', () => {
    checkProperty(
      FILE,
      'property: a failing patch leaves the document unchanged; a whole patch equals its operations one by one',
      fc.property(doc, patch, (d, ops) => {
        const before = structuredClone(d);
        let stepwise: JsonValue | undefined = d;
        let failedAt: number | undefined;
        for (const [i, op] of ops.entries()) {
          try {
            stepwise = applyJsonPatch(stepwise, [op]);
          } catch (e) {
            if (!(e instanceof PatchError)) throw e;
            failedAt = i;
            break;
          }
        }
        let whole: JsonValue | undefined;
        let error: PatchError | undefined;
        try {
          whole = applyJsonPatch(d, ops);
        } catch (e) {
          if (!(e instanceof PatchError)) throw e;
          error = e;
        }
        expect(d).toEqual(before);
        if (failedAt === undefined) {
          expect(error).toBeUndefined();
          expect(whole).toEqual(stepwise);
        } else {
          expect(error?.opIndex).toBe(failedAt);
        }
      }),
      300,
    );
  });
});
