import { describe, expect, it } from 'vitest';
import { repelsNewPods, toleratesTaint, tolerationsTolerateTaint } from './tolerations.js';

describe('toleratesTaint', () => {
  const taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };

  it('matches key, value and effect with Equal (the default operator)', () => {
    expect(toleratesTaint({ key: 'dedicated', value: 'db', effect: 'NoSchedule' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'db' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'web' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', value: 'db', effect: 'NoExecute' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'other', value: 'db' }, taint)).toBe(false);
  });

  it('tolerates any value with Exists, and every taint with an empty key and Exists', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Lt', value: 'db' }, taint)).toBe(false);
  });

  it('treats a missing value as empty, and tells repelling effects apart', () => {
    expect(toleratesTaint({ key: 'gone' }, { key: 'gone', effect: 'NoExecute' })).toBe(true);
    expect(tolerationsTolerateTaint(undefined, taint)).toBe(false);
    expect(tolerationsTolerateTaint([{ key: 'x' }, { operator: 'Exists' }], taint)).toBe(true);
    expect([taint, { key: 'a', effect: 'NoExecute' }, { key: 'b', effect: 'PreferNoSchedule' }].map(repelsNewPods)).toEqual([true, true, false]);
  });
});
