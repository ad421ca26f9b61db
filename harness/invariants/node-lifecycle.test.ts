import { describe, expect, it } from 'vitest';
import type { TaintSummary } from '../history/history.js';
import { HistoryBuilder } from './history-builder.testing.js';
import { markDeadline, nodeLifecycle } from './node-lifecycle.js';

const UNREACHABLE: TaintSummary = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 36_000 };
const DEFAULT_TOLERATION = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
const GRACE = { nodeMonitorGracePeriodMs: 20_000 };

/** node-1 renews its Lease every 5 s until 10 s, falls silent, and renews again from `back`. */
function silentNode(back = 70_000): HistoryBuilder {
  const b = new HistoryBuilder().watch('harness', { resource: 'nodes' }).watch('harness', { resource: 'pods' });
  b.at(0).put('Node', 'node-1', { nodeReady: 'True' });
  for (const t of [0, 5000, 10_000, back, back + 5000]) b.at(t).put('Lease', 'node-1', { namespace: 'kube-node-lease' });
  return b;
}

/** ...and the node lifecycle controller marks it Unknown and taints it at 36 s. */
function marked(back?: number): HistoryBuilder {
  const b = silentNode(back);
  b.at(31_000).put('Node', 'node-1', { nodeReady: 'Unknown' });
  b.at(36_000).put('Node', 'node-1', { nodeReady: 'Unknown', taints: [UNREACHABLE] });
  return b;
}

const messages = (b: HistoryBuilder, extra = {}) => nodeLifecycle.check(b.build({ ...GRACE, ...extra })).violations.map((v) => v.message);

describe('node-lifecycle: silent nodes', () => {
  it('holds when a node silent beyond the grace period is marked Unknown and tainted in time', () => {
    const r = nodeLifecycle.check(marked().build(GRACE));
    expect(r.violations).toEqual([]);
    expect(r.checks).toBe(1);
  });

  it('catches a silent node left Ready', () => {
    expect(messages(silentNode())).toEqual([
      "node node-1's kubelet last renewed its Lease at t=10s and not again until t=70s, longer than the node monitor grace period of 20s, " +
        'but at t=40s the node was still Ready=True with taints [] (resourceVersion 2), not Ready=Unknown with node.kubernetes.io/unreachable:NoExecute',
    ]);
  });

  it('catches a node marked Unknown but never tainted', () => {
    const b = silentNode();
    b.at(31_000).put('Node', 'node-1', { nodeReady: 'Unknown' });
    expect(messages(b)).toHaveLength(1);
  });

  it('gives a controller blinded by a fault a full grace period from the heal', () => {
    const b = silentNode();
    b.faults.push({ time: 20_000, kind: 'controller-manager-restart', target: 'controller-manager', phase: 'inject' }, { time: 45_000, kind: 'controller-manager-restart', target: 'controller-manager', phase: 'heal' });
    expect(messages(b)).toEqual([]);
    expect(markDeadline(10_000, 20_000, [{ kind: 'x', target: 'y', start: 20_000, end: 45_000 }, { kind: 'x', target: 'y', start: 70_000, end: 80_000 }])).toBe(110_000);
  });

  it("counts the kubelet's own status posts as heartbeats: a node back from a partition that posts Ready before renewing its Lease is alive", () => {
    const b = marked(45_000);
    b.at(38_000).put('Node', 'node-1', { nodeReady: 'True', taints: [UNREACHABLE] }, 'system:node:node-1');
    expect(messages(b)).toEqual([]);
    // The same write by anyone else is no heartbeat.
    const c = marked(45_000);
    c.at(38_000).put('Node', 'node-1', { nodeReady: 'True', taints: [UNREACHABLE] }, 'system:test');
    expect(messages(c)).toHaveLength(1);
  });

  it('does not judge short silences, nor a silence running past the end of the history', () => {
    expect(messages(silentNode(35_000))).toEqual([]);
    const b = silentNode(1_000_000);
    expect(nodeLifecycle.check(b.build({ ...GRACE, final: { time: 35_000, objects: [], liveNodes: [] } })).checks).toBe(0);
  });
});

