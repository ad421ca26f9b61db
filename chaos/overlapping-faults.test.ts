// Overlapping faults on the sim target: outages and partitions of one unit compose (the last heal ends them).

import { describe, expect, it } from 'vitest';
import { auditOf, faultScenario, runClean, runningPods } from './fault-run.testing.js';

describe('overlapping faults', () => {
  it('compose: a unit stays down, or a link cut, until the last fault holding it heals', async () => {
    const { history } = await runClean(
      faultScenario({
        faults: [
          // node-1: machine down 30–70 s, a reboot inside that, the kubelet held down 60–80 s.
          { at: 30_000, kind: 'node-loss', target: 'node-1', durationMs: 40_000 },
          { at: 35_000, kind: 'node-restart', target: 'node-1', durationMs: 5_000 },
          { at: 60_000, kind: 'kubelet-restart', target: 'node-1', durationMs: 20_000 },
          // node-2: cut off 30–75 s, and again 35–40 s.
          { at: 30_000, kind: 'node-partition', target: 'node-2', durationMs: 45_000 },
          { at: 35_000, kind: 'node-partition', target: 'node-2', durationMs: 5_000 },
        ],
      }),
    );
    const t0 = history.faults[0]!.time - 30_000;
    const heard = (node: string, from: number, to: number) => auditOf(history, `system:node:${node}`, t0 + from).filter((a) => a.time < t0 + to);
    expect(heard('node-1', 30_001, 80_000)).toEqual([]);
    expect(heard('node-1', 80_000, Infinity).length).toBeGreaterThan(0);
    expect(heard('node-2', 30_001, 75_000)).toEqual([]);
    expect(heard('node-2', 75_000, Infinity).length).toBeGreaterThan(0);
    // node-1's machine came back empty at 70 s; nothing ran there before its kubelet at 80 s.
    expect((history.runtime ?? []).filter((r) => r.node === 'node-1' && r.type === 'started' && r.time > t0 + 30_000 && r.time < t0 + 80_000)).toEqual([]);
    expect(runningPods(history)).toHaveLength(4);
  });
});
