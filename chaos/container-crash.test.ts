// container-crash on the sim target: the crashed container restarts in place and every invariant holds.

import { describe, expect, it } from 'vitest';
import { faultScenario, finalPods, injectedAt, restarts, runClean } from './fault-run.testing.js';

describe('container-crash', () => {
  it('a container exits 3 on its own; the kubelet restarts it in the same pod, restartCount 1', async () => {
    const { history } = await runClean(faultScenario({ faults: [{ at: 30_000, kind: 'container-crash', target: 'node-2', durationMs: 0, params: { pick: 0, exitCode: 3 } }] }));
    const at = injectedAt(history, 'container-crash');
    const crashed = history.runtime?.filter((r) => r.node === 'node-2' && r.type === 'exited' && r.time === at) ?? [];
    expect(crashed.map((r) => r.exitCode)).toEqual([3]);
    const pod = finalPods(history).find((p) => p.uid === crashed[0]!.pod?.uid);
    expect(pod?.phase).toBe('Running');
    expect(restarts(pod!)).toBe(1);
  });
});
