import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { isNotFound, type ApiClient } from '../../client/api-client.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../../client/resources.js';
import type { Env } from '../../env/env.js';
import type { ControllerMutants } from '../mutants.js';
import { controllersWorld, deploymentManifest, replicaSetManifest, rolloutComplete, waitFor, type ObservedEvent } from '../testing/controllers-world.testing.js';

async function podsOf(client: ApiClient, app: string): Promise<Pod[]> {
  return (await client.list<Pod>(PODS, 'default', { labelSelector: `app=${app}` })).items;
}

function gone(env: Env, what: string, read: () => Promise<unknown>): Promise<true> {
  return waitFor(env, `${what} gone`, () => read().then(() => undefined, (e: unknown) => (isNotFound(e) ? (true as const) : Promise.reject(e))));
}

async function replicaSetWithPods(env: Env, client: ApiClient, replicas: number): Promise<ReplicaSet> {
  const rs = await client.create<ReplicaSet>(REPLICASETS, 'default', replicaSetManifest('web', replicas));
  await waitFor(env, 'pods', async () => ((await podsOf(client, 'web')).length === replicas ? true : undefined));
  return rs;
}

/** A ReplicaSet of 3 pods deleted with `policy`, pods taking 3 s to terminate; the RS and pod events observed. */
async function deleteReplicaSet(policy: 'Background' | 'Foreground' | 'Orphan', mutants?: ControllerMutants): Promise<{ events: ObservedEvent<Pod | ReplicaSet>[]; remaining: Pod[] }> {
  const world = controllersWorld({ seed: 41 });
  world.startControllerManager({ controllers: ['replicaset', 'garbagecollector'], ...(mutants ? { mutants } : {}) });
  world.startFakeKubelet({ nodes: ['node-a'], stopDelayMs: 3_000 });
  const pods = world.observe<Pod>(PODS);
  const rss = world.observe<ReplicaSet>(REPLICASETS);
  const remaining = await world.drive(async (env, client) => {
    await env.timers.sleep(100);
    await replicaSetWithPods(env, client, 3);
    await client.delete(REPLICASETS, 'default', 'web', { propagationPolicy: policy });
    await gone(env, 'ReplicaSet', () => client.get(REPLICASETS, 'default', 'web'));
    if (policy !== 'Orphan' || mutants) await waitFor(env, 'pods gone', async () => ((await podsOf(client, 'web')).length === 0 ? true : undefined));
    await env.timers.sleep(5_000);
    return podsOf(client, 'web');
  });
  return { events: [...pods, ...rss].sort((a, b) => Number(a.object.metadata?.resourceVersion) - Number(b.object.metadata?.resourceVersion)), remaining };
}

const rvOf = (e: ObservedEvent<Pod | ReplicaSet>) => Number(e.object.metadata?.resourceVersion);
const deletions = (events: readonly ObservedEvent<Pod | ReplicaSet>[], kind: string) => events.filter((e) => e.type === 'DELETED' && e.object.kind === kind).map(rvOf);

