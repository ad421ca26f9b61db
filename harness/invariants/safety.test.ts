import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { History } from '../history/history.js';
import { checkProperty } from '../../specs/support/property.js';
import { emptyHistory, HistoryBuilder } from './history-builder.testing.js';
import { safety } from './safety.js';

const FILE = 'harness/invariants/safety.test.ts';
const Mi = 1 << 20;

function watched(): HistoryBuilder {
  const b = new HistoryBuilder();
  for (const resource of ['pods', 'replicasets', 'deployments', 'nodes']) b.watch('harness', { resource });
  return b;
}

const messages = (h: History) => safety.check(h).violations.map((v) => v.message);

describe('safety: node capacity', () => {
  function twoPods(second: string): HistoryBuilder {
    const b = watched();
    b.at(100).put('Node', 'node-1', { allocatable: { cpuMilli: 1000, memoryBytes: 1024 * Mi }, nodeReady: 'True' });
    b.put('Node', 'node-2', { allocatable: { cpuMilli: 1000, memoryBytes: 1024 * Mi }, nodeReady: 'True' });
    for (const name of ['a', 'b']) b.at(200).put('Pod', name, { phase: 'Pending', requests: { cpuMilli: 600, memoryBytes: 256 * Mi } });
    b.at(12_400).put('Pod', 'a', { nodeName: 'node-1', scheduledCondition: true });
    b.at(12_500).put('Pod', 'b', { nodeName: second, scheduledCondition: true });
    return b;
  }

  it('holds when requests fit', () => {
    const r = safety.check(twoPods('node-2').build());
    expect(r.violations).toEqual([]);
    expect(r.checks).toBeGreaterThan(0);
  });

  it('catches a node whose bound pods request more than its allocatable', () => {
    expect(messages(twoPods('node-1').build())).toEqual([
      'node node-1 is overcommitted at t=12.5s (resourceVersion 7): pods default/a (600m), default/b (600m) request 1200m cpu of 1000m allocatable',
    ]);
  });

  it('frees a terminal pod\'s requests, and counts a pod created on its node only once the kubelet runs it', () => {
    const b = twoPods('node-2');
    b.at(13_000).put('Pod', 'a', { phase: 'Succeeded' });
    b.at(13_100).put('Pod', 'c', { phase: 'Pending', nodeName: 'node-1', requests: { cpuMilli: 900, memoryBytes: 0 } });
    b.at(13_200).put('Pod', 'd', { phase: 'Pending', nodeName: 'node-2', requests: { cpuMilli: 900, memoryBytes: 0 } });
    b.at(13_300).put('Pod', 'd', { phase: 'Failed' });
    expect(messages(b.build())).toEqual([]);
    b.at(13_400).put('Pod', 'e', { phase: 'Pending', nodeName: 'node-2', requests: { cpuMilli: 900, memoryBytes: 0 } });
    b.at(13_500).put('Pod', 'e', { phase: 'Running' });
    expect(messages(b.build())).toEqual(['node node-2 is overcommitted at t=13.5s (resourceVersion 13): pods default/b (600m), default/e (900m) request 1500m cpu of 1000m allocatable']);
  });
});

/**
 * A RollingUpdate of Deployment default/web (3 replicas, maxSurge 1, maxUnavailable 0) from
 * ReplicaSet web-old to web-new, written step by step as controllers would.
 */
class Rollout {
  readonly b = watched();
  private next = 0;
  readonly oldPods: string[] = [];
  readonly newPods: string[] = [];
  private oldSpec = 3;
  private newSpec = 0;
  private readonly dUid: string;

  constructor(readonly replicas = 3) {
    this.b.at(0).put('Node', 'node-1', { allocatable: { cpuMilli: 100_000, memoryBytes: 100_000 * Mi }, nodeReady: 'True' });
    this.dUid = this.b.put('Deployment', 'web', { replicas, maxSurge: 1, maxUnavailable: 0, generation: 1, status: { observedGeneration: 1 } }).uid;
    this.b.put('ReplicaSet', 'web-old', { ownerUids: [this.dUid], replicas, status: {} });
    for (let i = 0; i < replicas; i++) {
      const name = this.pod('web-old');
      this.b.put('Pod', name, { phase: 'Running', ready: true });
      this.oldPods.push(name);
    }
    this.status('web-old');
    this.b.put('Deployment', 'web', { generation: 2, status: { observedGeneration: 2 } });
    this.b.put('ReplicaSet', 'web-new', { ownerUids: [this.dUid], replicas: 0, status: {} });
  }

  private tick(): void {
    this.b.at(this.b.time + 100);
  }

  private pod(rs: string): string {
    const name = `${rs}-${this.next++}`;
    this.b.put('Pod', name, { ownerUids: [this.b.get('ReplicaSet', rs).uid], phase: 'Pending', nodeName: 'node-1', scheduledCondition: true });
    return name;
  }

