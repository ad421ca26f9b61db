import { describe, expect, it } from 'vitest';
import { ControllerExpectations } from './expectations.js';

function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('ControllerExpectations', () => {
  it('is satisfied with no record, then once every expected create is observed', () => {
    const c = clock();
    const e = new ControllerExpectations(c, 1_000);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('counts each deleted pod once, however often its deletion is seen', () => {
    const e = new ControllerExpectations(clock(), 1_000);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/other');
    expect(e.pending('ns/rs')).toEqual({ add: 0, del: 1 });
    expect(e.satisfied('ns/rs')).toBe(false);
    e.deletionObserved('ns/rs', 'ns/b');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('expires after the TTL, and forgets on request', () => {
    const c = clock();
    const e = new ControllerExpectations(c, 1_000);
    e.expectCreations('k', 1);
    c.t = 1_000;
    expect(e.satisfied('k')).toBe(false);
    c.t = 1_001;
    expect(e.satisfied('k')).toBe(true);
    e.expectCreations('k', 1);
    e.forget('k');
    expect(e.satisfied('k')).toBe(true);
    expect(e.pending('k')).toBeUndefined();
  });
});
