// The scheduler's safety and liveness as a property: random nodes (some added late), random
// pods with requests (some with init containers larger than the rest, some deleted again),
// created concurrently over a network with random delays. An observer watches every pod
// revision from the start and checks after each one that no node holds more requests than
// it has allocatable; at the end, every pod still pending must fit on no node. The requests
// the checker counts come from the generated model, not from the scheduler's code.

import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { assertProperty } from '../../specs/support/property.js';
import { IDENTITIES } from '../../specs/support/sim-world.js';
import type { ApiClient } from '../client/api-client.js';
import { NODES, PODS } from '../client/resources.js';
import { node, schedulerWorld } from './scheduler-fixtures.testing.js';
import type { SchedulerMutants } from './mutants.js';

interface NodeModel {
  readonly cpuMilli: number;
  readonly memoryMi: number;
  readonly pods: number;
  /** Created this long after the start (0: before any pod). */
  readonly addAtMs: number;
}

interface ContainerModel {
  readonly cpuMilli: number;
  readonly memoryMi: number;
}

interface PodModel {
  readonly containers: readonly ContainerModel[];
  readonly init: ContainerModel | null;
  readonly createAtMs: number;
  /** Deleted this long after its creation, or never. */
  readonly deleteAfterMs: number | null;
}

interface Scenario {
  readonly seed: number;
  readonly maxDelayMs: number;
  readonly nodes: readonly NodeModel[];
  readonly pods: readonly PodModel[];
}

const container: fc.Arbitrary<ContainerModel> = fc.record({
  cpuMilli: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 }).map((n) => n * 50)),
  memoryMi: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 32 }).map((n) => n * 64)),
});

const scenario: fc.Arbitrary<Scenario> = fc.record({
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
  maxDelayMs: fc.integer({ min: 1, max: 60 }),
  nodes: fc.array(
    fc.record({
      cpuMilli: fc.integer({ min: 2, max: 40 }).map((n) => n * 100),
      memoryMi: fc.integer({ min: 4, max: 64 }).map((n) => n * 128),
      pods: fc.integer({ min: 1, max: 8 }),
      addAtMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4000 })),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  pods: fc.array(
    fc.record({
      containers: fc.array(container, { minLength: 1, maxLength: 2 }),
      init: fc.option(container, { freq: 3 }),
      createAtMs: fc.integer({ min: 0, max: 3000 }),
      deleteAfterMs: fc.option(fc.integer({ min: 0, max: 3000 }), { freq: 4 }),
    }),
    { minLength: 1, maxLength: 24 },
  ),
});

const nodeName = (i: number) => `node-${i}`;
const podName = (i: number) => `pod-${i}`;

function requestsOf(c: ContainerModel): Record<string, string> {
  return { ...(c.cpuMilli ? { cpu: `${c.cpuMilli}m` } : {}), ...(c.memoryMi ? { memory: `${c.memoryMi}Mi` } : {}) };
}

function podObject(i: number, m: PodModel): Pod {
  return {
    metadata: { name: podName(i), namespace: 'default' },
    spec: {
      containers: m.containers.map((c, j) => ({ name: `c${j}`, image: 'busybox', resources: { requests: requestsOf(c) } })),
      ...(m.init ? { initContainers: [{ name: 'init', image: 'busybox', resources: { requests: requestsOf(m.init) } }] } : {}),
    },
  };
}

/** What the pod asks for, worked out from the model: max(sum of containers, init container). */
function effective(m: PodModel): ContainerModel {
  const sum = m.containers.reduce((a, c) => ({ cpuMilli: a.cpuMilli + c.cpuMilli, memoryMi: a.memoryMi + c.memoryMi }), { cpuMilli: 0, memoryMi: 0 });
  return { cpuMilli: Math.max(sum.cpuMilli, m.init?.cpuMilli ?? 0), memoryMi: Math.max(sum.memoryMi, m.init?.memoryMi ?? 0) };
}

/** Why pod `p` cannot go on node `n` holding `held`, or undefined if it fits (NodeResourcesFit, from the model). */
function misfit(p: ContainerModel, n: NodeModel, held: readonly ContainerModel[]): string | undefined {
  const cpu = held.reduce((a, c) => a + c.cpuMilli, 0);
  const memory = held.reduce((a, c) => a + c.memoryMi, 0);
  if (held.length + 1 > n.pods) return `it holds ${held.length} of ${n.pods} pods`;
  if (p.cpuMilli > 0 && p.cpuMilli > n.cpuMilli - cpu) return `${n.cpuMilli - cpu}m cpu free`;
  if (p.memoryMi > 0 && p.memoryMi > n.memoryMi - memory) return `${n.memoryMi - memory}Mi memory free`;
  return undefined;
}

function describeScenario(s: Scenario): string {
  return [
    `nodes: ${s.nodes.map((n, i) => `${nodeName(i)}(${n.cpuMilli}m, ${n.memoryMi}Mi, ${n.pods} pods, at ${n.addAtMs} ms)`).join(', ')}`,
    `pods: ${s.pods.map((p, i) => `${podName(i)}(${effective(p).cpuMilli}m, ${effective(p).memoryMi}Mi, at ${p.createAtMs} ms${p.deleteAfterMs !== null ? `, deleted +${p.deleteAfterMs} ms` : ''})`).join(', ')}`,
  ].join('\n');
}

