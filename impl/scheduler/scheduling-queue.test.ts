import { describe, expect, it } from 'vitest';
import type { Env } from '../env/env.js';
import { SimKernel } from '../sim/index.js';
import { SchedulingQueue } from './scheduling-queue.js';

/** Runs `body` as a sim process (virtual clock and timers) and returns what it returns. */
async function inSim<T>(body: (env: Env) => Promise<T>): Promise<T> {
  const kernel = new SimKernel({ seed: 1 });
  let result: { value: T } | { error: unknown } | undefined;
  kernel.spawn('test', async (env) => {
    try {
      result = { value: await body(env) };
    } catch (error) {
      result = { error };
    }
  });
  await kernel.run({ until: kernel.now() + 3_600_000 });
  if (!result) throw new Error('the test process did not finish');
  if ('error' in result) throw result.error;
  return result.value;
}

const options = { initialBackoffMs: 1000, maxBackoffMs: 10_000, maxUnschedulableMs: 300_000 };

describe('SchedulingQueue', () => {
  it('hands out higher priorities first, then first come first served', async () => {
    const order = await inSim(async (env) => {
      const q = new SchedulingQueue(env.clock, env.timers, options);
      q.add('low-1', 0);
      q.add('high', 100);
      q.add('low-2', 0);
      q.add('mid', 10);
      return [await q.pop(), await q.pop(), await q.pop(), await q.pop()];
    });
    expect(order).toEqual(['high', 'mid', 'low-1', 'low-2']);
  });

  it('computes upstream back-off: 1 s doubling per attempt, capped at 10 s', () => {
    const q = new SchedulingQueue({ now: () => 0 }, { sleep: async () => {}, setTimer: () => ({ id: 0 }), cancel: () => {} }, options);
    expect([1, 2, 3, 4, 5, 6, 20].map((n) => q.backoffMs(n))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('parks an unschedulable pod until a cluster event, then retries it once its back-off is over', async () => {
    const seen = await inSim(async (env) => {
      const q = new SchedulingQueue(env.clock, env.timers, options);
      const t0 = env.clock.now();
      q.add('p');
      await q.pop();
      q.unschedulable('p');
      const parked = q.stages().p;
      await env.timers.sleep(300);
      q.moveAllToActiveOrBackoff(); // during back-off: to back-off, out at 1 s
      const afterEvent = q.stages().p;
      const key = await q.pop();
      return { parked, afterEvent, key, at: env.clock.now() - t0 };
    });
    expect(seen).toEqual({ parked: 'unschedulable', afterEvent: 'backoff', key: 'p', at: 1000 });
  });

  it('sends a pod to back-off instead of parking it when an event came during its attempt', async () => {
    const stage = await inSim(async (env) => {
      const q = new SchedulingQueue(env.clock, env.timers, options);
      q.add('p');
      await q.pop();
      q.moveAllToActiveOrBackoff();
      q.unschedulable('p');
      return q.stages().p;
    });
    expect(stage).toBe('backoff');
  });

  it('retries a parked pod after maxUnschedulableMs without any event', async () => {
    const at = await inSim(async (env) => {
      const q = new SchedulingQueue(env.clock, env.timers, { ...options, maxUnschedulableMs: 60_000 });
      const t0 = env.clock.now();
      q.add('p');
      await q.pop();
      q.unschedulable('p');
      await q.pop();
      return env.clock.now() - t0;
    });
    expect(at).toBe(60_000);
  });

  it('forgets deleted pods, and ignores adds of a pod already queued or in back-off', async () => {
    const seen = await inSim(async (env) => {
      const q = new SchedulingQueue(env.clock, env.timers, options);
      q.add('a');
      q.add('a');
      q.add('b');
      q.delete('b');
      const first = await q.pop();
      q.error('a');
      q.add('a');
      const stage = q.stages().a;
      q.close();
      return { first, stage, afterClose: await q.pop() };
    });
    expect(seen).toEqual({ first: 'a', stage: 'backoff', afterClose: undefined });
  });
});
