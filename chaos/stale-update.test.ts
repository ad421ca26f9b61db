// stale-update on the sim target: the update from a stale read is refused with 409, every invariant holds.

import { describe, expect, it } from 'vitest';
import { faultLog, faultScenario, runClean, runningPods } from './fault-run.testing.js';

describe('stale-update', () => {
  it('an update of the Deployment from a stale read is refused with 409, and the Deployment is unchanged', async () => {
    const { history } = await runClean(faultScenario({ faults: [{ at: 30_000, kind: 'stale-update', target: 'deployment', durationMs: 0, params: { pick: 0 } }] }));
    expect(faultLog(history, 'stale-update').map((f) => f.detail)).toEqual(['default/web']);
    const ops = history.operations.filter((o) => o.index === 1);
    expect(ops.map((o) => [o.op, o.code])).toEqual([
      ['update', 200],
      ['stale-update', 409],
    ]);
    const stale = ops[1]!;
    expect(stale.basedOn).toBeLessThan(ops[0]!.resourceVersion!);
    expect(runningPods(history)).toHaveLength(4);
  });

  it('twice at the same time: each from a harness process of its own, both refused', async () => {
    const fault = { at: 30_000, kind: 'stale-update', target: 'deployment', durationMs: 0, params: { pick: 0 } };
    const { history } = await runClean(faultScenario({ faults: [fault, fault] }));
    expect(history.operations.filter((o) => o.op === 'stale-update').map((o) => o.code)).toEqual([409, 409]);
  });
});
