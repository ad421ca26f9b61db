import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../../specs/support/property.js';
import { emptyHistory, HistoryBuilder } from './history-builder.testing.js';
import { podLifecycle } from './pod-lifecycle.js';

const FILE = 'harness/invariants/pod-lifecycle.test.ts';

/** A pod's life as a faithful cluster writes it, seen by a prompt and a lagging observer. */
function life(): HistoryBuilder {
  const b = new HistoryBuilder().watch('harness', { resource: 'pods' }, 1).watch('slow', { resource: 'pods' }, 5000);
  b.at(1000).put('Pod', 'web-7d9', { phase: 'Pending' });
  b.at(2000).put('Pod', 'web-7d9', { phase: 'Pending', nodeName: 'node-1', scheduledCondition: true });
  b.at(3000).put('Pod', 'web-7d9', { phase: 'Running', restartCounts: { app: 0 }, ready: true });
  b.at(4000).put('Pod', 'web-7d9', { phase: 'Running', restartCounts: { app: 1 }, ready: true });
  b.at(5000).put('Pod', 'web-7d9', { phase: 'Succeeded', restartCounts: { app: 1 }, ready: false });
  const uid = b.get('Pod', 'web-7d9').uid;
  b.runtime.push({ time: 2500, node: 'node-1', containerId: 'c1', type: 'started', pod: { namespace: 'default', name: 'web-7d9', uid }, container: 'app' });
  return b;
}

const messages = (b: HistoryBuilder) => podLifecycle.check(b.build()).violations.map((v) => v.message);

