// node-restart on the sim target: the rebooted node's pods run again in place, and every invariant holds.

import { describe, expect, it } from 'vitest';
import { faultLog, faultScenario, finalPods, lastSeen, restarts, runClean } from './fault-run.testing.js';

describe('node-restart', () => {
  it('a node reboots in 5 s: its containers are lost, its pods stay bound and run again with restartCount 1', async () => {
    const { history } = await runClean(faultScenario({ faults: [{ at: 30_000, kind: 'node-restart', target: 'node-2', durationMs: 5_000 }] }));
    const [inject, heal] = faultLog(history, 'node-restart');
    expect([inject?.phase, heal?.phase]).toEqual(['inject', 'heal']);
    const runtime = history.runtime ?? [];
    const before = [...lastSeen(history, 'Pod').values()].filter((p) => p.nodeName === 'node-2' && runtime.some((r) => r.pod?.uid === p.uid && r.type === 'started' && r.time < inject!.time));
    expect(before.length).toBeGreaterThan(0);
    const final = finalPods(history);
    for (const p of before) {
      const now = final.find((f) => f.uid === p.uid);
      expect(now?.nodeName).toBe('node-2');
      expect(now?.phase).toBe('Running');
      expect(restarts(now!)).toBe(1);
      // Started again on the rebooted machine.
      expect(runtime.some((r) => r.pod?.uid === p.uid && r.type === 'started' && r.time >= heal!.time)).toBe(true);
    }
  });
});
