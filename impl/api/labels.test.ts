// Label validation, the selector language and LabelSelector conversion against upstream's texts,
// plus print/parse round-trip properties.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVERYTHING_SELECTOR,
  LabelSelectorError,
  NOTHING_SELECTOR,
  type Labels,
  type Requirement,
  type SelectionOperator,
  type Selector,
  goQuote,
  isEmptySelector,
  isQualifiedName,
  isValidLabelValue,
  labelSelectorAsSelector,
  labelSelectorMatches,
  newRequirement,
  parseSelector,
  requiresExactMatch,
  selectorFromSet,
  selectorMatches,
  selectorToString,
  validateLabelSelector,
  validateLabels,
} from './labels.js';

const NAME_REGEX_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_REGEX_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('label keys and values', () => {
  it('accepts qualified names with an optional DNS subdomain prefix', () => {
    for (const key of ['a', 'A', 'my.name', 'MyName', '123-abc', 'a_b', 'example.com/MyName', 'k8s.io/a', 'x'.repeat(63), `${'a'.repeat(253)}/b`]) {
      expect(isQualifiedName(key)).toEqual([]);
    }
  });

  it('rejects bad keys with upstream messages', () => {
    expect(isQualifiedName('')).toEqual(['name part must be non-empty', `name part ${NAME_REGEX_ERR}`]);
    expect(isQualifiedName('-a')).toEqual([`name part ${NAME_REGEX_ERR}`]);
    expect(isQualifiedName('x'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
    expect(isQualifiedName('/a')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('Example.com/a')).toEqual([`prefix part ${SUBDOMAIN_ERR}`]);
    expect(isQualifiedName(`${'a'.repeat(254)}/b`)).toEqual(['prefix part must be no more than 253 characters']);
    expect(isQualifiedName('a/b/c')).toEqual([
      `a qualified name ${NAME_REGEX_ERR} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
  });

  it('accepts empty values and rejects bad ones', () => {
    for (const v of ['', 'a', 'MyValue', 'my_value', '12345', 'a.b-c', 'x'.repeat(63)]) expect(isValidLabelValue(v)).toEqual([]);
    expect(isValidLabelValue('-a')).toEqual([VALUE_REGEX_ERR]);
    expect(isValidLabelValue('a b')).toEqual([VALUE_REGEX_ERR]);
    expect(isValidLabelValue('x'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  it('validateLabels reports causes on the map path, keys in order', () => {
    expect(validateLabels({ ok: 'fine', '-bad': 'v', k: 'bad value' }, 'metadata.labels')).toEqual([
      { reason: 'FieldValueInvalid', field: 'metadata.labels', message: `Invalid value: "-bad": name part ${NAME_REGEX_ERR}` },
      { reason: 'FieldValueInvalid', field: 'metadata.labels', message: `Invalid value: "bad value": ${VALUE_REGEX_ERR}` },
    ]);
  });
});

describe('parseSelector', () => {
  it.each([
    ['', ''],
    ['a', 'a'],
    ['!a', '!a'],
    ['a=b', 'a=b'],
    ['a==b', 'a==b'],
    ['a!=b', 'a!=b'],
    ['a in (x,y)', 'a in (x,y)'],
    ['a notin (x)', 'a notin (x)'],
    [' a = b , c in ( z , y ) ,!d', 'a=b,c in (y,z),!d'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['a in (,)', 'a in ()'],
    ['a in (x,x)', 'a in (x)'],
    ['a>5', 'a>5'],
    ['a<10', 'a<10'],
    ['in=notin', 'in=notin'],
    ['in in (in,notin)', 'in in (in,notin)'],
    ['a=', 'a='],
    ['a=,b', 'a=,b'],
    ['z,a,m=1', 'a,m=1,z'],
    ['example.com/k=v', 'example.com/k=v'],
    ['a\tin\n(b)', 'a in (b)'],
  ])('%j parses and prints as %j', (input, printed) => {
    expect(selectorToString(parseSelector(input))).toBe(printed);
  });

  const NAME_REQ = 'unable to parse requirement: ';
  it.each([
    ['a b', `${NAME_REQ}found 'b', expected: in, notin, =, ==, !=, gt, lt`],
    ['a!b', `${NAME_REQ}found '!', expected: in, notin, =, ==, !=, gt, lt`],
    ['x in (', `${NAME_REQ}found '', expected: ',', ')' or identifier`],
    ['a in', `${NAME_REQ}found '' expected: '('`],
    ['a in b', `${NAME_REQ}found 'b' expected: '('`],
    ['a in (b c)', `${NAME_REQ}found 'c', expected: ',' or ')'`],
    ['a in (b,', `${NAME_REQ}found '', expected: ',', or identifier`],
    ['a=(b)', `${NAME_REQ}found '(', expected: identifier`],
    ['!', `${NAME_REQ}found '', expected: identifier`],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['a=b=c', "found '=', expected: ',' or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a/b/c', `${NAME_REQ}<nil>: Invalid value: "a/b/c": a qualified name ${NAME_REGEX_ERR} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
    ['x=a||y=b', `${NAME_REQ}values[0][x]: Invalid value: "a||y": ${VALUE_REGEX_ERR}`],
    ['a>b', `${NAME_REQ}values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`],
    [`x=${'v'.repeat(64)}`, `${NAME_REQ}values[0][x]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`],
  ])('%j fails with upstream message', (input, message) => {
    expect(() => parseSelector(input)).toThrow(LabelSelectorError);
    expect(() => parseSelector(input)).toThrow(message);
  });
});

describe('matching', () => {
  const labels: Labels = { app: 'web', tier: 'front', n: '7', empty: '' };
  it.each([
    ['', true],
    ['app', true],
    ['!app', false],
    ['missing', false],
    ['!missing', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=db', true],
    ['app in (db,web)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['missing in (web)', false],
    ['empty=', true],
    ['missing=', false],
    ['n>6', true],
    ['n>7', false],
    ['n<8', true],
    ['app>1', false],
    ['missing<1', false],
    ['app=web,tier=back', false],
    ['app=web,tier in (front)', true],
  ])('%j on %o is %s', (selector, expected) => {
    expect(selectorMatches(parseSelector(selector), labels)).toBe(expected);
  });

  it('does not see inherited properties as labels', () => {
    expect(selectorMatches(parseSelector('constructor'), {})).toBe(false);
    expect(selectorMatches(parseSelector('!toString'), {})).toBe(true);
  });

  it('requiresExactMatch finds the value a selector pins', () => {
    const sel = parseSelector('a=1,b in (2),c in (3,4),d!=5');
    expect(requiresExactMatch(sel, 'a')).toBe('1');
    expect(requiresExactMatch(sel, 'b')).toBe('2');
    expect(requiresExactMatch(sel, 'c')).toBeUndefined();
    expect(requiresExactMatch(sel, 'd')).toBeUndefined();
    expect(requiresExactMatch(sel, 'e')).toBeUndefined();
  });

  it('selectorFromSet matches exactly the set and prints sorted', () => {
    const sel = selectorFromSet({ b: '2', a: '1' });
    expect(selectorToString(sel)).toBe('a=1,b=2');
    expect(selectorMatches(sel, { a: '1', b: '2', c: '3' })).toBe(true);
    expect(selectorMatches(sel, { a: '1' })).toBe(false);
    expect(isEmptySelector(selectorFromSet({}))).toBe(true);
  });
});

describe('metav1.LabelSelector', () => {
  it('null and undefined select nothing; {} selects everything', () => {
    expect(labelSelectorAsSelector(null)).toBe(NOTHING_SELECTOR);
    expect(labelSelectorAsSelector(undefined)).toBe(NOTHING_SELECTOR);
    expect(labelSelectorAsSelector({})).toBe(EVERYTHING_SELECTOR);
    expect(labelSelectorAsSelector({ matchLabels: {}, matchExpressions: [] })).toBe(EVERYTHING_SELECTOR);
    expect(labelSelectorMatches(null, {})).toBe(false);
    expect(labelSelectorMatches({}, {})).toBe(true);
    expect(isEmptySelector(NOTHING_SELECTOR)).toBe(false);
    expect(selectorToString(NOTHING_SELECTOR)).toBe('');
  });

  it('converts matchLabels and matchExpressions into sorted requirements', () => {
    const sel = labelSelectorAsSelector({
      matchLabels: { tier: 'front', app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
        { key: 'gpu', operator: 'Exists', values: [] },
      ],
    });
    expect(selectorToString(sel)).toBe('app=web,!canary,env in (dev,prod),gpu,tier=front,zone notin (b)');
    expect(selectorMatches(sel, { app: 'web', tier: 'front', env: 'dev', gpu: '' })).toBe(true);
    expect(selectorMatches(sel, { app: 'web', tier: 'front', env: 'dev', gpu: '', canary: 'y' })).toBe(false);
  });

  it.each([
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'],
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '"Gt" is not a valid label selector operator'],
    [{ matchLabels: { a: 'b c' } }, `values[0][a]: Invalid value: "b c": ${VALUE_REGEX_ERR}`],
  ])('rejects %j', (selector, message) => {
    expect(() => labelSelectorAsSelector(selector)).toThrow(message);
  });

  it('validateLabelSelector gives the API server causes', () => {
    expect(
      validateLabelSelector(
        {
          matchLabels: { '-x': 'v' },
          matchExpressions: [
            { key: 'a', operator: 'In', values: [] },
            { key: 'b', operator: 'Exists', values: ['v'] },
            { key: 'c/d/e', operator: 'Near', values: ['-'] },
          ],
        },
        'spec.selector',
      ),
    ).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.selector.matchLabels', message: `Invalid value: "-x": name part ${NAME_REGEX_ERR}` },
      {
        reason: 'FieldValueRequired',
        field: 'spec.selector.matchExpressions[0].values',
        message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
      },
      {
        reason: 'FieldValueForbidden',
        field: 'spec.selector.matchExpressions[1].values',
        message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      },
      { reason: 'FieldValueInvalid', field: 'spec.selector.matchExpressions[2].operator', message: 'Invalid value: "Near": not a valid selector operator' },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.selector.matchExpressions[2].key',
        message: `Invalid value: "c/d/e": a qualified name ${NAME_REGEX_ERR} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      },
      { reason: 'FieldValueInvalid', field: 'spec.selector.matchExpressions[2].values[0]', message: `Invalid value: "-": ${VALUE_REGEX_ERR}` },
    ]);
    expect(validateLabelSelector(null, 'spec.selector')).toEqual([]);
    expect(validateLabelSelector({ matchLabels: { a: 'b' } }, '')).toEqual([]);
  });
});

describe('newRequirement', () => {
  it('aggregates all errors as upstream does', () => {
    expect(() => newRequirement('a', '=', ['x', 'y'])).toThrow(
      'values: Invalid value: []string{"x", "y"}: exact-match compatibility requires one single value',
    );
    expect(() => newRequirement('a', 'gt', ['1', '2'])).toThrow(
      "values: Invalid value: []string{\"1\", \"2\"}: for 'Gt', 'Lt' operators, exactly one value is required",
    );
    expect(() => newRequirement('a/', 'in', ['ok', 'not ok'])).toThrow(
      `[key: Invalid value: "a/": name part must be non-empty; name part ${NAME_REGEX_ERR}, values[1][a/]: Invalid value: "not ok": ${VALUE_REGEX_ERR}]`,
    );
    expect(newRequirement('a', 'gt', ['9223372036854775807'])).toEqual({ key: 'a', operator: 'gt', values: ['9223372036854775807'] });
    expect(() => newRequirement('a', 'lt', ['9223372036854775808'])).toThrow('the value must be an integer');
  });
});

describe('goQuote', () => {
  it('quotes like Go %q', () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('\n\t\x00\x7f')).toBe('"\\n\\t\\x00\\x7f"');
    expect(goQuote('é日本')).toBe('"é日本"');
    expect(goQuote('\u200b')).toBe('"\\u200b"');
  });
});

// --- Properties -------------------------------------------------------------------------

const nameArb = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?$/);
const prefixArb = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,6}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,6}[a-z0-9])?){0,2}$/);
const keyArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('app', 'tier', 'in', 'notin', 'n') },
  { weight: 2, arbitrary: nameArb },
  { weight: 1, arbitrary: fc.tuple(prefixArb, nameArb).map(([p, n]) => `${p}/${n}`) },
);
const valueArb = fc.oneof(fc.constantFrom('', 'web', 'in', 'notin', '1', '42'), nameArb);

const requirementArb: fc.Arbitrary<Requirement> = fc.oneof(
  fc.tuple(keyArb, fc.constantFrom<SelectionOperator>('=', '==', '!='), valueArb).map(([k, op, v]) => newRequirement(k, op, [v])),
  fc
    .tuple(keyArb, fc.constantFrom<SelectionOperator>('in', 'notin'), fc.uniqueArray(valueArb, { minLength: 1, maxLength: 3 }))
    .map(([k, op, vs]) => newRequirement(k, op, vs)),
  fc.tuple(keyArb, fc.constantFrom<SelectionOperator>('exists', '!')).map(([k, op]) => newRequirement(k, op, [])),
  fc.tuple(keyArb, fc.constantFrom<SelectionOperator>('gt', 'lt'), fc.nat(100)).map(([k, op, n]) => newRequirement(k, op, [String(n)])),
);

const selectorArb: fc.Arbitrary<Selector> = fc
  .array(requirementArb, { maxLength: 5 })
  .map((rs) => ({ kind: 'requirements', requirements: [...rs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) }));

const labelsArb: fc.Arbitrary<Labels> = fc.dictionary(
  fc.oneof(fc.constantFrom('app', 'tier', 'in', 'notin', 'n'), keyArb),
  fc.oneof(valueArb, fc.nat(100).map(String)),
  { maxKeys: 6 },
);

describe('properties', () => {
  it('parse ∘ selectorToString is the identity on printed selectors and on matching', () => {
    fc.assert(
      fc.property(selectorArb, fc.array(labelsArb, { maxLength: 5 }), (sel, labelSets) => {
        const printed = selectorToString(sel);
        const reparsed = parseSelector(printed);
        expect(selectorToString(reparsed)).toBe(printed);
        for (const labels of labelSets) expect(selectorMatches(reparsed, labels)).toBe(selectorMatches(sel, labels));
      }),
    );
  });

  it('a LabelSelector and its string form select the same label sets', () => {
    const exprArb = fc.oneof(
      fc.tuple(nameArb, fc.constantFrom('In', 'NotIn'), fc.uniqueArray(valueArb, { minLength: 1, maxLength: 3 })).map(([key, operator, values]) => ({ key, operator, values })),
      fc.tuple(nameArb, fc.constantFrom('Exists', 'DoesNotExist')).map(([key, operator]) => ({ key, operator })),
    );
    const lsArb = fc.record({ matchLabels: fc.dictionary(nameArb, valueArb, { maxKeys: 3 }), matchExpressions: fc.array(exprArb, { maxLength: 3 }) });
    fc.assert(
      fc.property(lsArb, labelsArb, (ls, labels) => {
        expect(validateLabelSelector(ls, 'spec.selector')).toEqual([]);
        const sel = labelSelectorAsSelector(ls);
        expect(selectorMatches(parseSelector(selectorToString(sel)), labels)).toBe(selectorMatches(sel, labels));
        // A set selector matches the labels it was built from.
        expect(selectorMatches(selectorFromSet(ls.matchLabels), ls.matchLabels)).toBe(true);
      }),
    );
  });

  it('generated keys and values validate', () => {
    fc.assert(
      fc.property(keyArb, valueArb, (k, v) => {
        expect(isQualifiedName(k)).toEqual([]);
        expect(isValidLabelValue(v)).toEqual([]);
      }),
    );
  });
});
