// Quantity against upstream's parse, print and arithmetic cases, plus round-trip properties.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ERR_QUANTITY_FORMAT,
  ERR_QUANTITY_NUMERIC,
  ERR_QUANTITY_SUFFIX,
  Quantity,
  QuantityParseError,
  parseQuantity,
} from './quantity.js';

const q = parseQuantity;

describe('parseQuantity: values', () => {
  // Expected amounts in milli-units where exact at that scale, from upstream's TestQuantityParse.
  it.each([
    ['0', 0n],
    ['0Ki', 0n],
    ['1', 1000n],
    ['100m', 100n],
    ['1.5', 1500n],
    ['1Ki', 1024_000n],
    ['8Ki', 8n * 1024_000n],
    ['7Mi', 7n * 1024n * 1024n * 1000n],
    ['3Ei', 3n * 2n ** 60n * 1000n],
    ['256Mi', 256n * 2n ** 20n * 1000n],
    ['0.5Ki', 512_000n],
    ['1k', 1_000_000n],
    ['50k', 50_000_000n],
    ['1e3', 1_000_000n],
    ['1E-3', 1n],
    ['+1', 1000n],
    ['-1', -1000n],
    ['100.035k', 100_035_000n],
    ['0.0005k', 500n],
    ['10.035M', 10_035_000_000n],
    ['1.3E+6', 1_300_000_000n],
    ['.001', 1n],
    ['.0001k', 100n],
    ['1.', 1000n],
    ['1.G', 1_000_000_000_000n],
    ['100.035Ki', 102_435_840n],
    ['0.5Mi', 524_288_000n],
    ['12E', 12n * 10n ** 21n],
  ])('%s is %d milli', (text, milli) => {
    expect(q(text).milliValue()).toBe(milli);
  });

  it('rounds up to one nano unit, away from zero', () => {
    expect(q('3.001n').equals(q('4n'))).toBe(true);
    expect(q('1.1E-9').equals(q('2n'))).toBe(true);
    expect(q('0.0000000001').equals(q('1n'))).toBe(true);
    expect(q('0.00000012345').equals(q('124n'))).toBe(true);
    expect(q('-0.9n').equals(q('-1n'))).toBe(true);
    expect(q('1e-1000000').equals(q('1n'))).toBe(true);
    expect(q('0.000000000001Ki').equals(q('2n'))).toBe(true);
  });

  it('caps binary quantities at 2^63-1 and moves sub-unit binary ones to DecimalSI', () => {
    expect(q('9Ei').value()).toBe(2n ** 63n - 1n);
    expect(q('-9223372036854775807Ki').value()).toBe(-(2n ** 63n - 1n));
    expect(q('9Ei').format).toBe('BinarySI');
    expect(q('0.000000000001Ki').format).toBe('DecimalSI');
    expect(q('12E').format).toBe('DecimalSI');
    expect(q('1e3').format).toBe('DecimalExponent');
  });

  it('wraps exponents to int32 as upstream does', () => {
    expect(q('1e4294967296').equals(q('1'))).toBe(true);
    expect(q('1e2000000000').toString()).toBe('100e1999999998');
  });

  it('takes the numberless forms upstream takes as zero', () => {
    for (const text of ['.', '-.', '+', '-', '00', '0n', '0Mi', '-0']) expect(q(text).isZero()).toBe(true);
  });
});

describe('parseQuantity: errors carry upstream messages', () => {
  it.each([
    ['', ERR_QUANTITY_FORMAT],
    ['abc', ERR_QUANTITY_FORMAT],
    ['1.1.M', ERR_QUANTITY_FORMAT],
    ['1+1.0M', ERR_QUANTITY_FORMAT],
    [' 1', ERR_QUANTITY_FORMAT],
    ['1 ', ERR_QUANTITY_FORMAT],
    ['1Kb', ERR_QUANTITY_FORMAT],
    ['0.1mi', ERR_QUANTITY_SUFFIX],
    ['0.1am', ERR_QUANTITY_FORMAT],
    ['.5i', ERR_QUANTITY_SUFFIX],
    ['1i', ERR_QUANTITY_SUFFIX],
    ['-3.01e-', ERR_QUANTITY_SUFFIX],
    ['1ki', ERR_QUANTITY_SUFFIX],
    ['1e', ERR_QUANTITY_SUFFIX],
    ['1ee3', ERR_QUANTITY_SUFFIX],
    ['1e99999999999999999999', ERR_QUANTITY_SUFFIX],
    ['+.e-10', ERR_QUANTITY_NUMERIC],
  ])('%j', (text, message) => {
    expect(() => q(text)).toThrow(QuantityParseError);
    expect(() => q(text)).toThrow(message);
  });

  it('quotes the regular expression exactly', () => {
    expect(ERR_QUANTITY_FORMAT).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });
});

