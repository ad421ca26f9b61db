// THE determinism property of the sim kernel: a run is a pure function of (seed, workload).
// fast-check generates workloads (processes that sleep, serve, call, send, stream, spawn
// children, fail, and get killed, restarted and partitioned by the harness); each runs twice
// and must give byte-identical traces. Companion properties show that seeds do change
// interleavings, and that real nondeterminism sneaking into a workload is caught.
// A failure prints fast-check's seed and path (rerun with `fc.assert(..., { seed, path })`).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Env } from '../env/env.js';
import { NetworkError, streamReply } from '../env/network.js';
import { DEFAULT_START_TIME, SimKernel } from './kernel.js';

const T0 = DEFAULT_START_TIME;

// ---- The workload language ------------------------------------------------------------

type LeafStep =
  | { readonly op: 'sleep'; readonly ms: number }
  | { readonly op: 'jitter' }
  | { readonly op: 'send'; readonly to: number; readonly value: number }
  | { readonly op: 'call'; readonly to: number; readonly value: number; readonly timeoutMs: number }
  | { readonly op: 'stream'; readonly to: number; readonly take: number }
  | { readonly op: 'timer'; readonly ms: number; readonly to: number }
  | { readonly op: 'throw' };

type Step = LeafStep | { readonly op: 'spawn'; readonly steps: readonly LeafStep[] };

interface ProcessPlan {
  readonly steps: readonly Step[];
  /** How long the rpc handler works before answering. */
  readonly handlerMs: number;
  /** How many items the watch stream yields. */
  readonly streamItems: number;
  /** How long the process stays up (serving) after its steps. */
  readonly lingerMs: number;
}

type Fault =
  | { readonly at: number; readonly kind: 'kill' | 'restart'; readonly target: number; readonly child: number | null }
  | { readonly at: number; readonly kind: 'partition'; readonly a: readonly number[]; readonly b: readonly number[] }
  | { readonly at: number; readonly kind: 'heal' }
  | { readonly at: number; readonly kind: 'drop-rate'; readonly p: number }
  | { readonly at: number; readonly kind: 'delay'; readonly min: number; readonly max: number };

interface Workload {
  readonly processes: readonly ProcessPlan[];
  readonly faults: readonly Fault[];
  readonly network: { readonly minDelayMs: number; readonly maxDelayMs: number; readonly dropRate: number };
}

const MAX_PROCESSES = 5;
const target = fc.nat({ max: MAX_PROCESSES - 1 });

const leafStep: fc.Arbitrary<LeafStep> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('sleep' as const), ms: fc.nat({ max: 40 }) }), weight: 4 },
  { arbitrary: fc.constant({ op: 'jitter' as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('send' as const), to: target, value: fc.nat({ max: 9 }) }), weight: 4 },
  {
    arbitrary: fc.record({
      op: fc.constant('call' as const),
      to: target,
      value: fc.nat({ max: 9 }),
      timeoutMs: fc.integer({ min: 20, max: 200 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ op: fc.constant('stream' as const), to: target, take: fc.nat({ max: 6 }) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('timer' as const), ms: fc.nat({ max: 30 }), to: target }), weight: 2 },
  { arbitrary: fc.constant({ op: 'throw' as const }), weight: 1 },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: leafStep, weight: 8 },
  { arbitrary: fc.record({ op: fc.constant('spawn' as const), steps: fc.array(leafStep, { maxLength: 4 }) }), weight: 1 },
);

const processPlan: fc.Arbitrary<ProcessPlan> = fc.record({
  steps: fc.array(step, { maxLength: 12 }),
  handlerMs: fc.nat({ max: 20 }),
  streamItems: fc.nat({ max: 8 }),
  lingerMs: fc.nat({ max: 1000 }),
});

