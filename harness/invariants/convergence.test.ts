import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FinalState, History, ObjectSummary } from '../history/history.js';
import { checkProperty } from '../../specs/support/property.js';
import { convergence } from './convergence.js';
import { emptyHistory } from './history-builder.testing.js';

const FILE = 'harness/invariants/convergence.test.ts';

interface Shape {
  readonly replicas: number;
  readonly nodes: readonly string[];
}

/** A Deployment after a finished rollout: old ReplicaSet empty, new one with ready pods. */
function converged({ replicas, nodes }: Shape = { replicas: 2, nodes: ['node-1', 'node-2'] }): History {
  const status = { replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 2 };
  const d: ObjectSummary = { kind: 'Deployment', namespace: 'default', name: 'web', uid: 'd1', resourceVersion: 50, generation: 2, replicas, maxSurge: 1, maxUnavailable: 0, templateDigest: 'T2', status };
  const old: ObjectSummary = { kind: 'ReplicaSet', namespace: 'default', name: 'web-6f7', uid: 'rs1', resourceVersion: 40, ownerUids: ['d1'], replicas: 0, revision: 1, templateDigest: 'T1', podTemplateHash: '6f7', status: { observedGeneration: 3 }, generation: 3 };
  const rs: ObjectSummary = { kind: 'ReplicaSet', namespace: 'default', name: 'web-7d9', uid: 'rs2', resourceVersion: 45, ownerUids: ['d1'], replicas, revision: 2, templateDigest: 'T2', podTemplateHash: '7d9', status: { replicas, readyReplicas: replicas, availableReplicas: replicas } };
  const pods: ObjectSummary[] = Array.from({ length: replicas }, (_, i) => ({
    kind: 'Pod',
    namespace: 'default',
    name: `web-7d9-${i}`,
    uid: `p${i}`,
    resourceVersion: 30 + i,
    ownerUids: ['rs2'],
    podTemplateHash: '7d9',
    phase: 'Running',
    ready: true,
    nodeName: nodes[i % nodes.length],
    containerStates: { app: 'running' },
    restartCounts: { app: 0 },
  }));
  const final: FinalState = {
    time: 20_000,
    objects: [d, old, rs, ...pods, ...nodes.map((n, i) => ({ kind: 'Node', name: n, uid: `n${i}`, resourceVersion: 5, nodeReady: 'True' }))],
    containers: pods.map((p) => ({ node: p.nodeName ?? '', containerId: `c-${p.name}`, container: 'app', running: true, pod: { namespace: 'default', name: p.name, uid: p.uid } })),
    liveNodes: nodes,
  };
  return emptyHistory({ healedAt: 10_000, convergedAt: 15_000, convergenceBoundMs: 30_000, final });
}

function withObjects(h: History, edit: (objects: ObjectSummary[]) => ObjectSummary[]): History {
  if (!h.final) throw new Error('fixture');
  return { ...h, final: { ...h.final, objects: edit([...h.final.objects]) } };
}

/** The runtime no longer runs the pod's containers (they wait or never started). */
function withoutContainers(h: History, pod: string): History {
  if (!h.final) throw new Error('fixture');
  return { ...h, final: { ...h.final, containers: (h.final.containers ?? []).filter((c) => c.pod?.name !== pod) } };
}

const update = (name: string, fields: Partial<ObjectSummary>) => (objects: ObjectSummary[]) => objects.map((o) => (o.name === name ? { ...o, ...fields } : o));
const messages = (h: History) => convergence.check(h).violations.map((v) => v.message);

