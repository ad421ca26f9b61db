// Name rules and generateName against upstream's messages and limits.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_GENERATED_NAME_BASE_LENGTH,
  NAME_SUFFIX_ALPHABET,
  generateName,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  regexError,
  validateNamespaceName,
} from './names.js';

const SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_ERR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_ERR =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

describe('DNS names', () => {
  it('formats regex errors as upstream, odd spacing included', () => {
    expect(regexError('m', 'r')).toBe("m (regex used for validation is 'r')");
    expect(regexError('m', 'r', 'a', 'b')).toBe("m (e.g. 'a',  or 'b', regex used for validation is 'r')");
  });

  it('DNS-1123 subdomains', () => {
    for (const v of ['a', '0', 'example.com', 'a-b.c-d', 'a'.repeat(253), `${'a'.repeat(63)}.${'b'.repeat(63)}`]) {
      expect(isDNS1123Subdomain(v)).toEqual([]);
    }
    for (const v of ['', 'A', '-a', 'a-', 'a..b', '.a', 'a.', 'a_b', 'a b']) expect(isDNS1123Subdomain(v)).toEqual([SUBDOMAIN_ERR]);
    expect(isDNS1123Subdomain('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
    expect(isDNS1123Subdomain(`${'a'.repeat(254)}-`)).toEqual(['must be no more than 253 characters', SUBDOMAIN_ERR]);
  });

  it('DNS-1123 labels, with the dots hint', () => {
    for (const v of ['a', '0a', 'my-name', '123-abc', 'a'.repeat(63)]) expect(isDNS1123Label(v)).toEqual([]);
    expect(isDNS1123Label('a.b')).toEqual(['must not contain dots']);
    expect(isDNS1123Label('My-Name')).toEqual([LABEL_ERR]);
    expect(isDNS1123Label('')).toEqual([LABEL_ERR]);
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(isDNS1123Label(`${'a'.repeat(40)}.${'b'.repeat(40)}`)).toEqual(['must be no more than 63 characters', 'must not contain dots']);
  });

  it('DNS-1035 labels start with a letter', () => {
    expect(isDNS1035Label('my-svc')).toEqual([]);
    expect(isDNS1035Label('1svc')).toEqual([DNS1035_ERR]);
    expect(isDNS1035Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  it('counts bytes, as Go len() does', () => {
    expect(isDNS1123Label('é'.repeat(32))).toEqual(['must be no more than 63 characters', LABEL_ERR]);
  });
});

describe('name validators for ObjectMeta', () => {
  it('a generateName may end in a dash', () => {
    expect(nameIsDNSSubdomain('web-', true)).toEqual([]);
    expect(nameIsDNSSubdomain('web-', false)).toEqual([SUBDOMAIN_ERR]);
    expect(nameIsDNSLabel('ns-', true)).toEqual([]);
    expect(nameIsDNS1035Label('svc-', true)).toEqual([]);
    expect(validateNamespaceName('kube-system', false)).toEqual([]);
    expect(validateNamespaceName('a.b', false)).toEqual(['must not contain dots']);
  });

  it('masks the trailing dash as upstream does, dropping two characters for one', () => {
    // "a.-" is checked as "aa" and "x--" as "xa"; a lone "-" is not masked at all.
    expect(nameIsDNSSubdomain('a.-', true)).toEqual([]);
    expect(nameIsDNSSubdomain('x--', true)).toEqual([]);
    expect(nameIsDNSSubdomain('-', true)).toEqual([SUBDOMAIN_ERR]);
  });
});

describe('path segment names', () => {
  it.each([
    ['.', ["may not be '.'"]],
    ['..', ["may not be '..'"]],
    ['a/b', ["may not contain '/'"]],
    ['a%b', ["may not contain '%'"]],
    ['a/%', ["may not contain '/'", "may not contain '%'"]],
    ['...', []],
    ['', []],
    ['fine', []],
  ])('%j', (name, errs) => {
    expect(isValidPathSegmentName(name)).toEqual(errs);
  });

  it('a prefix may be "." (a suffix follows)', () => {
    expect(isValidPathSegmentPrefix('.')).toEqual([]);
    expect(isValidPathSegmentPrefix('a/')).toEqual(["may not contain '/'"]);
  });
});

describe('generateName', () => {
  it('appends five characters drawn through random()', () => {
    const chars = [...'bcdfg'];
    expect(generateName('web-', () => chars.shift() as string)).toBe('web-bcdfg');
  });

  it('truncates the base to 58 so the name is at most 63', () => {
    const name = generateName('x'.repeat(100), () => 'z');
    expect(name).toBe(`${'x'.repeat(58)}zzzzz`);
    expect(name).toHaveLength(63);
  });

  it('refuses a random() that does not give one alphabet character', () => {
    expect(() => generateName('a-', () => 'a')).toThrow(RangeError);
    expect(() => generateName('a-', () => 'bb')).toThrow(RangeError);
  });

  it('property: the name is the truncated base plus five alphabet characters, and a valid DNS label when the base is a valid prefix', () => {
    const baseArb = fc
      .tuple(fc.constantFrom(...'abz09'), fc.string({ unit: fc.constantFrom(...'-abz09'), maxLength: 80 }))
      .map(([first, rest]) => first + rest);
    fc.assert(
      fc.property(baseArb, fc.array(fc.nat(NAME_SUFFIX_ALPHABET.length - 1), { minLength: 5, maxLength: 5 }), (base, picks) => {
        const queue = [...picks];
        const name = generateName(base, () => NAME_SUFFIX_ALPHABET[queue.shift() as number] as string);
        expect(name.length).toBeLessThanOrEqual(63);
        expect(name.startsWith(base.slice(0, MAX_GENERATED_NAME_BASE_LENGTH))).toBe(true);
        expect(name.slice(-5)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        // Suffix characters are alphanumeric, so a base valid as a prefix gives a valid name.
        if (nameIsDNSLabel(base.slice(0, MAX_GENERATED_NAME_BASE_LENGTH), true).length === 0) {
          expect(isDNS1123Label(name)).toEqual([]);
        }
      }),
    );
  });
});
