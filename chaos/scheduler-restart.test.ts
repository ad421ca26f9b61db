// scheduler-restart on the sim target: pending pods are bound once it is back, every invariant holds.

import { describe, expect, it } from 'vitest';
import { auditOf, faultLog, faultScenario, runClean, runningPods } from './fault-run.testing.js';

describe('scheduler-restart', () => {
  it('the scheduler is down 10 s across a scale-up: the new pods wait Pending and are bound once it is back', async () => {
    const { history } = await runClean(
      faultScenario({
        faults: [{ at: 30_000, kind: 'scheduler-restart', target: 'scheduler', durationMs: 10_000 }],
        operations: [{ at: 32_000, operation: { op: 'scale', target: 'default/web', replicas: 6 } }],
      }),
    );
    const [inject, heal] = faultLog(history, 'scheduler-restart');
    const scheduler = 'system:kube-scheduler';
    expect(auditOf(history, scheduler, inject!.time).filter((a) => a.time < heal!.time)).toEqual([]);
    const bindings = auditOf(history, scheduler, heal!.time, (a) => a.subresource === 'binding' && a.code === 201);
    expect(bindings).toHaveLength(2);
    // They were created (Pending, unbound) while it was down.
    const created = history.watches.filter((w) => w.type === 'ADDED' && w.object.kind === 'Pod' && w.time > inject!.time && w.time < heal!.time);
    expect(new Set(created.map((w) => w.object.name))).toEqual(new Set(bindings.map((b) => b.name)));
    expect(runningPods(history)).toHaveLength(6);
  });
});
