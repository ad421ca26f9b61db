// node-partition on the sim target: the cut-off node's containers keep running, its pods are replaced,
// the kubelet cleans up after the heal, and every invariant holds.

import { describe, expect, it } from 'vitest';
import { faultLog, faultScenario, finalPods, lastSeen, runClean, runningPods } from './fault-run.testing.js';

describe('node-partition', () => {
  it('the kubelet cut off for 60 s: containers keep running, the node goes Unknown, pods are replaced, the kubelet cleans up after heal', async () => {
    const { history } = await runClean(faultScenario({ faults: [{ at: 30_000, kind: 'node-partition', target: 'node-1', durationMs: 60_000 }] }));
    const [inject, heal] = faultLog(history, 'node-partition');
    expect([inject?.phase, heal?.phase]).toEqual(['inject', 'heal']);
    const from = inject!.time;
    const to = heal!.time;
    const runtime = history.runtime ?? [];
    const cutOff = [...lastSeen(history, 'Pod').values()].filter((p) => p.nodeName === 'node-1' && runtime.some((r) => r.pod?.uid === p.uid && r.type === 'started' && r.time < from));
    expect(cutOff.length).toBeGreaterThan(0);
    // Nothing on node-1 stopped while it was cut off: its containers kept running.
    expect(runtime.filter((r) => r.node === 'node-1' && r.time >= from && r.time < to && (r.type === 'exited' || r.type === 'killed'))).toEqual([]);
    const node = history.watches.filter((w) => w.object.kind === 'Node' && w.object.name === 'node-1' && w.time > from && w.time < to);
    expect(node.some((w) => w.object.nodeReady === 'Unknown')).toBe(true);
    // Evicted and replaced: after the heal the kubelet stopped the evicted pods' containers.
    const final = new Set(finalPods(history).map((p) => p.uid));
    for (const p of cutOff) expect(final.has(p.uid)).toBe(false);
    expect(runtime.some((r) => r.node === 'node-1' && r.time >= to && (r.type === 'exited' || r.type === 'killed') && cutOff.some((p) => p.uid === r.pod?.uid))).toBe(true);
    expect(runningPods(history)).toHaveLength(4);
  });
});