  /** The ReplicaSet controller writes its status from its pods. */
  status(rs: string): void {
    this.tick();
    const uid = this.b.get('ReplicaSet', rs).uid;
    const pods = [...this.b.current.values()].filter((p) => p.kind === 'Pod' && p.ownerUids?.includes(uid) && !p.deleting);
    const available = pods.filter((p) => p.phase === 'Running' && p.ready).length;
    this.b.put('ReplicaSet', rs, { status: { replicas: pods.length, readyReplicas: available, availableReplicas: available } });
  }

  surge(): void {
    this.tick();
    this.b.put('ReplicaSet', 'web-new', { replicas: ++this.newSpec });
    this.newPods.push(this.pod('web-new'));
  }

  ready(name: string): void {
    this.tick();
    this.b.put('Pod', name, { phase: 'Running', ready: true });
    this.status('web-new');
  }

  /** Scale the old ReplicaSet down by one; its controller deletes a pod. */
  scaleDownOld(): void {
    this.tick();
    this.b.put('ReplicaSet', 'web-old', { replicas: --this.oldSpec });
    const victim = this.oldPods.shift();
    if (!victim) throw new Error('no old pod');
    this.tick();
    this.b.put('Pod', victim, { deleting: true });
    this.tick();
    this.b.delete('Pod', victim);
    this.status('web-old');
  }
}

