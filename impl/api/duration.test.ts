// Ages as kubectl prints them, against upstream's HumanDuration cases.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { humanDuration, shortHumanDuration, translateTimestampSince } from './duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration (the AGE column)', () => {
  it.each([
    [-2 * s - 1, '<invalid>'],
    [-2 * s, '<invalid>'],
    [-1999, '0s'],
    [-1 * s, '0s'],
    [0, '0s'],
    [999, '0s'],
    [5 * s, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 3 * s, '2m3s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [10 * m + 59 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 4 * m, '3h4m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [7 * d + 23 * h, '7d23h'],
    [5 * d, '5d'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [2 * y, '2y'],
    [2 * y + 10 * d, '2y10d'],
    [8 * y, '8y'],
    [9 * y + 100 * d, '9y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('rejects non-finite spans', () => {
    expect(() => humanDuration(Number.NaN)).toThrow(RangeError);
  });

  it('property: never longer than the span it describes, and never empty', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * y }), (ms) => {
        const text = humanDuration(ms);
        expect(text).toMatch(/^(\d+[ydhms]){1,2}$/);
        const units: Record<string, number> = { y, d, h, m, s };
        const described = [...text.matchAll(/(\d+)([ydhms])/g)].reduce((sum, [, n, u]) => sum + Number(n) * (units[u as string] as number), 0);
        expect(described).toBeLessThanOrEqual(ms);
      }),
    );
  });
});

describe('shortHumanDuration', () => {
  it.each([
    [-3 * s, '<invalid>'],
    [-1 * s, '0s'],
    [59 * s, '59s'],
    [90 * s, '1m'],
    [59 * m, '59m'],
    [23 * h, '23h'],
    [364 * d, '364d'],
    [400 * d, '1y'],
  ])('%d ms is %s', (ms, text) => {
    expect(shortHumanDuration(ms)).toBe(text);
  });
});

describe('translateTimestampSince', () => {
  it('is "<unknown>" without a timestamp, the human age otherwise', () => {
    expect(translateTimestampSince(undefined, 1_000_000)).toBe('<unknown>');
    expect(translateTimestampSince(1_000_000, 1_000_000 + 3 * h + 4 * m)).toBe('3h4m');
  });
});
