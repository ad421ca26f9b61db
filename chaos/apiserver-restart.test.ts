// apiserver-restart on the sim target: the store survives, every component reconnects, every invariant holds.

import { describe, expect, it } from 'vitest';
import { auditOf, faultLog, faultScenario, runClean, runningPods } from './fault-run.testing.js';

describe('apiserver-restart', () => {
  it('the API server is down 5 s: nothing is served meanwhile, the store is kept, every component watches again', async () => {
    const { history } = await runClean(
      faultScenario({
        faults: [{ at: 30_000, kind: 'apiserver-restart', target: 'apiserver', durationMs: 5_000 }],
        operations: [{ at: 50_000, operation: { op: 'scale', target: 'default/web', replicas: 6 } }],
      }),
    );
    const [inject, heal] = faultLog(history, 'apiserver-restart');
    expect([inject?.phase, heal?.phase]).toEqual(['inject', 'heal']);
    const audit = history.audit ?? [];
    expect(audit.filter((a) => a.time > inject!.time && a.time < heal!.time)).toEqual([]);
    // The restarted server bootstraps over the kept store: the objects of before are still there.
    expect(history.final?.objects.find((o) => o.kind === 'Deployment' && o.name === 'web')?.uid).toBe(history.watches.find((w) => w.object.kind === 'Deployment')?.object.uid);
    for (const user of ['system:kube-controller-manager', 'system:kube-scheduler', 'system:node:node-1']) {
      expect(auditOf(history, user, heal!.time, (a) => a.verb === 'watch').length, user).toBeGreaterThan(0);
    }
    expect(runningPods(history)).toHaveLength(6);
  });
});
