import { describe, expect, it } from 'vitest';
import { gracefulTermination } from './graceful-termination.js';
import { emptyHistory, HistoryBuilder } from './history-builder.testing.js';
import { runtimeRecords, WEB } from './runtime-records.testing.js';

/** Pod web-7d9 runs on node-1 from t=2s and is deleted at t=10s with a 30 s grace period. */
function deleted(graceSeconds = 30) {
  const b = new HistoryBuilder().watch('harness', { resource: 'pods' });
  b.at(1000).put('Pod', 'web-7d9', { phase: 'Pending', nodeName: 'node-1' });
  b.at(2500).put('Pod', 'web-7d9', { phase: 'Running' });
  b.at(10_000).put('Pod', 'web-7d9', { deleting: true, deletionGracePeriodSeconds: graceSeconds });
  const rec = runtimeRecords('node-1', { ...WEB, uid: b.get('Pod', 'web-7d9').uid });
  return { b, rec };
}

const messages = (b: HistoryBuilder, records: ReturnType<typeof runtimeRecords>['records']) => gracefulTermination.check(b.build({ runtime: records })).violations.map((v) => v.message);

describe('graceful-termination', () => {
  it('holds for SIGTERM then SIGKILL after the grace period, for containers that exit on SIGTERM, and for kills by `docker kill`', () => {
    const { b, rec } = deleted();
    rec.instance('c1').started(2000).signalled(10_050, 15, 'stop').signalled(40_050, 9, 'stop').exited(40_050, 137);
    rec.instance('c2', { specHash: 'h2' }).started(2000).signalled(10_050, 15, 'stop').exited(10_050, 143);
    rec.instance('c3', { specHash: 'h3' }).started(2000).signalled(10_050, 15, 'stop').signalled(12_000, 9, 'kill').exited(12_000, 137);
    b.at(40_100).delete('Pod', 'web-7d9');
    const r = gracefulTermination.check(b.build({ runtime: rec.records }));
    expect(r.violations).toEqual([]);
    expect(r.checks).toBe(3);
  });

  it('catches a container SIGKILLed at once on a graceful delete', () => {
    const { b, rec } = deleted();
    rec.instance('c1').started(2000).signalled(10_050, 15, 'stop').signalled(10_050, 9, 'stop').exited(10_050, 137);
    expect(messages(b, rec.records)).toEqual([
      'container app (c1) of pod default/web-7d9 got SIGKILL on node node-1 at t=10.05s, 0.05s after the pod\'s deletion with a grace period of 30s at t=10s (resourceVersion 4): it may be killed from t=40s on, after SIGTERM and the grace period',
    ]);
  });

  it('lets a shorter grace period, or the pod being removed from the API, bring the kill forward', () => {
    const { b, rec } = deleted();
    b.at(12_000).put('Pod', 'web-7d9', { deleting: true, deletionGracePeriodSeconds: 5 });
    rec.instance('c1').started(2000).signalled(10_050, 15, 'stop').signalled(17_000, 9, 'stop').exited(17_000, 137);
    expect(messages(b, rec.records)).toEqual([]);
    rec.instance('c2', { specHash: 'h2' }).started(2000).signalled(10_050, 15, 'stop').signalled(16_000, 9, 'stop').exited(16_000, 137);
    expect(messages(b, rec.records)).toEqual([expect.stringContaining('container app (c2)')]);

    const removed = deleted();
    removed.b.at(11_000).delete('Pod', 'web-7d9');
    removed.rec.instance('c1').started(2000).signalled(13_000, 15, 'stop').signalled(13_000, 9, 'stop').exited(13_000, 137);
    expect(messages(removed.b, removed.rec.records)).toEqual([]);
  });

  it('does not judge a deletion without a grace period, nor containers already being stopped or gone', () => {
    const now = deleted(0);
    now.rec.instance('c1').started(2000).signalled(10_050, 9, 'stop').exited(10_050, 137);
    expect(messages(now.b, now.rec.records)).toEqual([]);

    const { b, rec } = deleted();
    rec.instance('c1').started(2000).signalled(9000, 15, 'stop').signalled(10_050, 9, 'stop').exited(10_050, 137);
    rec.instance('c2', { specHash: 'h2' }).started(2000).exited(5000, 1);
    const r = gracefulTermination.check(b.build({ runtime: rec.records }));
    expect(r.violations).toEqual([]);
    expect(r.checks).toBe(0);
  });

  it('is not checked without runtime records or store commits', () => {
    expect(gracefulTermination.check(emptyHistory()).notChecked).toMatch(/runtime/);
    expect(gracefulTermination.check(emptyHistory({ runtime: [] })).notChecked).toMatch(/store/);
  });
});
