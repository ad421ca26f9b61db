// container-kill on the sim target: the killed container restarts in place and every invariant holds.

import { describe, expect, it } from 'vitest';
import { faultScenario, finalPods, injectedAt, restarts, runClean } from './fault-run.testing.js';

describe('container-kill', () => {
  it('SIGKILLs a container; the kubelet restarts it in the same pod, restartCount 1', async () => {
    const { history } = await runClean(faultScenario({ faults: [{ at: 30_000, kind: 'container-kill', target: 'node-1', durationMs: 0, params: { pick: 0 } }] }));
    const at = injectedAt(history, 'container-kill');
    const killed = history.runtime?.filter((r) => r.node === 'node-1' && r.type === 'exited' && r.exitCode === 137 && r.time === at) ?? [];
    expect(killed).toHaveLength(1);
    const pod = finalPods(history).find((p) => p.uid === killed[0]!.pod?.uid);
    expect(pod?.phase).toBe('Running');
    expect(restarts(pod!)).toBe(1);
  });
});
