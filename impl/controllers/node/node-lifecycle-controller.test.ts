import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Event, Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { metaTime, microTime } from '../../api/meta-time.js';
import { isNotFound, type ApiClient } from '../../client/api-client.js';
import { EVENTS, LEASES, NODES, PODS } from '../../client/resources.js';
import type { Env } from '../../env/env.js';
import { controllersWorld, waitFor } from '../testing/controllers-world.testing.js';
import { IDENTITIES } from '../../../specs/support/sim-world.js';
import { desiredTaints, TAINT_NOT_READY, TAINT_UNREACHABLE } from './node-taints.js';
import { evictionTime } from './taint-eviction-controller.js';

const GRACE_MS = 4_000;
const TOLERATION_SECONDS = 6;

/** A kubelet's heartbeats, and nothing else: it renews its Lease each second while `state` says so and reports Ready when told. */
interface Heartbeats {
  beating: boolean;
  ready: 'True' | 'False';
}

function startHeartbeats(world: ReturnType<typeof controllersWorld>, node: string, hb: Heartbeats): void {
  world.spawn(`kubelet-${node}`, IDENTITIES.admin, async (env, client) => {
    await client.create<Node>(NODES, undefined, { metadata: { name: node }, status: { conditions: [readyCondition('True', env.clock.now())] } });
    await client.create<Lease>(LEASES, 'kube-node-lease', { metadata: { name: node, namespace: 'kube-node-lease' }, spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: microTime(env.clock.now()) } });
    let reported = 'True';
    for (;;) {
      await env.timers.sleep(1_000);
      if (!hb.beating) continue;
      const lease = await client.get<Lease>(LEASES, 'kube-node-lease', node);
      await client.update(LEASES, { ...lease, spec: { ...lease.spec, renewTime: microTime(env.clock.now()) } });
      const current = await client.get<Node>(NODES, undefined, node);
      const ready = current.status?.conditions?.find((c) => c.type === 'Ready');
      // A kubelet posts its status when something changed (or every few minutes).
      if (ready?.status !== hb.ready || reported !== hb.ready) {
        reported = hb.ready;
        await client.update(NODES, { ...current, status: { ...current.status, conditions: [readyCondition(hb.ready, env.clock.now())] } }, 'status');
      }
    }
  });
}

function readyCondition(status: 'True' | 'False', now: number) {
  return { type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'KubeletNotReady', message: '', lastHeartbeatTime: metaTime(now), lastTransitionTime: metaTime(now) };
}

