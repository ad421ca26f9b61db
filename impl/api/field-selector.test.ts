// Field selectors against upstream's parsing, escaping and error texts, plus round-trip properties.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FieldSelectorError,
  escapeFieldValue,
  fieldSelectorMatches,
  fieldSelectorRequiresExactMatch,
  fieldSelectorToString,
  isEmptyFieldSelector,
  oneTermEqualSelector,
  parseFieldSelector,
  unescapeFieldValue,
} from './field-selector.js';

const pod: Record<string, string> = { 'metadata.name': 'web-1', 'metadata.namespace': 'default', 'status.phase': 'Running' };
const getField = (f: string): string | undefined => pod[f];

describe('parseFieldSelector', () => {
  it.each([
    ['', ''],
    ['metadata.name=x', 'metadata.name=x'],
    ['metadata.name==x', 'metadata.name=x'],
    ['spec.nodeName!=', 'spec.nodeName!='],
    ['status.phase==Running,metadata.name=web-1', 'metadata.name=web-1,status.phase=Running'],
    ['a=b,,c=d', 'a=b,c=d'],
    [',', ''],
    ['=', ''],
    ['!=,a=b', 'a=b'],
    ['a=x\\,y', 'a=x\\,y'],
    ['a=x\\=y\\\\z', 'a=x\\=y\\\\z'],
    ['a=!b', 'a=!b'],
    [' a = b', ' a = b'],
  ])('%j prints as %j', (input, printed) => {
    expect(fieldSelectorToString(parseFieldSelector(input))).toBe(printed);
  });

  it('unescapes values and keeps fields verbatim', () => {
    expect(parseFieldSelector('a=x\\,y,b!=1\\=2').requirements).toEqual([
      { field: 'a', operator: '=', value: 'x,y' },
      { field: 'b', operator: '!=', value: '1=2' },
    ]);
    expect(parseFieldSelector(' a = b').requirements).toEqual([{ field: ' a ', operator: '=', value: ' b' }]);
  });

  it.each([
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a==b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('%j fails with upstream message', (input, message) => {
    expect(() => parseFieldSelector(input)).toThrow(FieldSelectorError);
    expect(() => parseFieldSelector(input)).toThrow(message);
  });
});

describe('matching', () => {
  it.each([
    ['', true],
    ['metadata.name=web-1', true],
    ['metadata.name==web-1', true],
    ['metadata.name=web-2', false],
    ['metadata.name!=web-2', true],
    ['status.phase=Running,metadata.namespace=default', true],
    ['status.phase=Running,metadata.namespace=kube-system', false],
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
    ['spec.nodeName=n1', false],
  ])('%j is %s', (selector, expected) => {
    expect(fieldSelectorMatches(parseFieldSelector(selector), getField)).toBe(expected);
  });

  it('one-term selectors and exact matches', () => {
    const sel = oneTermEqualSelector('spec.nodeName', 'node-1');
    expect(fieldSelectorToString(sel)).toBe('spec.nodeName=node-1');
    expect(fieldSelectorRequiresExactMatch(sel, 'spec.nodeName')).toBe('node-1');
    expect(fieldSelectorRequiresExactMatch(parseFieldSelector('a!=1,a=2'), 'a')).toBe('2');
    expect(fieldSelectorRequiresExactMatch(parseFieldSelector('a!=1'), 'a')).toBeUndefined();
    expect(isEmptyFieldSelector(parseFieldSelector(',,'))).toBe(true);
    expect(isEmptyFieldSelector(sel)).toBe(false);
  });
});

const fieldArb = fc.constantFrom('metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase', 'a');
const valueArb = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('', ',', '=', '\\', 'a\\,b', 'x=y,z'));

describe('properties', () => {
  it('unescape ∘ escape is the identity', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: fc.constantFrom('\\', ',', '=', 'a', ' ', 'é', '😀'), maxLength: 20 })), (v) => {
        expect(unescapeFieldValue(escapeFieldValue(v))).toBe(v);
      }),
    );
  });

  it('parse ∘ toString keeps printing and matching', () => {
    const reqArb = fc.record({ field: fieldArb, operator: fc.constantFrom<'=' | '!='>('=', '!='), value: valueArb });
    fc.assert(
      fc.property(fc.array(reqArb, { maxLength: 4 }), fc.dictionary(fieldArb, valueArb), (reqs, object) => {
        const printed = fieldSelectorToString({ requirements: reqs });
        const parsed = parseFieldSelector(printed);
        // Parsing orders terms by their text, so compare as sets of terms.
        expect(fieldSelectorToString(parsed).split(',').sort()).toEqual(printed === '' ? [''] : printed.split(',').sort());
        const get = (f: string): string | undefined => (Object.hasOwn(object, f) ? object[f] : undefined);
        expect(fieldSelectorMatches(parsed, get)).toBe(fieldSelectorMatches({ requirements: reqs }, get));
      }),
    );
  });
});
