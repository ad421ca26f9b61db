import { describe, expect, it } from 'vitest';
import { emptyHistory } from './history-builder.testing.js';
import { runtimeRecords } from './runtime-records.testing.js';
import { singleContainerInstance } from './single-container-instance.js';

describe('single-container-instance', () => {
  it('holds for restarts, a spec change that stops the old instance first, and instances on other nodes', () => {
    const { records, instance } = runtimeRecords();
    instance('c1').started(1000).exited(2000, 1);
    instance('c2').started(2000).signalled(5000, 15, 'stop').exited(5000, 143);
    instance('c3', { specHash: 'h2' }).started(5100);
    instance('c4', { node: 'node-2' }).started(3000);
    const r = singleContainerInstance.check(emptyHistory({ runtime: records }));
    expect(r.violations).toEqual([]);
    expect(r.checks).toBe(4);
  });

  it('catches a restarted kubelet starting a duplicate beside the instance it did not adopt', () => {
    const { records, instance } = runtimeRecords();
    instance('c1').started(1000);
    instance('c2').started(10_925).exited(20_000, 1);
    const r = singleContainerInstance.check(emptyHistory({ runtime: records }));
    expect(r.violations.map((v) => v.message)).toEqual([
      'node node-1 ran two instances of container app of pod default/web-7d9 at once: c1 (started t=1s) was still running when c2 started at t=10.925s, and ran on to the end of the run',
    ]);
    expect(r.violations[0]?.objects).toEqual(['pod default/web-7d9', 'node node-1', 'c1', 'c2']);
  });

  it('is not checked without runtime records', () => {
    expect(singleContainerInstance.check(emptyHistory()).notChecked).toMatch(/runtime/);
  });
});
