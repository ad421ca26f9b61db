// node-loss on the sim target: the lost node's pods are evicted and replaced, and every invariant holds.

import { describe, expect, it } from 'vitest';
import { faultLog, faultScenario, finalPods, lastSeen, runClean, runningPods } from './fault-run.testing.js';

describe('node-loss', () => {
  it('a node gone for 60 s: its pods are evicted and replaced on the other nodes; it comes back empty', async () => {
    const { history } = await runClean(faultScenario({ faults: [{ at: 30_000, kind: 'node-loss', target: 'node-1', durationMs: 60_000 }] }));
    const [inject, heal] = faultLog(history, 'node-loss');
    expect([inject?.phase, heal?.phase]).toEqual(['inject', 'heal']);
    const pods = [...lastSeen(history, 'Pod').values()];
    const lost = pods.filter((p) => p.nodeName === 'node-1' && p.labels?.app === 'web' && (history.runtime ?? []).some((r) => r.pod?.uid === p.uid && r.type === 'started' && r.time < inject!.time));
    expect(lost.length).toBeGreaterThan(0);
    // Every pod that ran on node-1 is gone, and replacements were made while it was down.
    const final = new Set(finalPods(history).map((p) => p.uid));
    for (const p of lost) expect(final.has(p.uid)).toBe(false);
    const replacements = runningPods(history).filter((p) => p.nodeName !== 'node-1');
    expect(replacements.length).toBe(4);
    const nodes = history.watches.filter((w) => w.object.kind === 'Node' && w.object.name === 'node-1' && w.time > inject!.time && w.time < heal!.time);
    expect(nodes.some((w) => w.object.nodeReady === 'Unknown')).toBe(true);
    expect(history.final?.liveNodes).toContain('node-1');
    expect(history.final?.containers?.filter((c) => lost.some((p) => p.uid === c.pod?.uid))).toEqual([]);
  });
});
