import { describe, expect, it } from 'vitest';
import { CidrSet } from './cidr-set.js';

describe('CidrSet', () => {
  it('cuts 10.244.0.0/16 into 256 /24s and maps them back to indices', () => {
    const s = new CidrSet('10.244.0.0/16', 24);
    expect(s.size).toBe(256);
    expect(s.cidr(0)).toBe('10.244.0.0/24');
    expect(s.cidr(255)).toBe('10.244.255.0/24');
    expect(s.indexOf('10.244.7.0/24')).toBe(7);
    expect(s.indexOf('10.245.0.0/24')).toBeUndefined();
    expect(s.indexOf('10.244.7.1/24')).toBeUndefined();
    expect(s.indexOf('10.244.7.0/25')).toBeUndefined();
    expect(s.lowestFree(new Set([0, 1, 3]))).toBe(2);
    expect(new CidrSet('10.0.0.0/30', 31).lowestFree(new Set([0, 1]))).toBeUndefined();
    expect(() => s.cidr(256)).toThrow(RangeError);
    expect(() => new CidrSet('10.244.0.0/16', 8)).toThrow(/does not fit/);
  });
});