/** Runs one scenario; returns the violations found (empty when the scheduler behaved). */
async function runScenario(s: Scenario, mutants: SchedulerMutants = {}): Promise<string[]> {
  const world = schedulerWorld(s.seed, { minDelayMs: 1, maxDelayMs: s.maxDelayMs });
  const violations: string[] = [];
  const models = new Map(s.pods.map((p, i) => [podName(i), effective(p)]));
  const nodes = new Map(s.nodes.map((n, i) => [nodeName(i), n]));
  /** node → pod name → what it holds there, as the observer has seen it. */
  const held = new Map<string, Map<string, ContainerModel>>();
  let observing!: () => void;
  const observerReady = new Promise<void>((r) => (observing = r));

  world.spawn('observer', IDENTITIES.admin, async (env, client: ApiClient) => {
    const list = await client.list<Pod>(PODS, 'default');
    const watch = await client.watch<Pod>(PODS, 'default', { resourceVersion: list.resourceVersion });
    observing();
    for await (const e of watch) {
      const name = e.object.metadata?.name ?? '';
      const at = e.object.spec?.nodeName;
      for (const pods of held.values()) if (e.type === 'DELETED') pods.delete(name);
      if (e.type === 'DELETED' || !at) continue;
      let pods = held.get(at);
      if (!pods) held.set(at, (pods = new Map()));
      pods.set(name, models.get(name) as ContainerModel);
      const n = nodes.get(at);
      const cpu = [...pods.values()].reduce((a, c) => a + c.cpuMilli, 0);
      const memory = [...pods.values()].reduce((a, c) => a + c.memoryMi, 0);
      if (!n) violations.push(`${name} was bound to ${at}, which does not exist`);
      else if (cpu > n.cpuMilli || memory > n.memoryMi || pods.size > n.pods) {
        violations.push(
          `at revision ${e.object.metadata?.resourceVersion} (t=${env.clock.now()}), ${at} (${n.cpuMilli}m, ${n.memoryMi}Mi, ${n.pods} pods) holds ${[...pods.keys()].join(', ')}: ${cpu}m cpu, ${memory}Mi memory, ${pods.size} pods`,
        );
      }
    }
  });
  world.startScheduler({ mutants });

  await world.drive(async (env, client) => {
    await observerReady;
    const start = env.clock.now();
    const at = (ms: number) => env.timers.sleep(Math.max(0, start + ms - env.clock.now()));
    const actions: Promise<unknown>[] = [];
    s.nodes.forEach((n, i) => {
      const object: Node = node(nodeName(i), { cpu: `${n.cpuMilli}m`, memory: `${n.memoryMi}Mi`, pods: String(n.pods) });
      actions.push(at(n.addAtMs).then(() => client.create(NODES, undefined, object)));
    });
    s.pods.forEach((p, i) => {
      actions.push(
        at(p.createAtMs).then(async () => {
          await client.create(PODS, 'default', podObject(i, p));
          if (p.deleteAfterMs === null) return;
          await env.timers.sleep(p.deleteAfterMs);
          await client.delete(PODS, 'default', podName(i), { gracePeriodSeconds: 0 });
        }),
      );
    });
    await Promise.all(actions);
    // Longer than the longest back-off: every pod that can be placed has been by now.
    await env.timers.sleep(20_000);
    const final = await client.list<Pod>(PODS, 'default');
    const onNode = new Map<string, ContainerModel[]>();
    for (const p of final.items) {
      const n = p.spec?.nodeName;
      if (n) onNode.set(n, [...(onNode.get(n) ?? []), models.get(p.metadata?.name ?? '') as ContainerModel]);
    }
    for (const p of final.items) {
      if (p.spec?.nodeName) continue;
      const name = p.metadata?.name ?? '';
      const want = models.get(name) as ContainerModel;
      for (const [n, model] of nodes) {
        if (misfit(want, model, onNode.get(n) ?? []) === undefined) {
          violations.push(`${name} (${want.cpuMilli}m, ${want.memoryMi}Mi) is still pending at t=${env.clock.now() - start} ms, yet it fits ${n}`);
        }
      }
    }
  });
  return violations;
}

const FILE = 'impl/scheduler/scheduler.property.test.ts';

describe('scheduler: property', () => {
  it('never overcommits a node, and places every pod that fits somewhere', async () => {
    await assertProperty(
      fc.asyncProperty(scenario, async (s) => {
        const violations = await runScenario(s);
        if (violations.length > 0) throw new Error(`${describeScenario(s)}\n${violations.join('\n')}`);
      }),
      { file: FILE, numRuns: 40 },
    );
  });

  // The property has teeth: each mutant that can overcommit a node is caught.
  for (const mutant of ['ignore-assumed-pods', 'ignore-init-containers'] as const) {
    it(`catches the ${mutant} mutant`, async () => {
      const details = await fc.check(
        fc.asyncProperty(scenario, async (s) => (await runScenario(s, { [mutant]: true })).length === 0),
        { numRuns: 100, seed: 4, endOnFailure: true },
      );
      expect(details.failed).toBe(true);
    });
  }
});