async function runningPod(env: Env, client: ApiClient, name: string, node: string, tolerations: Toleration[] = []): Promise<Pod> {
  await client.create<Pod>(PODS, 'default', { metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], tolerations } });
  await client.bind('default', name, node);
  const bound = await client.get<Pod>(PODS, 'default', name);
  const now = metaTime(env.clock.now());
  return client.update<Pod>(PODS, { ...bound, status: { ...bound.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, 'status');
}

const taintKeys = (n: Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

describe('node lifecycle and taint eviction', () => {
  it('marks a silent node Unknown, taints it, evicts its pods after their toleration, and untaints it when it is back', async () => {
    const world = controllersWorld({ seed: 31, defaultTolerationSeconds: TOLERATION_SECONDS });
    world.startControllerManager({ controllers: ['nodelifecycle', 'taint-eviction-controller'], nodeMonitorGracePeriodMs: GRACE_MS, nodeMonitorPeriodMs: 1_000 });
    const hb: Heartbeats = { beating: true, ready: 'True' };
    startHeartbeats(world, 'node-a', hb);
    await world.drive(async (env, client) => {
      await waitFor(env, 'node-a', async () => client.get<Node>(NODES, undefined, 'node-a').catch(() => undefined));
      await runningPod(env, client, 'tolerant', 'node-a');
      await runningPod(env, client, 'forever', 'node-a', [{ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }]);
      await env.timers.sleep(10_000);
      expect(taintKeys(await client.get<Node>(NODES, undefined, 'node-a'))).toEqual([]);

      hb.beating = false;
      const silentAt = env.clock.now();
      const unknown = await waitFor(env, 'Ready Unknown', async () => {
        const n = await client.get<Node>(NODES, undefined, 'node-a');
        return n.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'Unknown') ? n : undefined;
      });
      // Silent since the last renewal (at most 1 s before), marked within grace + one monitor period.
      expect(env.clock.now() - silentAt).toBeGreaterThan(GRACE_MS - 1_000);
      expect(env.clock.now() - silentAt).toBeLessThanOrEqual(GRACE_MS + 1_200);
      expect(unknown.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
      const tainted = await waitFor(env, 'unreachable taints', async () => {
        const n = await client.get<Node>(NODES, undefined, 'node-a');
        return taintKeys(n).length === 2 ? n : undefined;
      });
      expect(taintKeys(tainted)).toEqual([`${TAINT_UNREACHABLE}:NoExecute`, `${TAINT_UNREACHABLE}:NoSchedule`]);
      const taintedAt = Date.parse(tainted.spec?.taints?.find((t) => t.effect === 'NoExecute')?.timeAdded ?? '');
      // Its pods stop counting as Ready at once.
      await waitFor(env, 'pods not ready', async () => {
        const pods = (await client.list<Pod>(PODS, 'default')).items;
        return pods.every((p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False') ? true : undefined;
      });
      const evicted = await waitFor(env, 'eviction', async () => {
        const p = await client.get<Pod>(PODS, 'default', 'tolerant');
        return p.metadata?.deletionTimestamp ? p : undefined;
      });
      expect(env.clock.now() - taintedAt).toBeGreaterThanOrEqual(TOLERATION_SECONDS * 1000);
      expect(env.clock.now() - taintedAt).toBeLessThanOrEqual(TOLERATION_SECONDS * 1000 + 2_200);
      expect(evicted.metadata?.deletionTimestamp).toBeDefined();
      expect((await client.get<Pod>(PODS, 'default', 'forever')).metadata?.deletionTimestamp).toBeUndefined();

      hb.beating = true;
      await waitFor(env, 'untainted', async () => (taintKeys(await client.get<Node>(NODES, undefined, 'node-a')).length === 0 ? true : undefined));
      await env.timers.sleep(20_000);
      expect((await client.get<Pod>(PODS, 'default', 'forever')).metadata?.deletionTimestamp).toBeUndefined();
      const events = (await client.list<Event>(EVENTS, 'default')).items.map((e) => e.reason);
      expect(events).toEqual(expect.arrayContaining(['NodeNotReady', 'TaintManagerEviction']));
    });
  });

  it('taints a node its kubelet reports not Ready, and evicts pods that do not tolerate a NoExecute taint at once', async () => {
    const world = controllersWorld({ seed: 32, defaultTolerationSeconds: TOLERATION_SECONDS });
    world.startControllerManager({ controllers: ['nodelifecycle', 'taint-eviction-controller'], nodeMonitorGracePeriodMs: GRACE_MS, nodeMonitorPeriodMs: 1_000 });
    const hb: Heartbeats = { beating: true, ready: 'True' };
    startHeartbeats(world, 'node-a', hb);
    await world.drive(async (env, client) => {
      await waitFor(env, 'node-a', async () => client.get<Node>(NODES, undefined, 'node-a').catch(() => undefined));
      hb.ready = 'False';
      const n = await waitFor(env, 'not-ready taints', async () => {
        const x = await client.get<Node>(NODES, undefined, 'node-a');
        return taintKeys(x).length === 2 ? x : undefined;
      });
      expect(taintKeys(n)).toEqual([`${TAINT_NOT_READY}:NoExecute`, `${TAINT_NOT_READY}:NoSchedule`]);
      hb.ready = 'True';
      await waitFor(env, 'untainted', async () => (taintKeys(await client.get<Node>(NODES, undefined, 'node-a')).length === 0 ? true : undefined));

      // A taint set by hand: who does not tolerate it goes at once, who does stays.
      await runningPod(env, client, 'plain', 'node-a');
      await runningPod(env, client, 'dedicated', 'node-a', [{ key: 'dedicated', operator: 'Equal', value: 'x', effect: 'NoExecute' }]);
      const node = await client.get<Node>(NODES, undefined, 'node-a');
      await client.update(NODES, { ...node, spec: { ...node.spec, taints: [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }] } });
      const taintedAt = env.clock.now();
      await waitFor(env, 'plain evicted', async () => ((await client.get<Pod>(PODS, 'default', 'plain')).metadata?.deletionTimestamp ? true : undefined));
      expect(env.clock.now() - taintedAt).toBeLessThan(1_000);
      await env.timers.sleep(10_000);
      expect((await client.get<Pod>(PODS, 'default', 'dedicated')).metadata?.deletionTimestamp).toBeUndefined();
    });
  });

  it('gives every node its own podCIDR, lowest free first, and frees it with the node', async () => {
    const world = controllersWorld({ seed: 33 });
    world.startControllerManager({ controllers: ['nodeipam'] });
    await world.drive(async (env, client) => {
      const cidrOf = (name: string) =>
        waitFor(env, `podCIDR of ${name}`, async () => {
          const n = await client.get<Node>(NODES, undefined, name);
          return n.spec?.podCIDR;
        });
      for (const name of ['n1', 'n2', 'n3']) await client.create(NODES, undefined, { metadata: { name } });
      const cidrs = await Promise.all(['n1', 'n2', 'n3'].map(cidrOf));
      expect([...cidrs].sort()).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
      expect((await client.get<Node>(NODES, undefined, 'n1')).spec?.podCIDRs).toEqual([cidrs[0]]);
      await client.delete(NODES, undefined, 'n2');
      await env.timers.sleep(500);
      await client.create(NODES, undefined, { metadata: { name: 'n4' } });
      expect(await cidrOf('n4')).toBe(cidrs[1]);
      await client.create(NODES, undefined, { metadata: { name: 'n5' } });
      expect(await cidrOf('n5')).toBe('10.244.3.0/24');
    });
  });

  it('deletes the pods of a node that is gone, after the quarantine', async () => {
    const world = controllersWorld({ seed: 34 });
    world.startControllerManager({ controllers: ['podgc'], podGCQuarantineMs: 2_000 });
    await world.drive(async (env, client) => {
      await client.create(NODES, undefined, { metadata: { name: 'n1' } });
      await runningPod(env, client, 'p', 'n1');
      await env.timers.sleep(3_000);
      await client.get(PODS, 'default', 'p');
      await client.delete(NODES, undefined, 'n1');
      const deletedAt = env.clock.now();
      await waitFor(env, 'pod gone', async () => client.get(PODS, 'default', 'p').then(() => undefined, (e: unknown) => (isNotFound(e) ? true : undefined)));
      expect(env.clock.now() - deletedAt).toBeGreaterThanOrEqual(2_000);
      expect(env.clock.now() - deletedAt).toBeLessThan(4_000);
    });
  });
});

describe('node controller mutants', () => {
  it('never-mark-unknown leaves a silent node Ready; ignore-toleration-seconds evicts at once; duplicate-pod-cidr repeats a CIDR', async () => {
    const world = controllersWorld({ seed: 35, defaultTolerationSeconds: TOLERATION_SECONDS });
    world.startControllerManager({
      controllers: ['nodelifecycle', 'taint-eviction-controller', 'nodeipam'],
      nodeMonitorGracePeriodMs: GRACE_MS,
      nodeMonitorPeriodMs: 1_000,
      mutants: { 'never-mark-unknown': true, 'ignore-toleration-seconds': true, 'duplicate-pod-cidr': true },
    });
    const hb: Heartbeats = { beating: false, ready: 'True' };
    startHeartbeats(world, 'node-a', hb);
    await world.drive(async (env, client) => {
      await waitFor(env, 'node-a', async () => client.get<Node>(NODES, undefined, 'node-a').catch(() => undefined));
      await client.create(NODES, undefined, { metadata: { name: 'node-b' } });
      await runningPod(env, client, 'forever', 'node-a', [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }]);
      await env.timers.sleep(GRACE_MS * 3);
      const a = await client.get<Node>(NODES, undefined, 'node-a');
      expect(a.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect((await client.get<Node>(NODES, undefined, 'node-b')).spec?.podCIDR).toBe(a.spec?.podCIDR);
      await client.update(NODES, { ...a, spec: { ...a.spec, taints: [{ key: 'dedicated', effect: 'NoExecute' }] } });
      await waitFor(env, 'evicted at once', async () => ((await client.get<Pod>(PODS, 'default', 'forever')).metadata?.deletionTimestamp ? true : undefined), 1_000);
    });
  });
});

describe('taint arithmetic', () => {
  const now = Date.parse('2024-01-01T00:00:10Z');
  const unreachable: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: '2024-01-01T00:00:00Z' };

  it('evicts at once without a matching toleration, after tolerationSeconds with one, never with an unlimited one', () => {
    const since = (t: Taint) => Date.parse(t.timeAdded ?? '');
    expect(evictionTime([unreachable], [], since, now)).toBe(now);
    expect(evictionTime([unreachable], [{ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], since, now)).toBe(since(unreachable) + 301_000);
    expect(evictionTime([unreachable], [{ operator: 'Exists' }], since, now)).toBe(Infinity);
    expect(evictionTime([unreachable], [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 0 }], since, now)).toBe(now);
    // The shortest matching toleration wins; a second taint without a toleration wins over all.
    expect(evictionTime([unreachable], [{ operator: 'Exists', tolerationSeconds: 50 }, { key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 20 }], since, now)).toBe(since(unreachable) + 21_000);
    expect(evictionTime([unreachable, { key: 'x', effect: 'NoExecute' }], [{ key: TAINT_UNREACHABLE, operator: 'Exists' }], since, now)).toBe(now);
  });

  it('keeps unmanaged taints and the timeAdded of taints that stay', () => {
    const node: Node = {
      metadata: { name: 'n' },
      spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }, unreachable, { key: TAINT_NOT_READY, effect: 'NoExecute', timeAdded: '2024-01-01T00:00:00Z' }] },
      status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
    };
    expect(desiredTaints(node, now)).toEqual([{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }, unreachable, { key: TAINT_UNREACHABLE, effect: 'NoSchedule' }]);
    expect(desiredTaints({ ...node, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, now)).toEqual([{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
  });
});
