// duplicate-create on the sim target: exactly one of the concurrent creates wins, every invariant holds.

import { describe, expect, it } from 'vitest';
import { faultScenario, finalPods, runClean } from './fault-run.testing.js';

describe('duplicate-create', () => {
  it('three copies of one Pod create at once: one success, two 409, and the Pod runs', async () => {
    const { history } = await runClean(faultScenario({ faults: [{ at: 20_000, kind: 'duplicate-create', target: 'default/dup-7', durationMs: 0, params: { copies: 3 } }] }));
    const ops = history.operations.filter((o) => o.op === 'duplicate-create');
    expect(ops).toHaveLength(3);
    expect(new Set(ops.map((o) => o.group)).size).toBe(1);
    // Numbered after the scenario's own operations.
    expect(ops.every((o) => o.index === 1)).toBe(true);
    expect(ops.map((o) => o.code).sort()).toEqual([200, 409, 409]);
    const pods = finalPods(history).filter((p) => p.name === 'dup-7');
    expect(pods.map((p) => p.phase)).toEqual(['Running']);
  });
});
