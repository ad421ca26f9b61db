import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { History, OperationRecord, WatchObservation } from '../history/history.js';
import { checkProperty } from '../../specs/support/property.js';
import { apiSemantics } from './api-semantics.js';
import { emptyHistory, HistoryBuilder } from './history-builder.testing.js';

const FILE = 'harness/invariants/api-semantics.test.ts';

/** Pods scheduled onto two nodes, watched by the harness (all pods) and node-1's kubelet. */
function cluster(): HistoryBuilder {
  const b = new HistoryBuilder()
    .watch('harness', { resource: 'pods', namespace: 'default' }, 1)
    .watch('kubelet-node-1', { resource: 'pods', fieldSelector: 'spec.nodeName=node-1' }, 3);
  b.at(1000).put('Pod', 'a', { phase: 'Pending', labels: { app: 'web' } });
  b.at(1100).put('Pod', 'b', { phase: 'Pending', labels: { app: 'web' } });
  b.at(1200).put('Pod', 'a', { nodeName: 'node-1' });
  b.at(1300).put('Pod', 'b', { nodeName: 'node-2' });
  b.at(1400).put('Pod', 'a', { phase: 'Running' });
  b.at(1500).put('Pod', 'b', { phase: 'Running' });
  b.at(1600).delete('Pod', 'a');
  b.at(1700).put('Pod', 'c', { phase: 'Pending', labels: { app: 'web' } });
  return b;
}

const messages = (h: History) => apiSemantics.check(h).violations.map((v) => v.message);
const op = (index: number, fields: Partial<OperationRecord>): OperationRecord => ({ index, time: index * 100, op: 'create', target: 'default/web', code: 201, ...fields });

function editStream(h: History, stream: string, edit: (events: WatchObservation[]) => WatchObservation[]): History {
  const mine = h.watches.filter((w) => w.stream === stream);
  return { ...h, watches: [...h.watches.filter((w) => w.stream !== stream), ...edit(mine)] };
}