describe('safety: rollouts', () => {
  it('holds for a rollout that waits for new pods before deleting old ones', () => {
    const r = new Rollout();
    for (let i = 0; i < 3; i++) {
      r.surge();
      r.ready(r.newPods[i] ?? '');
      r.scaleDownOld();
    }
    const result = safety.check(r.b.build());
    expect(result.violations).toEqual([]);
    expect(result.checks).toBeGreaterThan(20);
  });

  it('catches a controller that deletes an old pod before the new one is available', () => {
    const r = new Rollout();
    r.surge();
    r.scaleDownOld();
    expect(messages(r.b.build())).toEqual([
      "deployment default/web fell to 2 available pods, below spec.replicas − maxUnavailable = 3, when available pod default/web-old-0 of replicaset default/web-old was deleted at t=0.4s (resourceVersion 17); its ReplicaSets' status allowed at most 2 available after the deletion",
    ]);
  });

  it('excuses that deletion while a fault is active', () => {
    const r = new Rollout();
    r.b.faults.push({ time: 100, kind: 'node-partition', target: 'node-1', phase: 'inject' }, { time: 1000, kind: 'node-partition', target: 'node-1', phase: 'heal' });
    r.surge();
    r.scaleDownOld();
    expect(messages(r.b.build())).toEqual([]);
  });

  it("excuses a deletion the ReplicaSets' status justified, when a new pod crashed meanwhile", () => {
    const r = new Rollout();
    r.surge();
    r.ready(r.newPods[0] ?? '');
    r.b.at(r.b.time + 10).put('Pod', r.newPods[0] ?? '', { ready: false });
    r.scaleDownOld();
    expect(messages(r.b.build())).toEqual([]);
  });

  it('excuses the deletion of a pod that became available after the controller cleaned up a replica the status called unavailable', () => {
    const r = new Rollout();
    const late = r.oldPods[2] ?? '';
    r.b.at(r.b.time + 10).put('Pod', late, { ready: false });
    r.status('web-old');
    r.surge();
    // The pod becomes ready; web-old's status still says 2 available when the Deployment
    // controller scales web-old down by its one unavailable replica (cleanupUnhealthyReplicas).
    r.b.at(r.b.time + 10).put('Pod', late, { ready: true });
    r.b.at(r.b.time + 10).put('ReplicaSet', 'web-old', { replicas: 2 });
    // Its controller deletes the most recently ready pod.
    r.b.at(r.b.time + 10).put('Pod', late, { deleting: true });
    expect(messages(r.b.build())).toEqual([]);
    // Beyond the replicas the status called unavailable, nothing is excused.
    r.b.at(r.b.time + 10).put('ReplicaSet', 'web-old', { replicas: 1 });
    r.b.at(r.b.time + 10).put('Pod', r.oldPods[1] ?? '', { deleting: true });
    expect(messages(r.b.build())).toHaveLength(1);
  });

  it('catches more active pods than spec.replicas + maxSurge', () => {
    const r = new Rollout();
    r.surge();
    r.surge();
    expect(messages(r.b.build())).toEqual([
      'deployment default/web runs 5 active pods at t=0.3s (resourceVersion 17), above spec.replicas + maxSurge = 3 + 1 (replicasets, active/spec: web-old 3/3, web-new 2/2)',
    ]);
  });

  it('forgives pods the ReplicaSet controller owes deleting after a scale-down', () => {
    const r = new Rollout();
    r.surge();
    r.ready(r.newPods[0] ?? '');
    // The deployment controller scales old down and new up; the new pod lands before the old one goes.
    r.b.at(r.b.time + 100).put('ReplicaSet', 'web-old', { replicas: 2 });
    r.surge();
    expect(messages(r.b.build())).toEqual([]);
  });

  it('forgives the pods of a ReplicaSet sized before the Deployment was scaled down', () => {
    // The Deployment controller sized web-new under spec.replicas 3; the user then scales the
    // Deployment to 1 before web-new's controller has created its pod.
    const r = new Rollout();
    r.b.at(r.b.time + 100).put('ReplicaSet', 'web-new', { replicas: 1 });
    r.b.at(r.b.time + 100).put('Deployment', 'web', { replicas: 1, generation: 3 });
    r.b.at(r.b.time + 100).put('Pod', 'web-new-late', { ownerUids: [r.b.get('ReplicaSet', 'web-new').uid], phase: 'Pending' });
    expect(messages(r.b.build())).toEqual([]);
  });

  it('catches a ReplicaSet sized up after the Deployment was scaled down', () => {
    const r = new Rollout();
    r.b.at(r.b.time + 100).put('Deployment', 'web', { replicas: 1, generation: 3 });
    r.surge();
    expect(messages(r.b.build())).toEqual([
      'deployment default/web runs 4 active pods at t=0.3s (resourceVersion 16), above spec.replicas + maxSurge = 1 + 1 even forgiving 1 owed by scale-downs (replicasets, active/spec: web-old 3/3, web-new 1/1)',
    ]);
  });

  /** Deployment web (2 replicas, maxSurge 1, maxUnavailable 0) stuck with three ReplicaSets of one pod each; only web-a's is available. */
  function stuck(): HistoryBuilder {
    const b = watched();
    b.at(0).put('Node', 'node-1', { allocatable: { cpuMilli: 100_000, memoryBytes: 100_000 * Mi }, nodeReady: 'True' });
    const d = b.put('Deployment', 'web', { replicas: 2, maxSurge: 1, maxUnavailable: 0, generation: 3, status: { observedGeneration: 3 } }).uid;
    for (const rs of ['web-a', 'web-b', 'web-c']) {
      const uid = b.put('ReplicaSet', rs, { ownerUids: [d], replicas: 1, status: rs === 'web-a' ? { replicas: 1, readyReplicas: 1, availableReplicas: 1 } : { replicas: 1 } }).uid;
      b.put('Pod', `${rs}-0`, { ownerUids: [uid], nodeName: 'node-1', scheduledCondition: true, ...(rs === 'web-a' ? { phase: 'Running', ready: true } : { phase: 'Pending' }) });
    }
    return b;
  }

  function deleteOldest(b: HistoryBuilder): void {
    b.at(b.time + 100).put('ReplicaSet', 'web-a', { replicas: 0 });
    b.at(b.time + 100).put('Pod', 'web-a-0', { deleting: true });
    b.at(b.time + 100).delete('Pod', 'web-a-0');
  }

  it('excuses the deletions of a proportional scale-down when the Deployment is scaled down', () => {
    // The user scales web to 1; upstream takes the one replica too many from the oldest ReplicaSet.
    const b = stuck();
    b.at(b.time + 100).put('Deployment', 'web', { replicas: 1, generation: 4 });
    deleteOldest(b);
    expect(messages(b.build())).toEqual([]);
  });

  it('catches the same deletion without a scale-down', () => {
    const b = stuck();
    deleteOldest(b);
    expect(messages(b.build())).toEqual([
      "deployment default/web fell to 0 available pods, below spec.replicas − maxUnavailable = 2, when available pod default/web-a-0 of replicaset default/web-a was deleted at t=0.2s (resourceVersion 11); its ReplicaSets' status allowed at most 0 available after the deletion",
    ]);
  });

  it('is not checked without observations', () => {
    expect(safety.check(emptyHistory()).notChecked).toMatch(/no objects/);
  });

  it('property: any interleaving of a correct rollout passes; deleting an old pod early fails', () => {
    checkProperty(
      FILE,
      'property: any interleaving of a correct rollout passes; deleting an old pod early fails',
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), fc.nat(), (replicas, choices, earlyAt) => {
        const run = (bad: boolean) => {
          const r = new Rollout(replicas);
          const ready = new Set<string>();
          let steps = 0;
          let sabotaged = false;
          for (const choice of choices) {
            const available = r.oldPods.length + ready.size;
            const actions: (() => void)[] = [];
            if (r.oldPods.length + r.newPods.length < replicas + 1 && r.newPods.length < replicas) actions.push(() => r.surge());
            const waiting = r.newPods.filter((p) => !ready.has(p));
            if (waiting.length > 0) actions.push(() => { const p = waiting[choice % waiting.length] ?? ''; r.ready(p); ready.add(p); });
            if (r.oldPods.length > 0 && available > replicas) actions.push(() => r.scaleDownOld());
            if (bad && !sabotaged && steps >= earlyAt % 4 && r.oldPods.length > 0 && available === replicas) {
              sabotaged = true;
              r.scaleDownOld();
            } else if (actions.length > 0) actions[choice % actions.length]?.();
            steps++;
          }
          return { ok: safety.check(r.b.build()).ok, sabotaged };
        };
        const bad = run(true);
        return run(false).ok && (!bad.sabotaged || !bad.ok);
      }),
    );
  });
});
