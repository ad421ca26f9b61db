// controller-manager-restart on the sim target: it rebuilds from the API and catches up, every invariant holds.

import { describe, expect, it } from 'vitest';
import { auditOf, faultLog, faultScenario, runClean, runningPods } from './fault-run.testing.js';

describe('controller-manager-restart', () => {
  it('the controller-manager is down 10 s across a scale-up: nothing is created until it is back, then exactly the missing pods', async () => {
    const { history } = await runClean(
      faultScenario({
        faults: [{ at: 30_000, kind: 'controller-manager-restart', target: 'controller-manager', durationMs: 10_000 }],
        operations: [{ at: 32_000, operation: { op: 'scale', target: 'default/web', replicas: 6 } }],
      }),
    );
    const [inject, heal] = faultLog(history, 'controller-manager-restart');
    const cm = 'system:kube-controller-manager';
    expect(auditOf(history, cm, inject!.time).filter((a) => a.time < heal!.time)).toEqual([]);
    // Back with empty caches: it lists everything again, then creates the two missing pods.
    expect(auditOf(history, cm, heal!.time, (a) => a.verb === 'list').length).toBeGreaterThan(0);
    expect(auditOf(history, cm, heal!.time, (a) => a.verb === 'create' && a.resource === 'pods' && a.code === 201)).toHaveLength(2);
    expect(runningPods(history)).toHaveLength(6);
  });
});
