import fc from 'fast-check';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { assertProperty } from '../../../specs/support/property.js';
import type { ApiClient } from '../../client/api-client.js';
import { DEPLOYMENTS, EVENTS, PODS, REPLICASETS } from '../../client/resources.js';
import type { Env } from '../../env/env.js';
import { controllerRefOf } from '../controller-ref.js';
import type { ControllerMutants } from '../mutants.js';
import { isPodActive, isPodReady } from '../pod-readiness.js';
import { controllersWorld, deploymentManifest, rolloutComplete, waitFor, type ObservedEvent } from '../testing/controllers-world.testing.js';
import { resolveFenceposts, type IntOrString } from './int-or-percent.js';
import { computePodTemplateHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';

const FILE = 'impl/controllers/deployment/deployment-controller.test.ts';

function waitRolledOut(env: Env, client: ApiClient, name: string, timeoutMs = 120_000): Promise<Deployment> {
  return waitFor(env, `rollout of ${name}`, async () => {
    const d = await client.get<Deployment>(DEPLOYMENTS, 'default', name);
    return rolloutComplete(d) ? d : undefined;
  }, timeoutMs);
}

async function replicaSetsOf(client: ApiClient, d: Deployment): Promise<ReplicaSet[]> {
  const all = (await client.list<ReplicaSet>(REPLICASETS, 'default')).items;
  return all.filter((rs) => controllerRefOf(rs)?.uid === d.metadata?.uid);
}

async function setImage(client: ApiClient, name: string, image: string): Promise<void> {
  await client.patch(DEPLOYMENTS, 'default', name, 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });
}

const imageOf = (p: Pod) => p.spec?.containers?.[0]?.image;