describe('convergence', () => {
  it('holds for a finished rollout whose pods really run', () => {
    const r = convergence.check(converged());
    expect(r.violations).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks).toBeGreaterThan(15);
  });

  it('catches convergence later than the bound', () => {
    expect(messages({ ...converged(), convergedAt: 45_000 })).toEqual(['did not converge within 30s of the last heal at t=10s: the final state was reached at t=45s, 35s later']);
  });

  it('catches a pod that is not ready without an excuse', () => {
    const h = withoutContainers(withObjects(converged(), update('web-7d9-1', { ready: false, containerStates: { app: 'waiting:ContainerCreating' } })), 'web-7d9-1');
    expect(messages(h)).toEqual([
      'replicaset default/web-7d9 reports status.readyReplicas=2 but 1 of its pods qualify at t=20s (resourceVersion 45)',
      'replicaset default/web-7d9 reports status.availableReplicas=2 but 1 of its pods qualify at t=20s (resourceVersion 45)',
      'pod default/web-7d9-1 is not ready (phase Running, on node node-2, containers app=waiting:ContainerCreating) at t=20s (resourceVersion 31), 10s after the last heal',
      'deployment default/web wants 2 replicas but has 1 ready of 2 active pods of its current template (replicaset default/web-7d9) at t=20s',
      'deployment default/web reports status.readyReplicas=2 but its pods say 1 at t=20s (resourceVersion 50)',
      'deployment default/web reports status.availableReplicas=2 but its pods say 1 at t=20s (resourceVersion 50)',
      'deployment default/web reports status.unavailableReplicas=0 but its pods say 1 at t=20s (resourceVersion 50)',
    ]);
  });

  it('lets status lag the readiness of a pod whose container changed moments before the snapshot', () => {
    // web-7d9-1's container just crashed: its pod says so, the controllers have not counted it yet.
    const crashed = withoutContainers(withObjects(converged(), update('web-7d9-1', { ready: false, containerStates: { app: 'waiting:CrashLoopBackOff' } })), 'web-7d9-1');
    const exited = { pod: { namespace: 'default', name: 'web-7d9-1', uid: 'p1' }, container: 'app', node: 'node-2', containerId: 'c-web-7d9-1', type: 'exited' as const, exitCode: 3 };
    expect(messages({ ...crashed, runtime: [{ ...exited, time: 19_900 }] })).toEqual([]);
    // Long after the change the status must have caught up.
    expect(messages({ ...crashed, runtime: [{ ...exited, time: 5_000 }] })).toEqual([
      'replicaset default/web-7d9 reports status.readyReplicas=2 but 1 of its pods qualify at t=20s (resourceVersion 45)',
      'replicaset default/web-7d9 reports status.availableReplicas=2 but 1 of its pods qualify at t=20s (resourceVersion 45)',
      'deployment default/web reports status.readyReplicas=2 but its pods say 1 at t=20s (resourceVersion 50)',
      'deployment default/web reports status.availableReplicas=2 but its pods say 1 at t=20s (resourceVersion 50)',
      'deployment default/web reports status.unavailableReplicas=0 but its pods say 1 at t=20s (resourceVersion 50)',
    ]);
  });

  it('catches a missing pod and an old ReplicaSet left with pods', () => {
    const h = withObjects(converged(), (objects) =>
      objects.filter((o) => o.name !== 'web-7d9-1').map((o) => (o.name === 'web-7d9-0' ? { ...o, ownerUids: ['rs1'], podTemplateHash: '6f7' } : o)),
    );
    const m = messages(h);
    expect(m).toContain('replicaset default/web-6f7 wants 0 replicas but has 1 active pod at t=20s');
    expect(m).toContain('replicaset default/web-7d9 wants 2 replicas but has 0 active pods at t=20s');
    expect(m).toContain('old replicaset default/web-6f7 of deployment default/web is still scaled to 0 with 1 active pod after the rollout finished, at t=20s');
  });

  it('excuses pods that cannot run, within the surge bound', () => {
    const blocked = withoutContainers(withObjects(converged(), update('web-7d9-1', { ready: false, containerStates: { app: 'waiting:ImagePullBackOff' } })), 'web-7d9-1');
    // Status must still tell the truth.
    const honest = withObjects(blocked, (objects) =>
      objects.map((o) =>
        o.name === 'web-7d9' ? { ...o, status: { replicas: 2, readyReplicas: 1, availableReplicas: 1 } } : o.name === 'web' ? { ...o, status: { replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 1, observedGeneration: 2 } } : o,
      ),
    );
    expect(messages(honest)).toEqual([]);
    const unschedulable = withObjects(honest, update('web-7d9-1', { nodeName: undefined, phase: 'Pending', scheduledCondition: false, containerStates: {} }));
    expect(messages(unschedulable)).toEqual([]);
    const ignored = withObjects(honest, update('web-7d9-1', { nodeName: undefined, phase: 'Pending', containerStates: {} }));
    expect(messages(ignored)).toEqual([
      'pod default/web-7d9-1 is not ready (phase Pending, unbound and never considered by the scheduler) at t=20s (resourceVersion 31), 10s after the last heal',
      'deployment default/web wants 2 replicas but has 1 ready of 2 active pods of its current template (replicaset default/web-7d9) at t=20s',
    ]);
  });

  it('catches Running pods whose containers do not run, orphan containers and pods on gone nodes', () => {
    const h = converged();
    if (!h.final) throw new Error('fixture');
    const [c0, c1] = h.final.containers ?? [];
    if (!c0 || !c1) throw new Error('fixture');
    const final: FinalState = {
      ...h.final,
      containers: [c0, { ...c1, node: 'node-1' }, { node: 'node-1', containerId: 'zombie', container: 'app', running: true, pod: { namespace: 'default', name: 'gone', uid: 'p-gone' } }],
    };
    expect(messages({ ...h, final })).toEqual([
      "pod default/web-7d9-1 reports container app running but node node-2's runtime does not run it at t=20s",
      'orphan container app on node node-1 runs for pod default/web-7d9-1, which is bound to node node-2, at t=20s',
      'orphan container app on node node-1 still runs for pod default/gone (uid p-gone), which no longer exists, at t=20s',
    ]);
    const lost = { ...h, final: { ...h.final, liveNodes: ['node-1'] } };
    expect(messages(lost)).toEqual(['pod default/web-7d9-1 is still bound to node node-2, which is gone, at t=20s (resourceVersion 31)']);
  });

  it('without the runtimes\' containers judges only the nodes, and says what it did not check', () => {
    const h = converged();
    if (!h.final) throw new Error('fixture');
    const { containers: _, ...blind } = h.final;
    const r = convergence.check({ ...h, final: blind });
    expect(r.ok).toBe(true);
    expect(r.notChecked).toMatch(/does not see its nodes' runtimes/);
    // A pod on a gone node is still caught without them.
    expect(messages({ ...h, final: { ...blind, liveNodes: ['node-1'] } })).toEqual(['pod default/web-7d9-1 is still bound to node node-2, which is gone, at t=20s (resourceVersion 31)']);
  });

  it('catches a Deployment without a ReplicaSet of its current template', () => {
    const h = withObjects(converged(), update('web', { templateDigest: 'T3' }));
    expect(messages(h)).toEqual(['deployment default/web has no ReplicaSet carrying its current template at t=20s (it owns 2 replicasets)']);
  });

  it('falls back to the highest revision, then to the image, and says when it cannot tell', () => {
    const noDigest = withObjects(converged(), (objects) => objects.map(({ templateDigest: _, ...o }) => o));
    expect(messages(noDigest)).toEqual([]);
    const neither = withObjects(noDigest, (objects) => objects.map(({ revision: _, ...o }) => o));
    const images = withObjects(neither, (objects) => objects.map((o) => (o.name === 'web' || o.name === 'web-7d9' ? { ...o, image: 'web:2' } : o.name === 'web-6f7' ? { ...o, image: 'web:1' } : o)));
    expect(convergence.check(images).ok).toBe(true);
    expect(convergence.check(images).notChecked).toBeUndefined();
    const r = convergence.check(neither);
    expect(r.ok).toBe(true);
    expect(r.notChecked).toMatch(/cannot tell the current ReplicaSet of deployment default\/web/);
  });

  it('is not checked without a final state', () => {
    const r = convergence.check(emptyHistory());
    expect(r.ok).toBe(true);
    expect(r.notChecked).toMatch(/no final state/);
  });

  it('property: any converged shape passes; losing a container or a pod\'s readiness fails', () => {
    const shape = fc.record({ replicas: fc.integer({ min: 1, max: 6 }), nodes: fc.uniqueArray(fc.constantFrom('node-1', 'node-2', 'node-3'), { minLength: 1 }) });
    checkProperty(
      FILE,
      "property: any converged shape passes; losing a container or a pod's readiness fails",
      fc.property(shape, fc.nat(), fc.boolean(), (s, pick, loseContainer) => {
        const h = converged(s);
        if (!convergence.check(h).ok || !h.final) return false;
        const victim = `web-7d9-${pick % s.replicas}`;
        const broken = loseContainer
          ? { ...h, final: { ...h.final, containers: (h.final.containers ?? []).filter((c) => c.pod?.name !== victim) } }
          : withObjects(h, update(victim, { ready: false }));
        return !convergence.check(broken).ok;
      }),
    );
  });
});