describe('toString: the form upstream serialises', () => {
  it.each([
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['1024Mi', '1Gi'],
    ['0.1', '100m'],
    ['1.5Gi', '1536Mi'],
    ['1000M', '1G'],
    ['1000000k', '1G'],
    ['1080m', '1080m'],
    ['1.08', '1080m'],
    ['0.5Ki', '512'],
    ['1025', '1025'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['100.035Ki', '102435840m'],
    ['300Mi', '300Mi'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['5000m', '5'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1080000000n', '1080m'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['1.2e3', '1200'],
    ['1.3E+6', '1300e3'],
    ['1.1E-9', '2e-9'],
    ['9Ei', '9223372036854775807'],
    ['1000E', '1e21'],
    ['00', '0'],
    ['-0', '0'],
    ['0Ki', '0'],
    ['-1.5Gi', '-1536Mi'],
    ['-0.1', '-100m'],
  ])('%s prints as %s', (text, printed) => {
    expect(q(text).toString()).toBe(printed);
    expect(JSON.stringify({ cpu: q(text) })).toBe(JSON.stringify({ cpu: printed }));
  });

  it('keeps the text it judged canonical, quirks included, as a real server echoes it', () => {
    for (const text of ['0', '100m', '1Ki', '+1', '1E3', '1e3', '01Ki', '1e0', '10.035M', '1.', '1.G']) {
      expect(q(text).toString()).toBe(text);
    }
  });

  it('drops the kept text once arithmetic changes the amount', () => {
    expect(q('+1').add(q('0')).toString()).toBe('1');
    expect(q('1E3').neg().toString()).toBe('-1e3');
  });
});

describe('constructors', () => {
  it('fromMilli / fromValue print as NewMilliQuantity / NewQuantity', () => {
    expect(Quantity.fromMilli(1).toString()).toBe('1m');
    expect(Quantity.fromMilli(1000).toString()).toBe('1');
    expect(Quantity.fromMilli(1_234_000).toString()).toBe('1234');
    expect(Quantity.fromMilli(1024, 'BinarySI').toString()).toBe('1024m');
    expect(Quantity.fromMilli(1024 * 1024, 'BinarySI').toString()).toBe('1048576m');
    expect(Quantity.fromValue(1000).toString()).toBe('1k');
    expect(Quantity.fromValue(1_234_000).toString()).toBe('1234k');
    expect(Quantity.fromValue(1024, 'BinarySI').toString()).toBe('1Ki');
    expect(Quantity.fromValue(1_000_000, 'DecimalExponent').toString()).toBe('1e6');
    expect(Quantity.fromValue(2n ** 70n, 'BinarySI').toString()).toBe(`${2n ** 10n}Ei`);
  });

  it('rejects unsafe numbers rather than losing digits', () => {
    expect(() => Quantity.fromValue(2 ** 60)).toThrow(RangeError);
    expect(() => Quantity.fromMilli(0.5)).toThrow(RangeError);
  });

  it('fromJSON decodes as UnmarshalJSON does', () => {
    expect(Quantity.fromJSON(' 1 ').toString()).toBe('1');
    expect(Quantity.fromJSON(-1).toString()).toBe('-1');
    expect(Quantity.fromJSON(0.5).toString()).toBe('500m');
    expect(Quantity.fromJSON(1e21).equals(q('1e21'))).toBe(true);
    expect(Quantity.fromJSON(null).toString()).toBe('0');
    expect(() => Quantity.fromJSON(true)).toThrow(ERR_QUANTITY_FORMAT);
  });
});

describe('arithmetic and comparison', () => {
  it('compares across formats and magnitudes', () => {
    expect(q('100m').cmp(q('50m'))).toBe(1);
    expect(q('50m').cmp(q('100m'))).toBe(-1);
    expect(q('10000T').cmp(q('100Gi'))).toBe(1);
    expect(q('1Ki').cmp(q('1024'))).toBe(0);
    expect(q('1e100000').cmp(q('1'))).toBe(1);
    expect(q('-1e100000').cmp(q('-1'))).toBe(-1);
    expect(q('1n').cmp(q('0'))).toBe(1);
    expect(q('-1n').cmp(q('1n'))).toBe(-1);
  });

  it('keeps the receiver format, or takes the other when the receiver is zero', () => {
    for (const text of ['100m', '1Gi']) {
      expect(q(text).add(q('0')).toString()).toBe(text);
      expect(q('0').add(q(text)).toString()).toBe(text);
      expect(q(text).sub(q('0')).toString()).toBe(text);
      expect(q('0').sub(q(text)).toString()).toBe(q(text).neg().toString());
    }
    expect(q('1Gi').sub(q('512Mi')).toString()).toBe('512Mi');
    expect(q('1').add(q('500m')).toString()).toBe('1500m');
    expect(q('1Gi').add(q('1')).format).toBe('BinarySI');
  });

  it('value() and milliValue() round away from zero', () => {
    expect(q('100m').value()).toBe(1n);
    expect(q('-100m').value()).toBe(-1n);
    expect(q('-1.5').value()).toBe(-2n);
    expect(q('1n').milliValue()).toBe(1n);
    expect(q('2Gi').value()).toBe(2n ** 31n);
    expect(q('9.01').milliValue()).toBe(9010n);
  });
});

// --- Properties -------------------------------------------------------------------------

const suffixArb = fc.constantFrom(
  '', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'e3', 'E-2', 'e+5', 'e-12', 'e0',
);
const digitsArb = fc.stringMatching(/^[0-9]{1,22}$/);
/** Quantity texts in every shape the grammar allows, including leading zeros and "1." forms. */
const quantityTextArb = fc
  .tuple(
    fc.constantFrom('', '+', '-'),
    digitsArb,
    fc.option(fc.stringMatching(/^[0-9]{0,12}$/), { nil: undefined }),
    suffixArb,
  )
  .map(([sign, int, frac, suffix]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}${suffix}`);

const milliArb = fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n });

describe('properties', () => {
  it('parse ∘ toString is the identity on amounts, and toString is a fixed point', () => {
    fc.assert(
      fc.property(quantityTextArb, (text) => {
        const a = q(text);
        const printed = a.toString();
        const b = q(printed);
        expect(b.equals(a)).toBe(true);
        expect(b.toString()).toBe(printed);
        expect(q(b.toString()).toString()).toBe(printed);
      }),
    );
  });

  it('add and sub agree with bigint arithmetic on milli values', () => {
    fc.assert(
      fc.property(milliArb, milliArb, (a, b) => {
        const qa = Quantity.fromMilli(a);
        const qb = Quantity.fromMilli(b);
        expect(qa.add(qb).milliValue()).toBe(a + b);
        expect(qa.sub(qb).milliValue()).toBe(a - b);
        expect(qa.cmp(qb)).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(q(qa.toString()).milliValue()).toBe(a);
      }),
    );
  });

  it('sub undoes add, and cmp is the sign of the difference', () => {
    fc.assert(
      fc.property(quantityTextArb, quantityTextArb, (x, y) => {
        const a = q(x);
        const b = q(y);
        expect(a.add(b).sub(b).equals(a)).toBe(true);
        expect(a.sub(b).sign()).toBe(a.cmp(b));
        expect(b.cmp(a)).toBe(-a.cmp(b) || 0);
      }),
    );
  });

  it('value() is the least whole number at or beyond the amount, away from zero', () => {
    fc.assert(
      fc.property(quantityTextArb, (text) => {
        const a = q(text);
        const v = a.value();
        const whole = Quantity.fromValue(v);
        if (a.sign() >= 0) {
          expect(whole.cmp(a)).toBeGreaterThanOrEqual(0);
          expect(Quantity.fromValue(v - 1n).cmp(a)).toBeLessThan(0);
        } else {
          expect(whole.cmp(a)).toBeLessThanOrEqual(0);
          expect(Quantity.fromValue(v + 1n).cmp(a)).toBeGreaterThan(0);
        }
      }),
    );
  });
});