describe('node-lifecycle: tolerationSeconds', () => {
  function withPod(tolerations: object[], owner?: { rsReplicas: number }, b = marked()): HistoryBuilder {
    if (owner) b.at(1000).put('ReplicaSet', 'web-1', { replicas: owner.rsReplicas });
    const ownerUids = owner ? [b.get('ReplicaSet', 'web-1').uid] : undefined;
    b.at(2000).put('Pod', 'web-1-a', { phase: 'Pending', tolerations, ...(ownerUids ? { ownerUids } : {}) });
    b.at(2100).put('Pod', 'web-1-a', { nodeName: 'node-1', scheduledCondition: true });
    b.at(3000).put('Pod', 'web-1-a', { phase: 'Running', ready: true });
    return b;
  }

  it('catches a pod evicted before its tolerationSeconds ran out', () => {
    const b = withPod([DEFAULT_TOLERATION]);
    b.at(36_500).put('Pod', 'web-1-a', { deleting: true });
    expect(messages(b)).toEqual([
      'pod default/web-1-a on node node-1 was deleted at t=36.5s (resourceVersion 13), 0.5s after the node got taint node.kubernetes.io/unreachable:NoExecute, ' +
        'but the pod may stay until t=66s by its tolerations, and neither a user, its ReplicaSet\'s size nor garbage collection asked for the deletion',
    ]);
  });

  it('catches a pod evicted although it tolerates the taint without a limit', () => {
    const b = withPod([{ operator: 'Exists' }]);
    b.at(90_000).put('Pod', 'web-1-a', { deleting: true });
    expect(messages(b)[0]).toContain('tolerates them without a time limit');
  });

  it('holds for evictions after tolerationSeconds, of pods that do not tolerate the taint, and for other deleters', () => {
    const late = withPod([DEFAULT_TOLERATION]);
    late.at(66_000).put('Pod', 'web-1-a', { deleting: true });
    const intolerant = withPod([]);
    intolerant.at(36_100).put('Pod', 'web-1-a', { deleting: true });
    const user = withPod([DEFAULT_TOLERATION]);
    user.operations.push({ index: 0, time: 36_400, op: 'delete', target: 'default/web-1-a', kind: 'Pod', code: 200 });
    user.at(36_500).put('Pod', 'web-1-a', { deleting: true });
    const scaledDown = withPod([DEFAULT_TOLERATION], { rsReplicas: 1 });
    scaledDown.at(36_200).put('ReplicaSet', 'web-1', { replicas: 0 });
    scaledDown.at(36_500).put('Pod', 'web-1-a', { deleting: true });
    for (const b of [late, intolerant, user, scaledDown]) {
      const r = nodeLifecycle.check(b.build(GRACE));
      expect(r.violations).toEqual([]);
      expect(r.checks).toBe(2);
    }
  });

  it('counts tolerationSeconds from the taint version an older cache held, and ignores deletions from untainted nodes', () => {
    const b = withPod([DEFAULT_TOLERATION]);
    // The taint changes (a kubelet posting Ready=False is not in this history): eviction at
    // 66 s was due by the version with the unreachable taint an older cache still held.
    b.at(38_000).put('Node', 'node-1', { nodeReady: 'Unknown', taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 38_000 }] });
    b.at(67_000).put('Pod', 'web-1-a', { deleting: true });
    expect(messages(b).filter((m) => m.startsWith('pod'))).toEqual([]);
    const plain = withPod([DEFAULT_TOLERATION], undefined, silentNode());
    plain.at(80_000).put('Pod', 'web-1-a', { deleting: true });
    expect(messages(plain).filter((m) => m.startsWith('pod'))).toEqual([]);
  });
});
