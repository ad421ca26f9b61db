import { describe, expect, it } from 'vitest';
import { runApiRace } from './api-race.js';

describe('the demo scenario', () => {
  it('holds its three properties and replays byte for byte', async () => {
    for (const seed of [1, 2, 3]) {
      const a = await runApiRace(seed);
      expect(a.violations).toEqual([]);
      expect(a.events).toBeGreaterThan(20);
      const b = await runApiRace(seed);
      expect(b.traceHash).toBe(a.traceHash);
    }
    expect((await runApiRace(1)).traceHash).not.toBe((await runApiRace(2)).traceHash);
  });
});
