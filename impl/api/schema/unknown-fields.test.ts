// The unknown-field walk on a small hand-made schema: struct fields by name, list items by
// index, map keys free but map values of object type checked, free-form objects skipped.

import { describe, expect, it } from 'vitest';
import type { Definitions } from './definitions.js';
import { findUnknownFields } from './unknown-fields.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const defs: Definitions = {
  Widget: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      parts: { type: 'array', items: ref('Part') },
      byName: { type: 'object', additionalProperties: ref('Part') },
      tags: { type: 'object', additionalProperties: { type: 'string' } },
      raw: { type: 'object' },
      size: { allOf: [ref('Size')], description: 'how big' },
    },
  },
  Part: { type: 'object', properties: { id: { type: 'integer' }, sub: { type: 'array', items: { type: 'array', items: ref('Part') } } } },
  Size: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
};
const widget = defs['Widget'] ?? {};

describe('findUnknownFields', () => {
  it('accepts an object that uses only declared fields', () => {
    const value = {
      name: 'w',
      parts: [{ id: 1 }],
      byName: { a: { id: 2 } },
      tags: { 'anything/goes': 'x' },
      raw: { whatever: { deep: [1] } },
      size: 3,
    };
    expect(findUnknownFields(widget, value, defs)).toEqual([]);
  });

  it('reports unknown fields at the top, in list items, in map values and in lists of lists', () => {
    const value = {
      colour: 'red',
      parts: [{ id: 1 }, { id: 2, extra: true }],
      byName: { 'k.1': { id: 3, bogus: {} } },
      tags: { free: 'x' },
      size: { not: 'walked' },
      name: { nested: 'not walked: a scalar field' },
    };
    const value2 = { parts: [{ sub: [[{ id: 1 }, { nope: 1 }]] }] };
    expect(findUnknownFields(widget, value, defs)).toEqual(['colour', 'parts[1].extra', 'byName.k.1.bogus']);
    expect(findUnknownFields(widget, value2, defs)).toEqual(['parts[0].sub[0][1].nope']);
  });

  it('treats inherited Object names as unknown, never as declared', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "constructor": 1, "toString": 2}') as unknown;
    expect(findUnknownFields(widget, value, defs)).toEqual(['__proto__', 'constructor', 'toString']);
  });

  it('reports an unknown field whatever its value, null included', () => {
    expect(findUnknownFields(widget, { gone: null, name: null }, defs)).toEqual(['gone']);
  });
});
