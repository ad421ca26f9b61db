import { describe, expect, it } from 'vitest';
import { containerRuns, runsByContainer } from './container-runs.js';
import { runtimeRecords } from './runtime-records.testing.js';

describe('container runs', () => {
  it('folds each instance into one run: start, signals while it ran, end', () => {
    const { records, instance } = runtimeRecords();
    instance('c2').started(5000);
    instance('c1').started(1000).signalled(3000, 15, 'stop').signalled(4000, 9, 'stop').exited(4000, 137).signalled(4500, 9, 'kill');
    const runs = containerRuns(records);
    expect(runs.map((r) => [r.containerId, r.startedAt, r.endedAt, r.exitCode])).toEqual([
      ['c1', 1000, 4000, 137],
      ['c2', 5000, undefined, undefined],
    ]);
    expect(runs[0]?.signals).toEqual([
      { time: 3000, signal: 15, request: 'stop' },
      { time: 4000, signal: 9, request: 'stop' },
    ]);
    expect(runsByContainer(runs).size).toBe(1);
  });

  it('ends a run that died with its machine, and leaves out instances that never started', () => {
    const { records, instance } = runtimeRecords();
    instance('c1').started(1000).exited(2000, 137, { powerOff: true });
    instance('c0').exited(500, 0);
    expect(containerRuns(records)).toMatchObject([{ containerId: 'c1', endedAt: 2000, powerOff: true }]);
  });

  it('groups by node, pod and container', () => {
    const { records, instance } = runtimeRecords();
    instance('c1').started(1000);
    instance('c2', { node: 'node-2' }).started(1000);
    expect([...runsByContainer(containerRuns(records)).values()].map((l) => l.length)).toEqual([1, 1]);
  });
});
