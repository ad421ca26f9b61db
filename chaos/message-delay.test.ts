// message-delay on the sim target: requests slow down for the fault's duration only, every invariant holds.

import { describe, expect, it } from 'vitest';
import { auditOf, faultLog, faultScenario, runClean, runningPods } from './fault-run.testing.js';

describe('message-delay', () => {
  it('raises the network delay to 200–800 ms for 20 s: requests take that long meanwhile, then the bounds are restored', async () => {
    const { history } = await runClean(
      faultScenario({
        faults: [{ at: 30_000, kind: 'message-delay', target: 'network', durationMs: 20_000, params: { minMs: 200, maxMs: 800 } }],
        operations: [
          { at: 35_000, operation: { op: 'scale', target: 'default/web', replicas: 5 } },
          { at: 60_000, operation: { op: 'scale', target: 'default/web', replicas: 6 } },
        ],
      }),
    );
    const [inject, heal] = faultLog(history, 'message-delay');
    expect([inject?.detail, heal?.detail]).toEqual(['delay 200-800 ms', 'delay 1-20 ms']);
    const t0 = inject!.time - 30_000;
    const took = (index: number) => history.operations.find((o) => o.index === index)!.time - t0;
    // A request and its answer: two messages of at least 200 ms each while delayed, at most 20 ms after.
    expect(took(1) - 35_000).toBeGreaterThanOrEqual(400);
    expect(took(2) - 60_000).toBeLessThanOrEqual(40);
    expect(runningPods(history)).toHaveLength(6);
  });

  it("aimed at the controller-manager, holds back only the watch events it receives: its requests are answered on time, its informers see changes late, and it creates no pod twice", async () => {
    const { history } = await runClean(
      faultScenario({
        faults: [{ at: 30_000, kind: 'message-delay', target: 'controller-manager', durationMs: 20_000, params: { minMs: 1_500, maxMs: 1_500 } }],
        operations: [{ at: 35_000, operation: { op: 'scale', target: 'default/web', replicas: 6 } }],
      }),
    );
    const [inject, heal] = faultLog(history, 'message-delay');
    expect([inject?.detail, heal?.detail]).toEqual(['watch events +1500-1500 ms', 'watch events on time']);
    const t0 = inject!.time - 30_000;
    const scaled = history.operations.find((o) => o.index === 1)!;
    // The user's request is not delayed; the controller-manager learns of it a watch event later.
    expect(scaled.time - t0 - 35_000).toBeLessThanOrEqual(40);
    const creates = auditOf(history, 'system:kube-controller-manager', scaled.time, (a) => a.verb === 'create' && a.resource === 'pods');
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(creates[0]!.time - scaled.time).toBeGreaterThanOrEqual(1_500);
    expect(runningPods(history)).toHaveLength(6);
  });
});
