import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../history/history.js';
import { crashLoopBackOff } from './crash-loop-back-off.js';
import { emptyHistory } from './history-builder.testing.js';
import { runtimeRecords } from './runtime-records.testing.js';

/** A container that exits 1 after `runMs`, restarted `waits[i]` ms after its i-th exit (from 0). */
function loop(waits: readonly number[], runMs = 100) {
  const rec = runtimeRecords();
  let t = 1000;
  for (let i = 0; i <= waits.length; i++) {
    const c = rec.instance(`c${i}`).started(t);
    if (i === waits.length) break;
    t += runMs;
    c.exited(t, 1);
    t += waits[i]!;
  }
  return rec;
}

const check = (records: ReturnType<typeof loop>['records'], faults: FaultRecord[] = []) => crashLoopBackOff.check(emptyHistory({ runtime: records, faults }));

describe('crash-loop-back-off', () => {
  it('holds for upstream back-off: the first restart at once, then 10 s, 20 s, 40 s … capped at 300 s', () => {
    const r = check(loop([5, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000]).records);
    expect(r.violations).toEqual([]);
    expect(r.checks).toBe(6);
    expect(check(loop([5, 10_000, 20_000, 40_000, 80_000, 160_000, 299_000]).records).violations).toEqual([
      expect.stringContaining('restart 7 in a row must wait out its back-off of 300s'),
    ].map((message) => expect.objectContaining({ message })));
  });

  it('catches a second restart that does not wait out its back-off', () => {
    const r = check(loop([5, 12]).records);
    expect(r.violations.map((v) => v.message)).toEqual([
      'container app of pod default/web-7d9 on node node-1 exited at t=1.205s (exit code 1) and was restarted 0.012s later, at t=1.217s: restart 2 in a row must wait out its back-off of 10s (CrashLoopBackOff until t=11.205s)',
    ]);
  });

  it('catches a back-off that does not double', () => {
    const r = check(loop([5, 10_000, 10_000]).records);
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringContaining('restart 3 in a row must wait out its back-off of 20s')]);
  });

  it('counts kills by `docker kill` as failures, but not stops by the kubelet, deaths with the machine or a new spec', () => {
    const killed = runtimeRecords();
    killed.instance('c0').started(1000).exited(1100, 1);
    killed.instance('c1').started(1105).signalled(2000, 9, 'kill').exited(2000, 137);
    killed.instance('c2').started(2010);
    expect(check(killed.records).violations).toHaveLength(1);

    const stopped = runtimeRecords();
    stopped.instance('c0').started(1000).exited(1100, 1);
    stopped.instance('c1').started(1105).signalled(2000, 15, 'stop').exited(2000, 143);
    stopped.instance('c2').started(2010).exited(2020, 1);
    stopped.instance('c3').started(2030);
    stopped.instance('d0', { specHash: 'h2' }).started(3000).exited(3010, 1);
    stopped.instance('d1', { specHash: 'h2' }).started(3020).exited(3030, 1, { powerOff: true });
    stopped.instance('d2', { specHash: 'h2' }).started(3040);
    expect(check(stopped.records).violations).toEqual([]);
  });

  it("forgets the back-off with the kubelet: a restarted kubelet's first restart goes at once, its second backs off again", () => {
    // Exits at 1.1 s, 1.205 s, 2.105 s; restarts 5 ms, 800 ms and 5 ms later.
    const faults: FaultRecord[] = [
      { time: 1500, kind: 'kubelet-restart', target: 'node-1', phase: 'inject' },
      { time: 2000, kind: 'kubelet-restart', target: 'node-1', phase: 'heal' },
    ];
    expect(check(loop([5, 800, 5]).records).violations.map((v) => v.message)).toEqual([expect.stringContaining('exited at t=1.205s (exit code 1) and was restarted 0.8s later')]);
    expect(check(loop([5, 800, 5]).records, faults).violations.map((v) => v.message)).toEqual([
      expect.stringContaining('exited at t=2.105s (exit code 1) and was restarted 0.005s later, at t=2.11s: restart 2 in a row'),
    ]);
    expect(check(loop([5, 800]).records, faults).violations).toEqual([]);
  });

  it('forgets an entry once more than 600 s passed since the exit before its last restart', () => {
    expect(check(loop([5, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 5], 700_000).records).violations).toEqual([]);
  });

  it('is not checked without runtime records', () => {
    expect(crashLoopBackOff.check(emptyHistory()).notChecked).toMatch(/runtime/);
  });
});