describe('api-semantics: watches', () => {
  it('holds for faithful streams, selectors included', () => {
    const r = apiSemantics.check(cluster().build());
    expect(r.violations).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks).toBeGreaterThan(10);
  });

  it('catches a resourceVersion going back and an event repeated', () => {
    const h = cluster().build();
    const swapped = editStream(h, 'harness-1', (e) => [e[0]!, e[2]!, e[1]!, ...e.slice(3)]);
    expect(messages(swapped)).toEqual(['watch stream harness-1 of harness (pods in default) went back from resourceVersion 4 (pod default/a) to 3 (pod default/b) at t=1.101s']);
    const repeated = editStream(h, 'harness-1', (e) => [...e.slice(0, 3), e[2]!, ...e.slice(3)]);
    expect(messages(repeated)).toEqual(['watch stream harness-1 of harness (pods in default) delivered pod default/a at resourceVersion 4 twice (MODIFIED at t=1.201s, MODIFIED at t=1.201s)']);
  });

  it('catches a missed event, on a plain stream and through a field selector', () => {
    const h = cluster().build();
    const plain = editStream(h, 'harness-1', (e) => e.filter((w) => w.object.resourceVersion !== 5));
    expect(messages(plain)).toEqual(['watch stream harness-1 of harness (pods in default) missed revision 5 (put /registry/pods/default/b), between the events at resourceVersions 4 and 6']);
    const kubelet = editStream(h, 'kubelet-node-1-2', (e) => e.filter((w) => w.object.resourceVersion !== 6));
    expect(messages(kubelet)).toEqual([
      'watch stream kubelet-node-1-2 of kubelet-node-1 (pods --field-selector spec.nodeName=node-1) missed revision 6 (put /registry/pods/default/a), between the events at resourceVersions 4 and 8',
    ]);
  });

  it('catches an event for a write that never happened, and a delete delivered as a change', () => {
    const h = cluster().build();
    const phantom = editStream(h, 'harness-1', (e) => [...e, { ...e[e.length - 1]!, time: 9000, object: { ...e[e.length - 1]!.object, resourceVersion: 42 } }]);
    expect(messages(phantom)).toEqual(["watch stream harness-1 of harness (pods in default) delivered ADDED pod default/c at resourceVersion 42 (t=9s), but the store's revision 42 did not write it"]);
    const retyped = editStream(h, 'harness-1', (e) => e.map((w) => (w.type === 'DELETED' ? { ...w, type: 'MODIFIED' as const } : w)));
    expect(messages(retyped)).toEqual(['watch stream harness-1 of harness (pods in default) delivered revision 8 of pod default/a as MODIFIED, but the store deleted it']);
  });

  it('checks ordering alone without the store log, and says what it skipped', () => {
    const h = { ...cluster().build(), storeWrites: undefined };
    const r = apiSemantics.check(h);
    expect(r.ok).toBe(true);
    expect(r.notChecked).toMatch(/no store revisions/);
    const dropped = editStream(h, 'harness-1', (e) => e.filter((w) => w.object.resourceVersion !== 5));
    expect(apiSemantics.check(dropped).ok).toBe(true);
  });

  it('exempts synthetic initial events from ordering', () => {
    const h = cluster().build();
    const initial: WatchObservation[] = [5, 4].map((rv) => ({ observer: 'late', stream: 'late-1', time: 2000, type: 'ADDED', initial: true, object: { kind: 'Pod', namespace: 'default', name: rv === 5 ? 'b' : 'a', uid: rv === 5 ? 'uid-pod-b' : 'uid-pod-a', resourceVersion: rv } }));
    expect(messages({ ...h, watches: [...h.watches, ...initial] })).toEqual([]);
  });

  it('property: faithful streams pass; dropping an inner event or repeating any event fails', () => {
    const step = fc.record({ pod: fc.constantFrom('a', 'b', 'c'), node: fc.constantFrom('node-1', 'node-2'), remove: fc.boolean() });
    checkProperty(
      FILE,
      'property: faithful streams pass; dropping an inner event or repeating any event fails',
      fc.property(fc.array(step, { minLength: 2, maxLength: 25 }), fc.nat(), fc.boolean(), (steps, pick, repeat) => {
        const b = new HistoryBuilder().watch('all', { resource: 'pods' }).watch('kubelet', { resource: 'pods', fieldSelector: 'spec.nodeName=node-1' });
        steps.forEach((s, i) => {
          b.at(i * 10);
          if (s.remove && b.current.has(`Pod/default/${s.pod}`)) b.delete('Pod', s.pod);
          else b.put('Pod', s.pod, { nodeName: s.node, labels: {} });
        });
        const h = b.build();
        if (!apiSemantics.check(h).ok) return false;
        const streams = [...new Set(h.watches.map((w) => w.stream))];
        const stream = streams[pick % streams.length]!;
        const events = h.watches.filter((w) => w.stream === stream);
        if (repeat) {
          const k = pick % events.length;
          return !apiSemantics.check(editStream(h, stream, (e) => [...e.slice(0, k + 1), e[k]!, ...e.slice(k + 1)])).ok;
        }
        if (events.length < 3) return true;
        const k = 1 + (pick % (events.length - 2));
        return !apiSemantics.check(editStream(h, stream, (e) => e.filter((_, i) => i !== k))).ok;
      }),
    );
  });
});

