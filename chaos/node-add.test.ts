// node-add on the sim target: a spare node joins and takes pods, and every invariant holds.

import { describe, expect, it } from 'vitest';
import { faultScenario, injectedAt, node, runClean, runningPods } from './fault-run.testing.js';

describe('node-add', () => {
  it('a spare node boots at 20 s, registers Ready, and takes pods of a later scale-up', async () => {
    const { history } = await runClean(
      faultScenario({
        nodes: [node('node-1'), node('node-2'), node('node-3'), node('node-4', { spare: true })],
        faults: [{ at: 20_000, kind: 'node-add', target: 'node-4', durationMs: 0 }],
        operations: [{ at: 40_000, operation: { op: 'scale', target: 'default/web', replicas: 8 } }],
      }),
    );
    const at = injectedAt(history, 'node-add');
    const seen = history.watches.filter((w) => w.object.kind === 'Node' && w.object.name === 'node-4');
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.min(...seen.map((w) => w.time))).toBeGreaterThanOrEqual(at);
    expect(history.final?.objects.find((o) => o.kind === 'Node' && o.name === 'node-4')?.nodeReady).toBe('True');
    expect(history.final?.liveNodes).toContain('node-4');
    const pods = runningPods(history);
    expect(pods).toHaveLength(8);
    expect(pods.some((p) => p.nodeName === 'node-4')).toBe(true);
  });

  it('a shape without spare nodes gives node-add faults that say there is nothing to add', async () => {
    const { history } = await runClean(faultScenario({ faults: [{ at: 20_000, kind: 'node-add', target: 'none', durationMs: 0 }] }));
    expect(history.faults.map((f) => f.detail)).toEqual(['no such spare node in the cluster shape']);
  });
});
