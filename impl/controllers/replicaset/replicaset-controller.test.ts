import fc from 'fast-check';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Event, Namespace, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { assertProperty } from '../../../specs/support/property.js';
import type { ApiClient } from '../../client/api-client.js';
import { EVENTS, NAMESPACES, PODS, REPLICASETS } from '../../client/resources.js';
import type { Env } from '../../env/env.js';
import { controllerRefOf } from '../controller-ref.js';
import type { ControllerMutants } from '../mutants.js';
import { isPodActive } from '../pod-readiness.js';
import { byResourceVersion, controllersWorld, replicaSetManifest, waitFor, type ObservedEvent } from '../testing/controllers-world.testing.js';

const FILE = 'impl/controllers/replicaset/replicaset-controller.test.ts';

async function activePods(client: ApiClient, rs: string): Promise<Pod[]> {
  const pods = (await client.list<Pod>(PODS, 'default')).items;
  return pods.filter((p) => isPodActive(p) && controllerRefOf(p)?.name === rs);
}

async function scale(client: ApiClient, name: string, replicas: number): Promise<void> {
  await client.patch(REPLICASETS, 'default', name, 'merge', { spec: { replicas } });
}

/** Waits until the ReplicaSet has `replicas` active pods and a status that says so. */
function settled(env: Env, client: ApiClient, name: string, replicas: number, timeoutMs = 60_000): Promise<ReplicaSet> {
  return waitFor(env, `${name} at ${replicas} replicas`, async () => {
    const rs = await client.get<ReplicaSet>(REPLICASETS, 'default', name);
    const pods = await activePods(client, name);
    const s = rs.status;
    return pods.length === replicas && s?.replicas === replicas && s.observedGeneration === rs.metadata?.generation ? rs : undefined;
  }, timeoutMs);
}