describe('pod-lifecycle', () => {
  it('holds for a legal life, even when a lagging observer delivers old versions late', () => {
    const r = podLifecycle.check(life().build());
    expect(r.violations).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks).toBeGreaterThan(10);
  });

  it('catches a phase going back', () => {
    const b = life();
    b.at(6000).put('Pod', 'web-7d9', { phase: 'Pending' });
    expect(messages(b)).toContain('pod default/web-7d9 went from Succeeded to Pending at t=6.001s (resourceVersion 6 → 7)');
  });

  it('catches Running → Pending and Succeeded → Failed', () => {
    const b = new HistoryBuilder().watch('harness', { resource: 'pods' });
    b.at(12_400).put('Pod', 'web', { phase: 'Running', nodeName: 'n1' });
    b.put('Pod', 'web', { phase: 'Pending' });
    b.put('Pod', 'web', { phase: 'Succeeded' });
    b.put('Pod', 'web', { phase: 'Failed' });
    expect(messages(b)).toEqual([
      'pod default/web went from Running to Pending at t=12.401s (resourceVersion 2 → 3)',
      'pod default/web went from Succeeded to Failed at t=12.401s (resourceVersion 4 → 5)',
    ]);
  });

  it('catches nodeName changing or being cleared', () => {
    const b = new HistoryBuilder().watch('harness', { resource: 'pods' });
    b.at(1000).put('Pod', 'web', { phase: 'Pending', nodeName: 'node-1' });
    b.at(2000).put('Pod', 'web', { nodeName: 'node-2' });
    expect(messages(b)).toEqual(['nodeName of pod default/web was set to node-1 at resourceVersion 2 and changed to node-2 at t=2.001s (resourceVersion 3)']);
  });

  it('catches Running before PodScheduled', () => {
    const b = new HistoryBuilder().watch('harness', { resource: 'pods' });
    b.at(1000).put('Pod', 'web', { phase: 'Pending' });
    b.at(2000).put('Pod', 'web', { phase: 'Running' });
    expect(messages(b)).toEqual(['pod default/web was Running at t=2.001s (resourceVersion 3) before it was scheduled (no nodeName, PodScheduled not true)']);
  });

  it('catches a restartCount that decreases', () => {
    const b = life();
    b.at(4500).put('Pod', 'web-7d9', { phase: 'Succeeded', restartCounts: { app: 0 } });
    expect(messages(b)).toContain('restartCount of container app in pod default/web-7d9 went from 1 to 0 at t=4.501s (resourceVersion 6 → 7)');
  });

  it('catches a container started on another node than the binding', () => {
    const b = life();
    const uid = b.get('Pod', 'web-7d9').uid;
    b.runtime.push({ time: 2600, node: 'node-2', containerId: 'c2', type: 'started', pod: { namespace: 'default', name: 'web-7d9', uid }, container: 'app' });
    expect(messages(b)).toEqual(['container app of pod default/web-7d9 started on node node-2 at t=2.6s, but the pod is bound to node node-1']);
  });

  it('catches a container started before its pod was bound, by the store commit times', () => {
    const b = life();
    const uid = b.get('Pod', 'web-7d9').uid;
    b.runtime.push({ time: 1500, node: 'node-1', containerId: 'c0', type: 'started', pod: { namespace: 'default', name: 'web-7d9', uid }, container: 'app' });
    expect(messages(b)).toEqual([
      'container app of pod default/web-7d9 started on node node-1 at t=1.5s, before the pod was bound: it was unbound at resourceVersion 2 and not written again until revision 3 at t=2s',
    ]);
    // Without commit times, arrival times cannot order the two: nothing is claimed.
    expect(podLifecycle.check({ ...b.build(), storeWrites: undefined }).ok).toBe(true);
  });

  it('catches a container started for a pod that was never bound', () => {
    const b = new HistoryBuilder().watch('harness', { resource: 'pods' });
    const pod = b.at(1000).put('Pod', 'web', { phase: 'Pending' });
    b.runtime.push({ time: 1500, node: 'node-1', containerId: 'c0', type: 'started', pod: { namespace: 'default', name: 'web', uid: pod.uid }, container: 'app' });
    expect(messages(b)).toEqual(['container app of pod default/web started on node node-1 at t=1.5s, but the pod was never bound (last written unbound at resourceVersion 2)']);
  });

  it('is not checked without pod observations', () => {
    const r = podLifecycle.check(emptyHistory());
    expect(r.notChecked).toMatch(/no pod/);
    expect(r.ok).toBe(true);
  });

  it('property: any legal phase sequence passes; inserting an illegal transition fails', () => {
    const legalPath = fc.constantFrom<readonly string[]>(['Pending'], ['Pending', 'Running'], ['Pending', 'Running', 'Succeeded'], ['Pending', 'Running', 'Failed'], ['Pending', 'Failed'], ['Pending', 'Succeeded'], ['Running'], ['Running', 'Failed']);
    const scenario = fc.record({
      path: legalPath,
      repeats: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
      restarts: fc.array(fc.nat({ max: 2 }), { minLength: 9, maxLength: 9 }),
      lags: fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 3 }),
      at: fc.nat({ max: 100 }),
    });
    checkProperty(
      FILE,
      'property: any legal phase sequence passes; inserting an illegal transition fails',
      fc.property(scenario, ({ path, repeats, restarts, lags, at }) => {
        const build = (illegal: boolean) => {
          const b = new HistoryBuilder();
          lags.forEach((lag, i) => b.watch(`observer-${i}`, { resource: 'pods' }, lag));
          let restartCount = 0;
          let step = 0;
          const phases = path.flatMap((p, i) => Array.from({ length: repeats[i] ?? 1 }, () => p));
          // Binding happens before the first Running (or at creation for a pod that starts Running).
          for (const phase of phases) {
            restartCount += restarts[step % restarts.length] ?? 0;
            const bound = phase !== 'Pending' || step > 0;
            b.at(step * 1000).put('Pod', 'p', { phase, restartCounts: { c: restartCount }, ...(bound ? { nodeName: 'n1' } : {}) });
            step++;
          }
          if (illegal) {
            // Go back one rank from the furthest phase reached, or from Pending to a terminal and back.
            const lastPhase = phases[phases.length - 1];
            const back = lastPhase === 'Pending' ? ['Failed', 'Running'] : lastPhase === 'Running' ? ['Pending'] : [at % 2 === 0 ? 'Running' : lastPhase === 'Failed' ? 'Succeeded' : 'Failed'];
            for (const phase of back) b.at(step++ * 1000).put('Pod', 'p', { phase, nodeName: 'n1' });
          }
          return b.build();
        };
        return podLifecycle.check(build(false)).ok && !podLifecycle.check(build(true)).ok;
      }),
    );
  });
});
