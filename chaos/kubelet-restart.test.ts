// kubelet-restart on the sim target: the new kubelet adopts the running containers, every invariant holds.

import { describe, expect, it } from 'vitest';
import { auditOf, faultLog, faultScenario, finalPods, restarts, runClean } from './fault-run.testing.js';

describe('kubelet-restart', () => {
  it('the kubelet is down 10 s: its containers keep running and the new kubelet adopts them', async () => {
    const { history } = await runClean(faultScenario({ faults: [{ at: 30_000, kind: 'kubelet-restart', target: 'node-3', durationMs: 10_000 }] }));
    const [inject, heal] = faultLog(history, 'kubelet-restart');
    expect([inject?.phase, heal?.phase]).toEqual(['inject', 'heal']);
    const runtime = (history.runtime ?? []).filter((r) => r.node === 'node-3');
    const before = runtime.filter((r) => r.type === 'started' && r.time < inject!.time).map((r) => r.containerId);
    expect(before.length).toBeGreaterThan(0);
    // No container of node-3 stopped or started again: the same ones run at the end.
    expect(runtime.filter((r) => r.time >= inject!.time)).toEqual([]);
    const running = history.final?.containers?.filter((c) => c.node === 'node-3' && c.running).map((c) => c.containerId);
    expect(running?.sort()).toEqual([...before].sort());
    for (const p of finalPods(history).filter((p) => p.nodeName === 'node-3')) expect(restarts(p)).toBe(0);
    // It is a new kubelet: it listed and watched its pods again.
    expect(auditOf(history, 'system:node:node-3', heal!.time, (a) => a.verb === 'watch' && a.resource === 'pods').length).toBeGreaterThan(0);
  });
});