describe('Deployment controller', () => {
  it('runs a Deployment through a ReplicaSet named by its template hash, to a finished rollout', async () => {
    const world = controllersWorld({ seed: 21 });
    world.startControllerManager({ controllers: ['deployment', 'replicaset'] });
    world.startFakeKubelet({ nodes: ['node-a', 'node-b'], startDelayMs: 1_000 });
    await world.drive(async (env, client) => {
      const created = await client.create<Deployment>(DEPLOYMENTS, 'default', deploymentManifest('web', { replicas: 3 }));
      const d = await waitRolledOut(env, client, 'web');
      const [rs, ...more] = await replicaSetsOf(client, d);
      expect(more).toEqual([]);
      const hash = computePodTemplateHash(created.spec?.template);
      expect(rs?.metadata?.name).toBe(`web-${hash}`);
      expect(rs?.metadata?.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
      expect(rs?.spec?.selector).toEqual({ matchLabels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash } });
      expect(rs?.spec?.template?.metadata?.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
      expect(rs?.metadata?.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
      expect(rs?.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
      expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
      expect(d.status).toMatchObject({ observedGeneration: d.metadata?.generation, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 });
      const conditions = Object.fromEntries((d.status?.conditions ?? []).map((c) => [c.type, c]));
      expect(conditions.Available).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
      expect(conditions.Progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
      const pods = (await client.list<Pod>(PODS, 'default')).items;
      expect(pods).toHaveLength(3);
      for (const p of pods) expect(p.metadata?.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      const events = (await client.list<Event>(EVENTS, 'default')).items;
      expect(events.map((e) => e.message)).toContain(`Scaled up replica set web-${hash} from 0 to 3`);
    });
  });

  it('the pod-template-hash is stable and depends on the template and collisionCount only', () => {
    const t = deploymentManifest('web').spec?.template;
    expect(computePodTemplateHash(t)).toBe(computePodTemplateHash(structuredClone(t)));
    expect(computePodTemplateHash(t)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computePodTemplateHash(t, 1)).not.toBe(computePodTemplateHash(t));
    expect(computePodTemplateHash(deploymentManifest('web', { image: 'busybox:2' }).spec?.template)).not.toBe(computePodTemplateHash(t));
  });

  /** A Recreate rollout from busybox:1 to busybox:2: when the last old pod went, when the first new one came (resourceVersions). */
  async function recreate(mutants?: ControllerMutants): Promise<{ lastOldGone: number; firstNew: number; deleted: number }> {
    const world = controllersWorld({ seed: 22 });
    world.startControllerManager({ controllers: ['deployment', 'replicaset'], ...(mutants ? { mutants } : {}) });
    world.startFakeKubelet({ nodes: ['node-a'], startDelayMs: 500, stopDelayMs: 3_000 });
    const pods = world.observe<Pod>(PODS);
    await world.drive(async (env, client) => {
      await client.create(DEPLOYMENTS, 'default', deploymentManifest('web', { replicas: 3, strategy: { type: 'Recreate' } }));
      await waitRolledOut(env, client, 'web');
      await setImage(client, 'web', 'busybox:2');
      const d = await waitRolledOut(env, client, 'web');
      expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
      await waitFor(env, 'old pods gone', async () => ((await client.list<Pod>(PODS, 'default')).items.some((p) => imageOf(p) === 'busybox:1') ? undefined : true));
    });
    return {
      lastOldGone: Math.max(...pods.filter((e) => e.type === 'DELETED' && imageOf(e.object) === 'busybox:1').map((e) => Number(e.object.metadata?.resourceVersion))),
      firstNew: Math.min(...pods.filter((e) => e.type === 'ADDED' && imageOf(e.object) === 'busybox:2').map((e) => Number(e.object.metadata?.resourceVersion))),
      deleted: pods.filter((e) => e.type === 'DELETED').length,
    };
  }

  it('Recreate: every old pod is gone before the first new one is created', async () => {
    const r = await recreate();
    expect(r.deleted).toBe(3);
    expect(r.firstNew).toBeGreaterThan(r.lastOldGone);
    const mutant = await recreate({ 'recreate-without-waiting': true });
    expect(mutant.firstNew).toBeLessThan(mutant.lastOldGone);
  });

  it('deletes old ReplicaSets beyond revisionHistoryLimit, oldest revision first', async () => {
    const world = controllersWorld({ seed: 23 });
    world.startControllerManager({ controllers: ['deployment', 'replicaset'] });
    world.startFakeKubelet();
    await world.drive(async (env, client) => {
      await client.create(DEPLOYMENTS, 'default', deploymentManifest('web', { replicas: 2, revisionHistoryLimit: 1 }));
      await waitRolledOut(env, client, 'web');
      for (const image of ['busybox:2', 'busybox:3', 'busybox:4']) {
        await setImage(client, 'web', image);
        await waitRolledOut(env, client, 'web');
      }
      const d = await client.get<Deployment>(DEPLOYMENTS, 'default', 'web');
      const rss = await waitFor(env, 'history cleanup', async () => {
        const r = await replicaSetsOf(client, d);
        return r.length === 2 ? r : undefined;
      });
      const revisions = rss.map((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision']).sort();
      expect(revisions).toEqual(['3', '4']);
      expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('4');
      // Rolling back to an old template reuses its ReplicaSet under a new revision.
      await setImage(client, 'web', 'busybox:3');
      await waitRolledOut(env, client, 'web');
      const after = await replicaSetsOf(client, d);
      const back = after.find((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === 'busybox:3');
      expect(back?.metadata?.uid).toBe(rss.find((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === 'busybox:3')?.metadata?.uid);
      expect(back?.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('5');
    });
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
    const world = controllersWorld({ seed: 24 });
    world.startControllerManager({ controllers: ['deployment', 'replicaset'] });
    world.startFakeKubelet({ neverReady: (p) => imageOf(p) === 'broken' });
    await world.drive(async (env, client) => {
      await client.create(DEPLOYMENTS, 'default', deploymentManifest('web', { replicas: 2, progressDeadlineSeconds: 10 }));
      await waitRolledOut(env, client, 'web');
      await setImage(client, 'web', 'broken');
      const start = env.clock.now();
      const d = await waitFor(env, 'deadline', async () => {
        const x = await client.get<Deployment>(DEPLOYMENTS, 'default', 'web');
        return x.status?.conditions?.some((c) => c.reason === 'ProgressDeadlineExceeded') ? x : undefined;
      });
      expect(env.clock.now() - start).toBeGreaterThanOrEqual(10_000);
      expect(env.clock.now() - start).toBeLessThan(15_000);
      expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
      expect(rolloutComplete(d)).toBe(false);
      // maxUnavailable 25% of 2 rounds down to 0: the old pods all stay.
      const ready = (await client.list<Pod>(PODS, 'default')).items.filter((p) => isPodActive(p) && isPodReady(p));
      expect(ready.map(imageOf)).toEqual(['busybox:1', 'busybox:1']);
    });
  });

  it('a paused Deployment scales but does not roll out until resumed', async () => {
    const world = controllersWorld({ seed: 26 });
    world.startControllerManager({ controllers: ['deployment', 'replicaset'] });
    world.startFakeKubelet();
    await world.drive(async (env, client) => {
      const created = await client.create<Deployment>(DEPLOYMENTS, 'default', deploymentManifest('web', { replicas: 2 }));
      await waitRolledOut(env, client, 'web');
      await client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { paused: true } });
      await waitFor(env, 'paused condition', async () => ((await client.get<Deployment>(DEPLOYMENTS, 'default', 'web')).status?.conditions?.some((c) => c.reason === 'DeploymentPaused') ? true : undefined));
      await setImage(client, 'web', 'busybox:2');
      await client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: 3 } });
      const scaled = await waitFor(env, 'scaled while paused', async () => {
        const rss = await replicaSetsOf(client, created);
        return rss.length === 1 && rss[0]?.spec?.replicas === 3 ? rss : undefined;
      });
      expect(scaled[0]?.spec?.template?.spec?.containers?.[0]?.image).toBe('busybox:1');
      await env.timers.sleep(5_000);
      expect(await replicaSetsOf(client, created)).toHaveLength(1);
      await client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { paused: false } });
      await waitRolledOut(env, client, 'web');
      const live = (await client.list<Pod>(PODS, 'default')).items.filter(isPodActive);
      expect(live.map(imageOf)).toEqual(['busybox:2', 'busybox:2', 'busybox:2']);
    });
  });

  it('shares a scale-up during a rollout among the ReplicaSets and converges', async () => {
    const world = controllersWorld({ seed: 25 });
    world.startControllerManager({ controllers: ['deployment', 'replicaset'] });
    world.startFakeKubelet({ neverReady: (p) => imageOf(p) === 'slow' });
    await world.drive(async (env, client) => {
      await client.create(DEPLOYMENTS, 'default', deploymentManifest('web', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
      await waitRolledOut(env, client, 'web');
      await setImage(client, 'web', 'slow');
      // Stuck mid-rollout: 8 old (10 - 2 unavailable) and 5 new (13 - 8) that never get ready.
      const d = await client.get<Deployment>(DEPLOYMENTS, 'default', 'web');
      const sizes = await waitFor(env, 'rollout stuck', async () => {
        const s = (await replicaSetsOf(client, d)).map((rs) => rs.spec?.replicas ?? 0).sort((a, b) => a - b);
        return JSON.stringify(s) === '[5,8]' ? s : undefined;
      });
      expect(sizes).toEqual([5, 8]);
      await client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: 20 } });
      // 23 allowed now (20 + 3 surge; 13 + 10 to add): proportionally 8→14 (8*23/13 = 14.2) and 5→9 (8.8).
      const after = await waitFor(env, 'proportional scale', async () => {
        const s = (await replicaSetsOf(client, d)).map((rs) => rs.spec?.replicas ?? 0).sort((a, b) => a - b);
        return s.reduce((a, b) => a + b, 0) === 23 ? s : undefined;
      });
      expect(after).toEqual([9, 14]);
      await setImage(client, 'web', 'busybox:1');
      const done = await waitRolledOut(env, client, 'web');
      expect(done.status?.availableReplicas).toBe(20);
    });
  });
});

// ---- the rolling-update property ----

interface RolloutScenario {
  readonly seed: number;
  readonly maxDelayMs: number;
  readonly replicas: number;
  readonly maxSurge: IntOrString;
  readonly maxUnavailable: IntOrString;
  readonly startDelayMs: number;
  readonly stopDelayMs: number;
  /** Break the controller-manager's watches this long after the image change (its caches then lag). */
  readonly dropWatchesAfterMs?: number;
}

const intOrPercent = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`));

const rolloutArb: fc.Arbitrary<RolloutScenario> = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    maxDelayMs: fc.integer({ min: 1, max: 100 }),
    replicas: fc.integer({ min: 1, max: 8 }),
    maxSurge: intOrPercent,
    maxUnavailable: intOrPercent,
    startDelayMs: fc.integer({ min: 0, max: 2_000 }),
    stopDelayMs: fc.integer({ min: 0, max: 2_000 }),
    dropWatchesAfterMs: fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: undefined }),
  }, { requiredKeys: ['seed', 'maxDelayMs', 'replicas', 'maxSurge', 'maxUnavailable', 'startDelayMs', 'stopDelayMs'] })
  // The API server refuses both zero.
  .filter((s) => !(String(s.maxSurge).replace('%', '') === '0' && String(s.maxUnavailable).replace('%', '') === '0'));

/**
 * Replays the pod events in order and checks every instant after the first rollout finished:
 * pods that are not terminating never exceed replicas + maxSurge, and Ready ones never fall
 * below replicas - maxUnavailable.
 */
function rolloutViolations(s: RolloutScenario, events: readonly ObservedEvent<Pod>[], fromRv: number): string[] {
  const { maxSurge, maxUnavailable } = resolveFenceposts(s.maxSurge, s.maxUnavailable, s.replicas);
  const upper = s.replicas + maxSurge;
  const lower = s.replicas - Math.min(maxUnavailable, s.replicas);
  const pods = new Map<string, Pod>();
  const out: string[] = [];
  for (const e of events) {
    const key = e.object.metadata?.name ?? '';
    if (e.type === 'DELETED') pods.delete(key);
    else pods.set(key, e.object);
    const rv = Number(e.object.metadata?.resourceVersion ?? 0);
    if (rv <= fromRv) continue;
    const live = [...pods.values()].filter(isPodActive);
    const ready = live.filter(isPodReady);
    if (live.length > upper) out.push(`at resourceVersion ${rv} (${e.type} ${key}) ${live.length} pods were not terminating; replicas ${s.replicas} + maxSurge ${maxSurge} allows ${upper}`);
    if (ready.length < lower) out.push(`at resourceVersion ${rv} (${e.type} ${key}) ${ready.length} pods were Ready; replicas ${s.replicas} - maxUnavailable ${maxUnavailable} needs ${lower}`);
  }
  return out;
}

async function runRollout(s: RolloutScenario, mutants?: ControllerMutants): Promise<{ violations: string[] }> {
  const world = controllersWorld({ seed: s.seed, network: { minDelayMs: 1, maxDelayMs: s.maxDelayMs } });
  world.startControllerManager({ controllers: ['deployment', 'replicaset'], ...(mutants ? { mutants } : {}) });
  world.startFakeKubelet({ nodes: ['node-a', 'node-b', 'node-c'], startDelayMs: s.startDelayMs, stopDelayMs: s.stopDelayMs });
  const pods = world.observe<Pod>(PODS);
  let fromRv = 0;
  await world.drive(async (env, client) => {
    await env.timers.sleep(100);
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: s.maxSurge, maxUnavailable: s.maxUnavailable } };
    await client.create(DEPLOYMENTS, 'default', deploymentManifest('web', { replicas: s.replicas, strategy }));
    await waitRolledOut(env, client, 'web');
    // Judge from the moment every pod of the first rollout is Ready.
    const first = await waitFor(env, 'all ready', async () => {
      const list = await client.list<Pod>(PODS, 'default');
      const live = list.items.filter(isPodActive);
      return live.length === s.replicas && live.every(isPodReady) ? list : undefined;
    });
    fromRv = Number(first.resourceVersion);
    await setImage(client, 'web', 'busybox:2');
    if (s.dropWatchesAfterMs !== undefined) {
      await env.timers.sleep(s.dropWatchesAfterMs);
      // A partition healed at once breaks the streams and loses no request.
      world.kernel.partition(['controller-manager'], ['apiserver']);
      world.kernel.heal();
    }
    const d = await waitRolledOut(env, client, 'web');
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    const live = (await client.list<Pod>(PODS, 'default')).items.filter(isPodActive);
    expect(live.map(imageOf)).toEqual(live.map(() => 'busybox:2'));
    const rss = await replicaSetsOf(client, d);
    expect(rss.map((rs) => [rs.spec?.template?.spec?.containers?.[0]?.image, rs.spec?.replicas]).sort()).toEqual([
      ['busybox:1', 0],
      ['busybox:2', s.replicas],
    ]);
  });
  return { violations: rolloutViolations(s, pods, fromRv) };
}

describe('Deployment rolling update', () => {
  it('stays within maxSurge and maxUnavailable at every observed instant, and completes', async () => {
    await assertProperty(
      fc.asyncProperty(rolloutArb, async (s) => {
        const { violations } = await runRollout(s);
        if (violations.length > 0) throw new Error(`rollout bounds broken:\n${violations.join('\n')}`);
      }),
      { file: FILE, numRuns: 30 },
    );
  });

  it('the same check catches the ignore-max-surge and ignore-max-unavailable mutants', async () => {
    const s: RolloutScenario = { seed: 3, maxDelayMs: 20, replicas: 4, maxSurge: 1, maxUnavailable: 1, startDelayMs: 1_000, stopDelayMs: 1_000 };
    expect((await runRollout(s)).violations).toEqual([]);
    const surge = await runRollout(s, { 'ignore-max-surge': true });
    expect(surge.violations.some((v) => v.includes('maxSurge'))).toBe(true);
    const unavailable = await runRollout(s, { 'ignore-max-unavailable': true });
    expect(unavailable.violations.some((v) => v.includes('maxUnavailable'))).toBe(true);
  });
});