describe('ReplicaSet controller', () => {
  it('creates and deletes pods to match spec.replicas, named <rs>-<5 chars> and owned by the ReplicaSet', async () => {
    const world = controllersWorld({ seed: 11 });
    world.startControllerManager({ controllers: ['replicaset'] });
    world.startFakeKubelet({ startDelayMs: 500 });
    await world.drive(async (env, client) => {
      const rs = await client.create<ReplicaSet>(REPLICASETS, 'default', replicaSetManifest('web', 3));
      let current = await settled(env, client, 'web', 3);
      const pods = await activePods(client, 'web');
      for (const p of pods) {
        expect(p.metadata?.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
        expect(p.metadata?.labels).toEqual({ app: 'web' });
      }
      current = await waitFor(env, 'ready replicas', async () => {
        const r = await client.get<ReplicaSet>(REPLICASETS, 'default', 'web');
        return r.status?.readyReplicas === 3 && r.status.availableReplicas === 3 ? r : undefined;
      });
      expect(current.status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
      await scale(client, 'web', 5);
      await settled(env, client, 'web', 5);
      await scale(client, 'web', 1);
      current = await settled(env, client, 'web', 1);
      expect(current.status?.observedGeneration).toBe(3);
      await scale(client, 'web', 0);
      await settled(env, client, 'web', 0);
      const events = (await client.list<Event>(EVENTS, 'default')).items;
      expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['SuccessfulCreate', 'SuccessfulDelete']));
    });
  });

  it('deletes not-ready pods before ready ones when scaling down', async () => {
    const world = controllersWorld({ seed: 12 });
    world.startControllerManager({ controllers: ['replicaset'] });
    // Pods made after the first three never become Ready.
    let firstThree: ReadonlySet<string | undefined> | undefined;
    world.startFakeKubelet({ neverReady: (p) => firstThree !== undefined && !firstThree.has(p.metadata?.name) });
    await world.drive(async (env, client) => {
      await client.create(REPLICASETS, 'default', replicaSetManifest('web', 3));
      await settled(env, client, 'web', 3);
      await waitFor(env, 'all ready', async () => ((await client.get<ReplicaSet>(REPLICASETS, 'default', 'web')).status?.readyReplicas === 3 ? true : undefined));
      // A fourth pod that never becomes Ready, then back to three: that one goes.
      const before = new Set((await activePods(client, 'web')).map((p) => p.metadata?.name));
      firstThree = before;
      await scale(client, 'web', 4);
      await waitFor(env, 'the fourth pod', async () => (await activePods(client, 'web')).find((p) => !before.has(p.metadata?.name)));
      await scale(client, 'web', 3);
      await settled(env, client, 'web', 3);
      expect(new Set((await activePods(client, 'web')).map((p) => p.metadata?.name))).toEqual(before);
    });
  });

  it('adopts matching orphan pods and releases pods whose labels stop matching', async () => {
    const world = controllersWorld({ seed: 13 });
    world.startControllerManager({ controllers: ['replicaset'] });
    await world.drive(async (env, client) => {
      const orphan = await client.create<Pod>(PODS, 'default', { metadata: { name: 'orphan', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
      const rs = await client.create<ReplicaSet>(REPLICASETS, 'default', replicaSetManifest('web', 2));
      await settled(env, client, 'web', 2);
      const adopted = await client.get<Pod>(PODS, 'default', 'orphan');
      expect(controllerRefOf(adopted)?.uid).toBe(rs.metadata?.uid);
      expect(adopted.metadata?.uid).toBe(orphan.metadata?.uid);
      // Relabel the adopted pod: the ReplicaSet lets it go and makes a replacement.
      await client.patch(PODS, 'default', 'orphan', 'merge', { metadata: { labels: { app: 'other' } } });
      await waitFor(env, 'release', async () => ((await client.get<Pod>(PODS, 'default', 'orphan')).metadata?.ownerReferences === undefined ? true : undefined));
      await settled(env, client, 'web', 2);
      expect((await activePods(client, 'web')).map((p) => p.metadata?.name)).not.toContain('orphan');
    });
  });

  it('does not count terminating pods and reports availability only after minReadySeconds', async () => {
    const world = controllersWorld({ seed: 14 });
    world.startControllerManager({ controllers: ['replicaset'] });
    world.startFakeKubelet({ nodes: ['node-a'], stopDelayMs: 5_000 });
    await world.drive(async (env, client) => {
      const manifest = replicaSetManifest('web', 2);
      manifest.spec = { ...manifest.spec, selector: manifest.spec?.selector ?? {}, minReadySeconds: 5 };
      await client.create(REPLICASETS, 'default', manifest);
      await settled(env, client, 'web', 2);
      const ready = await waitFor(env, 'ready', async () => {
        const r = await client.get<ReplicaSet>(REPLICASETS, 'default', 'web');
        return r.status?.readyReplicas === 2 ? r : undefined;
      });
      expect(ready.status?.availableReplicas).toBe(0);
      const readyAt = env.clock.now();
      await waitFor(env, 'available', async () => ((await client.get<ReplicaSet>(REPLICASETS, 'default', 'web')).status?.availableReplicas === 2 ? true : undefined));
      expect(env.clock.now() - readyAt).toBeGreaterThanOrEqual(3_000);
      // Deleting a bound pod leaves it terminating for 5 s; the replacement comes at once.
      const [victim] = await activePods(client, 'web');
      await client.delete(PODS, 'default', victim?.metadata?.name ?? '');
      await settled(env, client, 'web', 2, 3_000);
      const all = (await client.list<Pod>(PODS, 'default')).items;
      expect(all.filter((p) => p.metadata?.deletionTimestamp).map((p) => p.metadata?.name)).toEqual([victim?.metadata?.name]);
    });
  });

  it('reports ReplicaFailure while pods cannot be created, and clears it', async () => {
    const world = controllersWorld({ seed: 15 });
    world.startControllerManager({ controllers: ['replicaset'] });
    await world.drive(async (env, client) => {
      await client.create<Namespace>(NAMESPACES, undefined, { metadata: { name: 'doomed' } });
      const manifest = { ...replicaSetManifest('web', 0), metadata: { name: 'web', namespace: 'doomed' } };
      await client.create(REPLICASETS, 'doomed', manifest);
      // No namespace controller runs: the namespace stays Terminating and refuses new pods.
      await client.delete(NAMESPACES, undefined, 'doomed');
      await client.patch(REPLICASETS, 'doomed', 'web', 'merge', { spec: { replicas: 2 } });
      const failed = await waitFor(env, 'ReplicaFailure', async () => {
        const r = await client.get<ReplicaSet>(REPLICASETS, 'doomed', 'web');
        return r.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
      });
      expect(failed).toMatchObject({ status: 'True', reason: 'FailedCreate' });
      expect(failed.message).toContain('being terminated');
      await client.patch(REPLICASETS, 'doomed', 'web', 'merge', { spec: { replicas: 0 } });
      await waitFor(env, 'condition cleared', async () => ((await client.get<ReplicaSet>(REPLICASETS, 'doomed', 'web')).status?.conditions === undefined ? true : undefined));
    });
  });
});

// ---- the over-creation property ----

interface ScaleStep {
  readonly replicas: number;
  readonly afterMs: number;
  /** Break the controller-manager's watches this long after the scale: its informers then lag for their retry period. */
  readonly dropWatchesAfterMs?: number;
}

interface ScaleScenario {
  readonly seed: number;
  readonly maxDelayMs: number;
  readonly initial: number;
  readonly steps: readonly ScaleStep[];
}

/**
 * Over-creation, judged without any timing assumption: the controller acts on some version
 * of the ReplicaSet its informer has delivered, and the versions it sees only move forward
 * (a lagging informer replays history, it never goes back). So every pod creation must be
 * explained by a version written before it whose spec.replicas is at least the number of
 * active pods after the creation, with the explaining versions in order. Greedily taking
 * the earliest version that explains each creation is optimal. Returns the violations.
 */
function overCreations(rsName: string, events: readonly ObservedEvent<Pod | ReplicaSet>[]): string[] {
  const out: string[] = [];
  const specs: number[] = [];
  let seen = 0;
  const active = new Set<string>();
  for (const e of events) {
    const o = e.object;
    if (o.kind === 'ReplicaSet') {
      if (o.metadata?.name === rsName && e.type !== 'DELETED') specs.push((o as ReplicaSet).spec?.replicas ?? 1);
      continue;
    }
    const pod = o as Pod;
    if (controllerRefOf(pod)?.name !== rsName) continue;
    const key = pod.metadata?.name ?? '';
    const wasThere = active.has(key);
    if (e.type === 'DELETED' || !isPodActive(pod)) active.delete(key);
    else active.add(key);
    if (wasThere || !active.has(key)) continue;
    let j = seen;
    while (j < specs.length && (specs[j] ?? 0) < active.size) j++;
    if (j === specs.length) {
      out.push(`pod ${key} (resourceVersion ${pod.metadata?.resourceVersion}) made ${active.size} active pods of ReplicaSet ${rsName}; no version from #${seen + 1} on (spec.replicas ${specs.slice(seen).join(', ')}) asked for that many`);
    } else seen = j;
  }
  return out;
}

async function runScaleScenario(s: ScaleScenario, mutants?: ControllerMutants): Promise<{ violations: string[]; converged: boolean }> {
  const world = controllersWorld({ seed: s.seed, network: { minDelayMs: 1, maxDelayMs: s.maxDelayMs } });
  world.startControllerManager({ controllers: ['replicaset'], resyncMs: 2_000, ...(mutants ? { mutants } : {}) });
  const pods = world.observe<Pod>(PODS);
  const rss = world.observe<ReplicaSet>(REPLICASETS);
  const converged = await world.drive(async (env, client) => {
    await env.timers.sleep(100);
    await client.create(REPLICASETS, 'default', replicaSetManifest('web', s.initial));
    for (const step of s.steps) {
      await env.timers.sleep(step.afterMs);
      await scale(client, 'web', step.replicas);
      if (step.dropWatchesAfterMs !== undefined) {
        await env.timers.sleep(step.dropWatchesAfterMs);
        // A partition healed at once breaks the streams and loses no request.
        world.kernel.partition(['controller-manager'], ['apiserver']);
        world.kernel.heal();
      }
    }
    const last = s.steps.length > 0 ? s.steps[s.steps.length - 1]!.replicas : s.initial;
    try {
      // A watch opening lost to a partition stalls an informer for the transport's 30 s
      // timeout before it retries: convergence is judged over a minute.
      await settled(env, client, 'web', last, 60_000);
      await env.timers.sleep(1_000);
      return true;
    } catch {
      return false;
    }
  });
  return { violations: overCreations('web', byResourceVersion<Pod | ReplicaSet>(pods, rss)), converged };
}

const scenarioArb: fc.Arbitrary<ScaleScenario> = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  maxDelayMs: fc.integer({ min: 1, max: 150 }),
  initial: fc.integer({ min: 0, max: 6 }),
  steps: fc.array(
    fc.record({ replicas: fc.integer({ min: 0, max: 6 }), afterMs: fc.integer({ min: 0, max: 3_000 }), dropWatchesAfterMs: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }) }, { requiredKeys: ['replicas', 'afterMs'] }),
    { maxLength: 5 },
  ),
});

describe('ReplicaSet controller under a lagging informer', () => {
  it('never has more active pods than the replicas it may be acting on, and converges', async () => {
    await assertProperty(
      fc.asyncProperty(scenarioArb, async (s) => {
        const r = await runScaleScenario(s);
        if (r.violations.length > 0) throw new Error(`over-creation:\n${r.violations.join('\n')}`);
        if (!r.converged) throw new Error('the ReplicaSet did not settle at its last spec.replicas within a minute');
      }),
      { file: FILE, numRuns: 60 },
    );
  });

  it('the same check catches the ignore-expectations mutant', async () => {
    const scenario = (seed: number): ScaleScenario => ({
      seed,
      maxDelayMs: 120,
      initial: 1,
      steps: [
        { replicas: 2, afterMs: 2_000, dropWatchesAfterMs: 0 },
        { replicas: 6, afterMs: 2_000, dropWatchesAfterMs: 20 },
      ],
    });
    let caught = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      expect((await runScaleScenario(scenario(seed))).violations).toEqual([]);
      if ((await runScaleScenario(scenario(seed), { 'ignore-expectations': true })).violations.length > 0) caught++;
    }
    expect(caught).toBeGreaterThanOrEqual(3);
  });

});
