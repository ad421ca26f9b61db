import { describe, expect, it } from 'vitest';
import { Backoff, KUBELET_BACKOFF } from './backoff.js';
import { goDuration } from './go-duration.js';

describe('Backoff (client-go flowcontrol semantics)', () => {
  it('starts at 10 s, doubles to the 5 min cap, and resets after 10 min without failure', () => {
    const b = new Backoff(KUBELET_BACKOFF);
    const delays: number[] = [];
    let t = 0;
    for (let i = 0; i < 8; i++) {
      delays.push(b.next('k', t));
      t += 1_000;
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    expect(b.next('k', t + 600_001)).toBe(10_000);
  });

  it('answers "in back-off since" from the failure time and the current delay', () => {
    const b = new Backoff(KUBELET_BACKOFF);
    expect(b.isInBackOffSince('k', 0, 0)).toBe(false);
    b.next('k', 1_000);
    expect(b.isInBackOffSince('k', 1_000, 10_999)).toBe(true);
    expect(b.isInBackOffSince('k', 1_000, 11_000)).toBe(false);
    expect(b.isInBackOffSinceUpdate('k', 5_000)).toBe(true);
    // An entry idle past the reset period no longer holds anything back.
    expect(b.isInBackOffSince('k', 700_000, 701_001)).toBe(false);
    b.forgetPrefix('k');
    expect(b.get('k')).toBe(0);
  });

  it('prints durations as Go does', () => {
    expect([0, 512, 10_000, 80_000, 300_000, 1_234, 3_660_000].map(goDuration)).toEqual(['0s', '512ms', '10s', '1m20s', '5m0s', '1.234s', '1h1m0s']);
  });
});