const processes = fc.nat({ max: MAX_PROCESSES - 1 });
const group = fc.uniqueArray(processes, { minLength: 1, maxLength: 2 });
const fault: fc.Arbitrary<Fault> = fc.oneof(
  {
    arbitrary: fc.record({
      at: fc.nat({ max: 800 }),
      kind: fc.constantFrom('kill' as const, 'restart' as const),
      target: processes,
      // Mostly top-level processes; sometimes a child, which may or may not exist by then.
      child: fc.constantFrom(null, null, null, 0, 1),
    }),
    weight: 2,
  },
  fc.record({ at: fc.nat({ max: 800 }), kind: fc.constant('partition' as const), a: group, b: group }),
  fc.record({ at: fc.nat({ max: 800 }), kind: fc.constant('heal' as const) }),
  fc.record({ at: fc.nat({ max: 800 }), kind: fc.constant('drop-rate' as const), p: fc.constantFrom(0, 0.1, 0.5) }),
  fc.record({
    at: fc.nat({ max: 800 }),
    kind: fc.constant('delay' as const),
    min: fc.nat({ max: 5 }),
    max: fc.nat({ max: 20 }),
  }),
);

const workload: fc.Arbitrary<Workload> = fc.record({
  processes: fc.array(processPlan, { minLength: 2, maxLength: MAX_PROCESSES }),
  faults: fc.array(fault, { maxLength: 6 }),
  network: fc.record({
    minDelayMs: fc.nat({ max: 3 }),
    maxDelayMs: fc.nat({ max: 20 }),
    dropRate: fc.constantFrom(0, 0, 0.05, 0.2),
  }),
});

const seed = fc.integer({ min: 0, max: 0xffff_ffff });

// ---- The interpreter ------------------------------------------------------------------

/**
 * Where a workload may draw extra sleep time. Deterministic runs use the process's own
 * env.random; the control test swaps in Math.random to prove the property notices.
 */
type Jitter = (env: Env) => number;
const seededJitter: Jitter = (env) => env.random.int(0, 10);

/** What a process knows; it flows into its replies, so interleavings show in payload digests. */
interface ProcessState {
  count: number;
}

function outcomeCode(error: unknown): number {
  return error instanceof NetworkError ? error.code.length : 1;
}

async function runLeaf(env: Env, s: LeafStep, n: number, state: ProcessState, jitter: Jitter): Promise<void> {
  const to = `p${s.op === 'sleep' || s.op === 'jitter' || s.op === 'throw' ? 0 : s.to % n}`;
  switch (s.op) {
    case 'sleep':
      return env.timers.sleep(s.ms);
    case 'jitter':
      return env.timers.sleep(jitter(env));
    case 'send':
      env.network.send(`${to}/inbox`, { value: s.value, count: state.count });
      return;
    case 'call':
      try {
        const reply = await env.network.call<{ count: number }>(`${to}/rpc`, { value: s.value }, { timeoutMs: s.timeoutMs });
        state.count += reply.count;
      } catch (error) {
        state.count += outcomeCode(error);
      }
      return;
    case 'stream':
      try {
        const stream = await env.network.openStream<number>(`${to}/watch`, s.take, { timeoutMs: 200 });
        let taken = 0;
        for await (const item of stream) {
          state.count += item;
          if (++taken >= s.take) break;
        }
      } catch (error) {
        state.count += outcomeCode(error);
      }
      return;
    case 'timer':
      env.timers.setTimer(s.ms, () => env.network.send(`${to}/inbox`, { value: 1, count: state.count }));
      return;
    case 'throw':
      throw new Error(`${env.process} fails on purpose`);
  }
}

function processMain(index: number, plan: ProcessPlan, n: number, jitter: Jitter): (env: Env) => Promise<void> {
  return async (env) => {
    const state: ProcessState = { count: index };
    const name = `p${index}`;
    env.network.listen(`${name}/inbox`, (message) => {
      state.count += (message as { value: number }).value;
    });
    env.network.serve(`${name}/rpc`, async (request) => {
      await env.timers.sleep(plan.handlerMs);
      state.count += (request as { value: number }).value;
      return { by: name, count: state.count };
    });
    env.network.serve(`${name}/watch`, async () => {
      async function* items(): AsyncGenerator<number> {
        for (let i = 0; i < plan.streamItems; i++) {
          await env.timers.sleep(env.random.int(0, 5));
          yield state.count + i;
        }
      }
      return streamReply(items(), () => {
        state.count += 100;
      });
    });
    let children = 0;
    for (const s of plan.steps) {
      if (s.op === 'spawn') {
        const steps = s.steps;
        env.spawn(`${name}.c${children++}`, async (childEnv) => {
          const childState: ProcessState = { count: 0 };
          for (const leaf of steps) await runLeaf(childEnv, leaf, n, childState, jitter);
        });
      } else {
        await runLeaf(env, s, n, state, jitter);
      }
    }
    await env.timers.sleep(plan.lingerMs);
  };
}

