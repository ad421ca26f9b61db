// store-compaction on the sim target: watchers resuming from before it get 410 and relist, every invariant holds.

import { describe, expect, it } from 'vitest';
import { auditOf, faultLog, faultScenario, runClean, runningPods } from './fault-run.testing.js';

describe('store-compaction', () => {
  it('compacts the store; watches carry on, and a watcher resuming from before it gets 410 Gone and relists', async () => {
    // A compaction alone changes nothing a synced watcher sees; the watch-drop a second
    // later makes the controller-manager resume from its old resourceVersions.
    const { history } = await runClean(
      faultScenario({
        faults: [
          { at: 30_000, kind: 'store-compaction', target: 'store', durationMs: 0 },
          { at: 31_000, kind: 'watch-drop', target: 'controller-manager', durationMs: 0 },
        ],
        operations: [{ at: 40_000, operation: { op: 'scale', target: 'default/web', replicas: 6 } }],
      }),
    );
    const [compaction] = faultLog(history, 'store-compaction');
    expect(compaction?.detail).toMatch(/^compacted at revision \d+$/);
    const [drop] = faultLog(history, 'watch-drop');
    const cm = 'system:kube-controller-manager';
    // Nobody was disturbed by the compaction itself.
    expect((history.audit ?? []).filter((a) => a.code === 410 && a.time < drop!.time)).toEqual([]);
    const gone = auditOf(history, cm, drop!.time, (a) => a.verb === 'watch' && a.code === 410);
    expect(gone.length).toBeGreaterThan(0);
    const relists = auditOf(history, cm, drop!.time, (a) => a.verb === 'list');
    expect(new Set(relists.map((a) => a.resource))).toEqual(new Set(gone.map((a) => a.resource)));
    expect(runningPods(history)).toHaveLength(6);
  });
});
