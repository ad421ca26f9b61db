import { describe, expect, it } from 'vitest';
import type { History } from '../history/history.js';
import { HistoryBuilder } from './history-builder.testing.js';
import { garbageCollection } from './garbage-collection.js';

const messages = (h: History) => garbageCollection.check(h).violations.map((v) => v.message);

/** ReplicaSet default/web (2 replicas) with two Running pods on a Ready node, created at t=0–1s. */
function replicaSet(): { b: HistoryBuilder; rs: string } {
  const b = new HistoryBuilder();
  for (const resource of ['pods', 'replicasets', 'deployments', 'nodes']) b.watch('harness', { resource });
  b.at(0).put('Node', 'node-1', { nodeReady: 'True' });
  const rs = b.put('ReplicaSet', 'web', { replicas: 2, generation: 1, status: { observedGeneration: 1 } }).uid;
  for (const p of ['web-1', 'web-2']) b.at(1_000).put('Pod', p, { ownerUids: [rs], blockingOwnerUids: [rs], phase: 'Running', nodeName: 'node-1' });
  return { b, rs };
}

describe('garbage-collection: foreground deletion', () => {
  it('holds when the owner goes only after its blocking dependents', () => {
    const { b } = replicaSet();
    b.at(10_000).put('ReplicaSet', 'web', { deleting: true, finalizers: ['foregroundDeletion'] });
    for (const p of ['web-1', 'web-2']) b.at(10_010).put('Pod', p, { deleting: true });
    for (const p of ['web-1', 'web-2']) b.at(12_000).delete('Pod', p);
    b.at(12_010).delete('ReplicaSet', 'web');
    const r = garbageCollection.check(b.build());
    expect(r.violations).toEqual([]);
    expect(r.checks).toBe(1);
  });

  it('catches an owner removed while blocking dependents remain', () => {
    const { b } = replicaSet();
    b.at(10_000).put('ReplicaSet', 'web', { deleting: true, finalizers: ['foregroundDeletion'] });
    b.at(10_010).delete('ReplicaSet', 'web');
    expect(messages(b.build())).toEqual([
      'replicaset default/web, deleted in the foreground at t=10s (resourceVersion 6), disappeared at t=10.01s (resourceVersion 7) while 2 dependents with blockOwnerDeletion still existed: pod default/web-1, pod default/web-2',
    ]);
  });

  it('excuses dependents the collector could not have seen yet: created just before the removal, or while its view lagged', () => {
    const { b, rs } = replicaSet();
    b.at(10_000).put('ReplicaSet', 'web', { deleting: true, finalizers: ['foregroundDeletion'] });
    for (const p of ['web-1', 'web-2']) b.at(10_010).put('Pod', p, { deleting: true });
    for (const p of ['web-1', 'web-2']) b.at(12_000).delete('Pod', p);
    b.at(12_005).put('Pod', 'web-3', { ownerUids: [rs], blockingOwnerUids: [rs], phase: 'Pending' });
    b.at(12_010).delete('ReplicaSet', 'web');
    expect(messages(b.build())).toEqual([]);
    const lagging = (removedAt = 10_010) => {
      const h = replicaSet();
      h.b.at(removedAt - 10).put('ReplicaSet', 'web', { deleting: true, finalizers: ['foregroundDeletion'] });
      h.b.at(removedAt).delete('ReplicaSet', 'web');
      return h.b;
    };
    const window = (kind: string, from: number, to: number) => [
      { time: from, kind, target: 'controller-manager', phase: 'inject' as const },
      { time: to, kind, target: 'controller-manager', phase: 'heal' as const },
    ];
    // A message delay from just before the pods were created until after the removal.
    expect(messages(lagging().build({ faults: window('message-delay', 800, 11_000) }))).toEqual([]);
    // A watch drop just after they were created may have hidden them until the removal; long
    // before the removal it excuses nothing, nor does a delay that began after they were known.
    expect(messages(lagging().build({ faults: window('watch-drop', 1_500, 1_500) }))).toEqual([]);
    expect(messages(lagging(20_000).build({ faults: window('watch-drop', 1_500, 1_500) }))).toHaveLength(1);
    expect(messages(lagging().build({ faults: window('message-delay', 5_000, 11_000) }))).toHaveLength(1);
  });

  it("excuses a user's replace that drops the finalizer of the owner being deleted", () => {
    const { b } = replicaSet();
    b.at(10_000).put('ReplicaSet', 'web', { deleting: true, finalizers: ['foregroundDeletion'] });
    const removed = b.at(15_000).delete('ReplicaSet', 'web');
    b.operations.push({ index: 2, time: 15_010, op: 'apply', target: 'default/web', code: 200, resourceVersion: removed.resourceVersion });
    expect(messages(b.build())).toEqual([]);
  });

  it('judges only foreground deletions: a background delete removes the owner first', () => {
    const { b } = replicaSet();
    b.at(10_000).delete('ReplicaSet', 'web');
    expect(messages(b.build())).toEqual([]);
  });
});