describe('api-semantics: stale updates', () => {
  /** Deployment default/web written at 2 (create), 3 (someone's update), 4 (the stale update). */
  function raced(code: number, opName = 'update'): History {
    const b = new HistoryBuilder().watch('harness', { resource: 'deployments' });
    b.at(100).put('Deployment', 'web', { replicas: 1 });
    b.at(200).put('Deployment', 'web', { replicas: 2 });
    if (code === 200) b.at(300).put('Deployment', 'web', { replicas: 5 });
    b.operations.push(op(3, { op: opName, kind: 'Deployment', time: 300, code, basedOn: 2, ...(code === 200 ? { resourceVersion: 4 } : {}) }));
    return b.build();
  }

  it('passes when the stale update got 409', () => {
    expect(messages(raced(409))).toEqual([]);
  });

  it('catches a stale update that succeeded over a newer write', () => {
    expect(messages(raced(200))).toEqual([
      'operation #3 (update deployment default/web) was based on resourceVersion 2 but succeeded with 200 at t=0.3s (resourceVersion 4), although default/web had already been written at resourceVersion 3',
    ]);
    // Observations alone are evidence enough.
    expect(apiSemantics.check({ ...raced(200), storeWrites: undefined }).ok).toBe(false);
  });

  it("catches a 'stale-update' that succeeded, unless the store shows its base was still current", () => {
    const bare = emptyHistory({ operations: [op(1, { op: 'stale-update', target: 'default/web', code: 200, basedOn: 7 })] });
    expect(messages(bare)).toEqual(['operation #1 (stale-update default/web), made stale on purpose (based on resourceVersion 7), succeeded with 200 at t=0.1s instead of 409 Conflict']);
    const b = new HistoryBuilder();
    b.at(100).put('Deployment', 'web', { replicas: 1 });
    b.at(200).put('Deployment', 'web', { replicas: 3 });
    b.operations.push(op(1, { op: 'stale-update', target: 'default/web', time: 200, code: 200, basedOn: 2, resourceVersion: 3 }));
    expect(messages(b.build())).toEqual([]);
  });
});

describe('api-semantics: duplicate creates', () => {
  function dup(codes: readonly number[], objects: number): History {
    const b = new HistoryBuilder().watch('harness', { resource: 'pods' });
    codes.forEach((code, i) => b.operations.push(op(i + 1, { op: 'duplicate-create', kind: 'Pod', group: 'g1', time: 100, code })));
    for (let i = 0; i < objects; i++) b.at(150 + i).put('Pod', 'web', { uid: `uid-${i}`, phase: 'Pending' });
    return b.build();
  }

  it('passes one success and the rest 409', () => {
    expect(messages(dup([201, 409, 409], 1))).toEqual([]);
  });

  it('catches two successes', () => {
    expect(messages(dup([201, 201], 1))).toEqual(['duplicate creates g1 of default/web (#1→201, #2→201): 2 succeeded, want exactly 1']);
  });

  it('catches two objects appearing (a create overwrote another)', () => {
    expect(messages(dup([201, 409], 2))).toEqual(['duplicate creates g1 of default/web (#1→201, #2→409): 2 distinct objects appeared (uids uid-0, uid-1), want 1']);
  });

  it('accepts unanswered creates when exactly one object appeared', () => {
    expect(messages(dup([0, 0], 1))).toEqual([]);
    expect(messages(dup([0, 409], 1))).toEqual([]);
  });

  it('catches unanswered creates with no object afterwards, and 409s for an object that never existed', () => {
    const none = dup([0, 0], 0);
    const created = { auditID: 'a1', time: 120, user: 'admin', verb: 'create', resource: 'pods', namespace: 'default', name: 'web', code: 201, revisions: [7] };
    expect(messages({ ...none, audit: [created] })).toEqual(['duplicate creates g1 of default/web (#1→0, #2→0): none was answered with success (codes 0, 0) and no object default/web exists afterwards']);
    // With an audit log showing no create reached the store, losing both on the wire is fine;
    // without one (a live cluster) nothing says either arrived (a refused connection sends nothing).
    expect(messages({ ...none, audit: [] })).toEqual([]);
    expect(messages({ ...none, audit: undefined })).toEqual([]);
    expect(messages(dup([409, 409], 0))).toEqual(['duplicate creates g1 of default/web (#1→409, #2→409): none succeeded and 2 creates got 409, yet no such object existed before or after']);
  });

  it('is not checked on an empty history', () => {
    expect(apiSemantics.check(emptyHistory()).notChecked).toBeDefined();
  });
});