describe('garbage collector', () => {
  it('Background: the owner goes at once, its dependents after', async () => {
    const { events, remaining } = await deleteReplicaSet('Background');
    expect(remaining).toEqual([]);
    const [rsGone] = deletions(events, 'ReplicaSet');
    const podsGone = deletions(events, 'Pod');
    expect(podsGone).toHaveLength(3);
    expect(Math.min(...podsGone)).toBeGreaterThan(rsGone ?? Infinity);
  });

  it('Foreground: the owner waits, with its finalizer, until its blocking dependents are gone', async () => {
    const { events, remaining } = await deleteReplicaSet('Foreground');
    expect(remaining).toEqual([]);
    const [rsGone] = deletions(events, 'ReplicaSet');
    const podsGone = deletions(events, 'Pod');
    expect(podsGone).toHaveLength(3);
    expect(rsGone).toBeGreaterThan(Math.max(...podsGone));
    const marked = events.find((e) => e.object.kind === 'ReplicaSet' && e.object.metadata?.deletionTimestamp);
    expect(marked?.object.metadata?.finalizers).toEqual(['foregroundDeletion']);
  });

  it('Orphan: the dependents lose their reference to the owner and stay', async () => {
    const { events, remaining } = await deleteReplicaSet('Orphan');
    expect(deletions(events, 'Pod')).toEqual([]);
    expect(remaining).toHaveLength(3);
    for (const p of remaining) {
      expect(p.metadata?.ownerReferences).toBeUndefined();
      expect(p.metadata?.deletionTimestamp).toBeUndefined();
    }
  });

  it('catches its mutants: skipping the foreground wait, ignoring Orphan', async () => {
    const skip = await deleteReplicaSet('Foreground', { 'gc-skip-foreground-wait': true });
    expect(deletions(skip.events, 'ReplicaSet')[0]).toBeLessThan(Math.max(...deletions(skip.events, 'Pod')));
    const ignore = await deleteReplicaSet('Orphan', { 'gc-ignore-orphan': true });
    expect(ignore.remaining).toEqual([]);
  });

  it('deleting a Deployment removes its ReplicaSets and their pods', async () => {
    const world = controllersWorld({ seed: 42 });
    world.startControllerManager({ controllers: ['deployment', 'replicaset', 'garbagecollector'] });
    world.startFakeKubelet({ nodes: ['node-a'], stopDelayMs: 1_000 });
    await world.drive(async (env, client) => {
      await client.create(DEPLOYMENTS, 'default', deploymentManifest('web', { replicas: 3 }));
      await waitFor(env, 'rollout', async () => (rolloutComplete(await client.get<Deployment>(DEPLOYMENTS, 'default', 'web')) ? true : undefined));
      await client.delete(DEPLOYMENTS, 'default', 'web', { propagationPolicy: 'Background' });
      await waitFor(env, 'everything gone', async () => {
        const rss = (await client.list(REPLICASETS, 'default')).items;
        return rss.length === 0 && (await podsOf(client, 'web')).length === 0 ? true : undefined;
      });
    });
  });

  it('keeps a dependent that still has a live owner, dropping only the reference to the gone one', async () => {
    const world = controllersWorld({ seed: 43 });
    world.startControllerManager({ controllers: ['garbagecollector'] });
    await world.drive(async (env, client) => {
      const a = await client.create<ReplicaSet>(REPLICASETS, 'default', { ...replicaSetManifest('a', 0), metadata: { name: 'a' } });
      const b = await client.create<ReplicaSet>(REPLICASETS, 'default', { ...replicaSetManifest('b', 0), metadata: { name: 'b' } });
      const ref = (rs: ReplicaSet) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata?.name ?? '', uid: rs.metadata?.uid ?? '' });
      await client.create<Pod>(PODS, 'default', { metadata: { name: 'shared', ownerReferences: [ref(a), ref(b)] }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
      // A reference to an owner that never existed (a made-up uid) is dangling from the start.
      await client.create<Pod>(PODS, 'default', { metadata: { name: 'dangling', ownerReferences: [{ ...ref(a), uid: 'no-such-uid' }] }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
      await gone(env, 'dangling pod', () => client.get(PODS, 'default', 'dangling'));
      await client.delete(REPLICASETS, 'default', 'a');
      const shared = await waitFor(env, 'reference dropped', async () => {
        const p = await client.get<Pod>(PODS, 'default', 'shared');
        return p.metadata?.ownerReferences?.length === 1 ? p : undefined;
      });
      expect(shared.metadata?.ownerReferences?.[0]?.uid).toBe(b.metadata?.uid);
      await client.delete(REPLICASETS, 'default', 'b');
      await gone(env, 'shared pod', () => client.get(PODS, 'default', 'shared'));
    });
  });
});