describe('garbage-collection: orphan deletion', () => {
  it('holds when the collector removes the ownerReferences and the dependents live on', () => {
    const { b } = replicaSet();
    b.at(10_000).put('ReplicaSet', 'web', { deleting: true, finalizers: ['orphan'] });
    for (const p of ['web-1', 'web-2']) b.at(10_010).put('Pod', p, { ownerUids: [], blockingOwnerUids: [] });
    b.at(10_020).delete('ReplicaSet', 'web');
    // Orphans may be deleted later by anyone.
    b.at(20_000).put('Pod', 'web-1', { deleting: true });
    const r = garbageCollection.check(b.build());
    expect(r.violations).toEqual([]);
  });

  it('catches a dependent deleted while it still names its orphaning owner', () => {
    const { b } = replicaSet();
    b.at(10_000).put('ReplicaSet', 'web', { deleting: true, finalizers: ['orphan'] });
    b.at(10_010).put('Pod', 'web-1', { deleting: true });
    b.at(10_010).put('Pod', 'web-2', { deleting: true });
    b.at(10_020).delete('ReplicaSet', 'web');
    expect(messages(b.build())).toEqual([
      'pod default/web-1 was deleted at t=10.01s (resourceVersion 7) while it still named replicaset default/web as owner, which was being deleted with propagationPolicy Orphan since t=10s (resourceVersion 6): its dependents must be orphaned, not deleted',
    ]);
  });

  it('excuses deletions that are not the collector\'s: a user\'s, an eviction, the ReplicaSet\'s own scale-down', () => {
    const { b, rs } = replicaSet();
    b.at(2_000).put('Pod', 'web-3', { ownerUids: [rs], phase: 'Running', nodeName: 'node-1' });
    b.at(9_000).put('ReplicaSet', 'web', { replicas: 1, generation: 2 });
    b.at(10_000).put('ReplicaSet', 'web', { deleting: true, finalizers: ['orphan'] });
    // The ReplicaSet controller's delete of an excess pod lands after the delete began.
    b.at(10_005).put('Pod', 'web-3', { deleting: true });
    b.at(10_006).put('Node', 'node-1', { nodeReady: 'Unknown' });
    b.at(10_010).put('Pod', 'web-2', { deleting: true });
    b.operations.push({ index: 1, time: 10_011, op: 'delete', kind: 'Pod', target: 'default/web-1', code: 200 });
    b.at(10_012).put('Pod', 'web-1', { deleting: true });
    b.at(10_020).delete('ReplicaSet', 'web');
    const r = garbageCollection.check(b.build());
    expect(r.violations).toEqual([]);
    expect(r.checks).toBe(3);
  });

  it('excuses a Deployment\'s clean-up of an old ReplicaSet scaled to 0, not of its current one', () => {
    const b = new HistoryBuilder();
    for (const resource of ['pods', 'replicasets', 'deployments', 'nodes']) b.watch('harness', { resource });
    const d = b.at(0).put('Deployment', 'web', { replicas: 2 }).uid;
    b.put('ReplicaSet', 'web-old', { ownerUids: [d], replicas: 0 });
    b.put('ReplicaSet', 'web-new', { ownerUids: [d], replicas: 2 });
    b.at(10_000).put('Deployment', 'web', { deleting: true, finalizers: ['orphan'] });
    b.at(10_010).delete('ReplicaSet', 'web-old');
    expect(messages(b.build())).toEqual([]);
    b.at(10_020).delete('ReplicaSet', 'web-new');
    expect(messages(b.build())).toEqual([
      'replicaset default/web-new was deleted at t=10.02s (resourceVersion 7) while it still named deployment default/web as owner, which was being deleted with propagationPolicy Orphan since t=10s (resourceVersion 5): its dependents must be orphaned, not deleted',
    ]);
  });
});
