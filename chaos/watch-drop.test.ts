// watch-drop on the sim target: reset watches resume where they were, every invariant holds, the run replays.

import { describe, expect, it } from 'vitest';
import { createSimTarget } from '../harness/targets/sim-target.js';
import { auditOf, faultLog, faultScenario, runClean, runningPods } from './fault-run.testing.js';

describe('watch-drop', () => {
  const scenario = faultScenario({
    faults: [{ at: 30_000, kind: 'watch-drop', target: 'controller-manager', durationMs: 0 }],
    operations: [{ at: 40_000, operation: { op: 'scale', target: 'default/web', replicas: 6 } }],
  });

  it("resets the controller-manager's watches: it resumes each from its resourceVersion, without relisting, and misses nothing", async () => {
    const outcome = await runClean(scenario);
    const { history } = outcome;
    const [inject] = faultLog(history, 'watch-drop');
    const broken = Number(/^(\d+) streams? reset$/.exec(inject?.detail ?? '')?.[1] ?? 0);
    expect(broken).toBeGreaterThan(0);
    const cm = 'system:kube-controller-manager';
    const resumed = auditOf(history, cm, inject!.time, (a) => a.verb === 'watch');
    expect(resumed.length).toBeGreaterThanOrEqual(broken);
    expect(resumed.every((a) => a.code === 200)).toBe(true);
    expect(auditOf(history, cm, inject!.time, (a) => a.verb === 'list')).toEqual([]);
    // The scale-up after the drop was seen through the resumed watches.
    expect(runningPods(history)).toHaveLength(6);
    // The reset is part of the replayable run.
    expect((await createSimTarget().run(scenario)).traceHash).toBe(outcome.traceHash);
  });
});