function injectFault(kernel: SimKernel, w: Workload, f: Fault, jitter: Jitter): void {
  const n = w.processes.length;
  const names = (group: readonly number[]): string[] => group.map((i) => `p${i % n}`);
  switch (f.kind) {
    case 'kill':
    case 'restart': {
      const index = f.target % n;
      const name = f.child === null ? `p${index}` : `p${index}.c${f.child}`;
      kernel.process(name)?.kill();
      const plan = w.processes[index];
      if (f.kind === 'restart' && f.child === null && plan) kernel.spawn(name, processMain(index, plan, n, jitter));
      return;
    }
    case 'partition':
      return kernel.partition(names(f.a), names(f.b));
    case 'heal':
      return kernel.heal();
    case 'drop-rate':
      return kernel.setDropRate(f.p);
    case 'delay':
      return kernel.setDelay(Math.min(f.min, f.max), Math.max(f.min, f.max));
  }
}

/** Runs a workload under a seed and returns its trace hash. */
async function traceHash(kernelSeed: number, w: Workload, jitter: Jitter = seededJitter): Promise<string> {
  const { minDelayMs, maxDelayMs, dropRate } = w.network;
  const kernel = new SimKernel({
    seed: kernelSeed,
    network: { minDelayMs: Math.min(minDelayMs, maxDelayMs), maxDelayMs: Math.max(minDelayMs, maxDelayMs), dropRate },
  });
  const n = w.processes.length;
  w.processes.forEach((plan, index) => kernel.spawn(`p${index}`, processMain(index, plan, n, jitter)));
  for (const f of w.faults) kernel.at(T0 + f.at, () => injectFault(kernel, w, f, jitter));
  await kernel.run({ until: T0 + 5_000, maxEvents: 20_000 });
  return kernel.trace.hash();
}

// ---- The properties -------------------------------------------------------------------

describe('sim determinism', () => {
  it('runs every (seed, workload) twice to byte-identical traces', async () => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(seed, workload, async (s, w) => {
        expect(await traceHash(s, w)).toBe(await traceHash(s, w));
      }),
      { numRuns: 1000 },
    );
    console.info(`determinism property: 1000 (seed, workload) pairs in ${Math.round(performance.now() - started)} ms`);
  });

  it('gives different interleavings for different seeds when senders race', async () => {
    await fc.assert(
      fc.asyncProperty(workload, async (w) => {
        // Every process first sends to p0: at least two senders race from the start.
        const racing: Workload = {
          ...w,
          processes: w.processes.map((plan) => ({ ...plan, steps: [{ op: 'send', to: 0, value: 1 }, ...plan.steps] })),
        };
        const hashes = new Set<string>();
        for (let s = 0; s < 8; s++) hashes.add(await traceHash(s, racing));
        expect(hashes.size).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 50 },
    );
  });

  it('catches real nondeterminism in a workload, and reports the seed', async () => {
    // Math.random is the nondeterminism the property exists to catch (allowed in tests only).
    const leaky: Jitter = () => Math.floor(Math.random() * 1000);
    const jittery = workload.map((w) => ({
      ...w,
      processes: w.processes.map((plan) => ({ ...plan, steps: [{ op: 'jitter' as const }, ...plan.steps] })),
    }));
    const failure = fc.assert(
      fc.asyncProperty(seed, jittery, async (s, w) => {
        expect(await traceHash(s, w, leaky)).toBe(await traceHash(s, w, leaky));
      }),
      { numRuns: 20, endOnFailure: true },
    );
    await expect(failure).rejects.toThrow(/seed: -?\d+, path: "[\d:]+"/);
  });
});
