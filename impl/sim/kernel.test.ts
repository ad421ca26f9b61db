// Unit tests of the sim kernel's semantics: virtual time, seeded ordering, kill, partitions,
// loss and timeouts, streams, payload copies, failures, and the harness's faults.

import { describe, expect, it } from 'vitest';
import type { Env, ProcessExit } from '../env/env.js';
import { NetworkError, streamReply, type RemoteStream } from '../env/network.js';
import { DEFAULT_START_TIME, SimKernel } from './kernel.js';

const T0 = DEFAULT_START_TIME;

/** Keeps a process alive (serving) until it is killed. */
const forever = (env: Env): Promise<void> => env.timers.sleep(Infinity);

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}

function codeOf(error: unknown): string | undefined {
  return error instanceof NetworkError ? error.code : undefined;
}

describe('virtual time', () => {
  it('jumps to the next event: an hour of sleep takes milliseconds of wall time', async () => {
    const kernel = new SimKernel({ seed: 1 });
    let wokeAt = 0;
    kernel.spawn('sleeper', async (env) => {
      await env.timers.sleep(3_600_000);
      wokeAt = env.clock.now();
    });
    const started = performance.now();
    const summary = await kernel.run();
    expect(performance.now() - started).toBeLessThan(500);
    expect(wokeAt).toBe(T0 + 3_600_000);
    expect(summary).toEqual({ events: 2, time: T0 + 3_600_000, stopped: 'idle' });
  });

  it('honours startTime, until and maxEvents', async () => {
    const kernel = new SimKernel({ seed: 1, startTime: 1000 });
    let ticks = 0;
    kernel.spawn('ticker', async (env) => {
      for (;;) {
        await env.timers.sleep(10);
        ticks++;
      }
    });
    expect(await kernel.run({ until: 1055 })).toEqual({ events: 6, time: 1055, stopped: 'until' });
    expect(ticks).toBe(5);
    expect(await kernel.run({ maxEvents: 3 })).toEqual({ events: 3, time: 1080, stopped: 'maxEvents' });
    expect(ticks).toBe(8);
  });

  it('setTimer fires once after its delay and cancel stops it', async () => {
    const kernel = new SimKernel({ seed: 1 });
    const fired: string[] = [];
    kernel.spawn('p', async (env) => {
      env.timers.setTimer(5, () => fired.push(`a@${env.clock.now() - T0}`));
      const b = env.timers.setTimer(6, () => fired.push('b'));
      env.timers.cancel(b);
      await env.timers.sleep(100);
    });
    await kernel.run();
    expect(fired).toEqual(['a@5']);
  });
});

describe('ordering among events due at the same instant', () => {
  async function order(seed: number): Promise<string> {
    const kernel = new SimKernel({ seed });
    const seen: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      kernel.spawn(name, async (env) => {
        await env.timers.sleep(10);
        seen.push(name);
      });
    }
    await kernel.run();
    return seen.join('');
  }

  it('is chosen by the seed, and the same seed gives the same order', async () => {
    const orders = new Set<string>();
    for (let seed = 0; seed < 40; seed++) orders.add(await order(seed));
    expect(orders.size).toBeGreaterThanOrEqual(4);
    expect(await order(7)).toBe(await order(7));
  });
});

describe('processes', () => {
  it('kill: pending sleeps never resume, timers never fire, addresses stop serving', async () => {
    const kernel = new SimKernel({ seed: 3 });
    const log: string[] = [];
    const victim = kernel.spawn('victim', async (env) => {
      env.network.serve('victim/rpc', async () => 'pong');
      env.timers.setTimer(50, () => log.push('timer fired'));
      await env.timers.sleep(100);
      log.push('woke up');
    });
    let before: unknown;
    let after: unknown;
    kernel.spawn('caller', async (env) => {
      before = await env.network.call('victim/rpc', 'ping');
      await env.timers.sleep(30);
      after = await caught(env.network.call('victim/rpc', 'ping'));
    });
    kernel.at(T0 + 20, () => victim.kill());
    await kernel.run();
    expect(before).toBe('pong');
    expect(codeOf(after)).toBe('unreachable');
    expect(log).toEqual([]);
    expect(victim.alive).toBe(false);
    expect(await victim.exited).toEqual({ kind: 'killed' });
    expect(kernel.trace.entries).toContainEqual({ t: T0 + 20, k: 'exit', p: 'victim', how: 'killed', why: null });
  });

  it('a throwing process is recorded as failed and the others carry on', async () => {
    const kernel = new SimKernel({ seed: 4 });
    const bad = kernel.spawn('bad', async (env) => {
      await env.timers.sleep(5);
      throw new Error('boom');
    });
    let goodDone = false;
    kernel.spawn('good', async (env) => {
      await env.timers.sleep(50);
      goodDone = true;
    });
    await kernel.run();
    expect(await bad.exited).toEqual({ kind: 'failed', error: 'Error: boom' });
    expect(goodDone).toBe(true);
    expect(kernel.trace.entries).toContainEqual({ t: T0 + 5, k: 'exit', p: 'bad', how: 'failed', why: 'Error: boom' });
  });

  it('a throwing message handler or timer callback fails its process', async () => {
    const kernel = new SimKernel({ seed: 5 });
    const listener = kernel.spawn('listener', async (env) => {
      env.network.listen('l', () => {
        throw new Error('bad message');
      });
      await forever(env);
    });
    const timed = kernel.spawn('timed', async (env) => {
      env.timers.setTimer(1, () => {
        throw new Error('bad timer');
      });
      await forever(env);
    });
    kernel.spawn('sender', async (env) => env.network.send('l', 1));
    await kernel.run();
    expect(await listener.exited).toEqual({ kind: 'failed', error: 'Error: bad message' });
    expect(await timed.exited).toEqual({ kind: 'failed', error: 'Error: bad timer' });
  });

  it('a process ends with its main: what it held is released', async () => {
    const kernel = new SimKernel({ seed: 6 });
    kernel.spawn('brief', async (env) => {
      env.network.serve('brief/rpc', async () => 'hi');
    });
    let outcome: unknown;
    kernel.spawn('caller', async (env) => {
      await env.timers.sleep(10);
      outcome = await caught(env.network.call('brief/rpc', null));
    });
    await kernel.run();
    expect(codeOf(outcome)).toBe('unreachable');
  });

  it('children outlive a killed parent, whose await on them never resumes', async () => {
    const kernel = new SimKernel({ seed: 8 });
    const log: string[] = [];
    const parent = kernel.spawn('parent', async (env) => {
      const child = env.spawn('child', async (childEnv) => {
        await childEnv.timers.sleep(100);
        log.push('child done');
      });
      const exit = await child.exited;
      log.push(`parent saw ${exit.kind}`);
    });
    kernel.at(T0 + 10, () => parent.kill());
    await kernel.run();
    expect(log).toEqual(['child done']);
    expect(kernel.trace.entries.filter((e) => e.k === 'spawn')).toEqual([
      { t: T0, k: 'spawn', p: 'parent', by: null },
      { t: T0, k: 'spawn', p: 'child', by: 'parent' },
    ]);
  });

  it('a name is unique among running processes, and reusable after exit', async () => {
    const kernel = new SimKernel({ seed: 9 });
    const first = kernel.spawn('p', forever);
    expect(() => kernel.spawn('p', forever)).toThrow(/already running/);
    first.kill();
    const second = kernel.spawn('p', async () => {});
    await kernel.run();
    expect(await second.exited).toEqual<ProcessExit>({ kind: 'returned' });
  });

  it('kernel.process finds running processes by name, including children', async () => {
    const kernel = new SimKernel({ seed: 10 });
    kernel.spawn('parent', async (env) => {
      env.spawn('parent.child', forever);
      await forever(env);
    });
    await kernel.run();
    expect(kernel.processes()).toEqual(['parent', 'parent.child']);
    kernel.process('parent.child')?.kill();
    expect(kernel.processes()).toEqual(['parent']);
  });
});

describe('network', () => {
  it('delivers one-way messages after a seeded delay within bounds, reordering independent ones', async () => {
    const orders = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const kernel = new SimKernel({ seed, network: { minDelayMs: 1, maxDelayMs: 50 } });
      const got: string[] = [];
      const times: number[] = [];
      kernel.spawn('rx', async (env) => {
        env.network.listen('rx', (message) => {
          got.push(String(message));
          times.push(env.clock.now() - T0);
        });
        await env.timers.sleep(1000);
      });
      kernel.spawn('tx', async (env) => {
        await env.timers.sleep(1);
        for (const m of ['1', '2', '3', '4']) env.network.send('rx', m);
      });
      await kernel.run();
      expect(got.length).toBe(4);
      for (const t of times) {
        expect(t).toBeGreaterThanOrEqual(2);
        expect(t).toBeLessThanOrEqual(51);
      }
      orders.add(got.join(''));
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('drops: a lost call fails with timeout after its timeoutMs', async () => {
    const kernel = new SimKernel({ seed: 11, network: { dropRate: 1 } });
    let outcome: unknown;
    let failedAt = 0;
    kernel.spawn('server', async (env) => {
      env.network.serve('s', async () => 'never seen');
      await forever(env);
    });
    kernel.spawn('client', async (env) => {
      outcome = await caught(env.network.call('s', 1, { timeoutMs: 250 }));
      failedAt = env.clock.now();
    });
    await kernel.run();
    expect(codeOf(outcome)).toBe('timeout');
    expect(failedAt).toBe(T0 + 250);
    expect(kernel.trace.entries.some((e) => e.k === 'drop' && e.why === 'rate')).toBe(true);
    expect(kernel.trace.entries.some((e) => e.k === 'timeout')).toBe(true);
  });

  it('a call to an address nobody serves is refused: unreachable', async () => {
    const kernel = new SimKernel({ seed: 12 });
    let outcome: unknown;
    kernel.spawn('client', async (env) => {
      outcome = await caught(env.network.call('nowhere', 1));
    });
    await kernel.run();
    expect(codeOf(outcome)).toBe('unreachable');
  });

  it('partition cuts calls and sends both ways until heal', async () => {
    const kernel = new SimKernel({ seed: 13 });
    const results: unknown[] = [];
    const heard: unknown[] = [];
    kernel.spawn('a', async (env) => {
      env.network.serve('a/rpc', async (request) => `a got ${String(request)}`);
      env.network.listen('a/inbox', (message) => heard.push(message));
      await forever(env);
    });
    kernel.spawn('b', async (env) => {
      await env.timers.sleep(10);
      results.push(codeOf(await caught(env.network.call('a/rpc', 1, { timeoutMs: 100 }))));
      env.network.send('a/inbox', 'lost');
      await env.timers.sleep(200);
      results.push(await env.network.call('a/rpc', 2));
      env.network.send('a/inbox', 'heard');
    });
    kernel.at(T0 + 5, () => kernel.partition(['a'], ['b']));
    kernel.at(T0 + 300, () => kernel.heal());
    await kernel.run({ until: T0 + 10_000 });
    expect(results).toEqual(['timeout', 'a got 2']);
    expect(heard).toEqual(['heard']);
    expect(kernel.trace.entries.filter((e) => e.k === 'drop').map((e) => e.k === 'drop' && e.why)).toEqual([
      'partition',
      'partition',
    ]);
  });

  it('heal(a, b) undoes one partition: overlapping cuts of a pair heal one at a time, others stay', async () => {
    const kernel = new SimKernel({ seed: 14 });
    const results: [number, unknown][] = [];
    for (const name of ['a', 'c']) {
      kernel.spawn(name, async (env) => {
        env.network.serve(`${name}/rpc`, async () => name);
        await forever(env);
      });
    }
    kernel.spawn('b', async (env) => {
      for (const t of [10, 110, 210]) {
        await env.timers.sleep(t - (env.clock.now() - T0));
        for (const to of ['a', 'c']) results.push([t, codeOf(await caught(env.network.call(`${to}/rpc`, null, { timeoutMs: 50 }))) ?? to]);
      }
    });
    kernel.at(T0 + 1, () => kernel.partition(['a'], ['b']));
    kernel.at(T0 + 2, () => kernel.partition(['b'], ['a', 'c']));
    kernel.at(T0 + 100, () => kernel.heal(['a'], ['b']));
    kernel.at(T0 + 200, () => kernel.heal(['b'], ['a', 'c']));
    await kernel.run({ until: T0 + 1000 });
    expect(results).toEqual([
      [10, 'timeout'],
      [10, 'timeout'],
      [110, 'timeout'],
      [110, 'timeout'],
      [210, 'a'],
      [210, 'c'],
    ]);
    expect(kernel.trace.entries.filter((e) => e.k === 'heal')).toEqual([
      { t: T0 + 100, k: 'heal', a: ['a'], b: ['b'] },
      { t: T0 + 200, k: 'heal', a: ['b'], b: ['a', 'c'] },
    ]);
  });

  it('a message in flight when a partition starts is lost on arrival', async () => {
    const kernel = new SimKernel({ seed: 14, network: { minDelayMs: 10, maxDelayMs: 10 } });
    const heard: unknown[] = [];
    kernel.spawn('a', async (env) => {
      env.network.listen('a', (m) => heard.push(m));
      await forever(env);
    });
    kernel.spawn('b', async (env) => {
      await env.timers.sleep(1);
      env.network.send('a', 'in flight');
    });
    kernel.at(T0 + 5, () => kernel.partition(['b'], ['a']));
    await kernel.run({ until: T0 + 100 });
    expect(heard).toEqual([]);
  });

  it('a handler that throws rejects the call with a copy of the error', async () => {
    const kernel = new SimKernel({ seed: 15 });
    const outcomes: unknown[] = [];
    kernel.spawn('server', async (env) => {
      env.network.serve('s', async () => {
        throw new RangeError('bad request');
      });
      env.network.serve('relay', async () => {
        // The handler's own downstream call fails; the caller must not mistake it for its own.
        return env.network.call('nowhere', null);
      });
      await forever(env);
    });
    kernel.spawn('client', async (env) => {
      outcomes.push(await caught(env.network.call('s', 1)));
      outcomes.push(await caught(env.network.call('relay', 1)));
    });
    await kernel.run({ until: T0 + 1000 });
    expect(outcomes[0]).toBeInstanceOf(Error);
    expect(outcomes[0]).toMatchObject({ name: 'RangeError', message: 'bad request' });
    expect(outcomes[1]).not.toBeInstanceOf(NetworkError);
    expect(outcomes[1]).toMatchObject({ name: 'NetworkError', code: 'unreachable' });
  });

  it('a server killed mid-call answers closed', async () => {
    const kernel = new SimKernel({ seed: 16 });
    let outcome: unknown;
    const server = kernel.spawn('server', async (env) => {
      env.network.serve('s', async () => {
        await env.timers.sleep(1000);
        return 'too late';
      });
      await forever(env);
    });
    kernel.spawn('client', async (env) => {
      outcome = await caught(env.network.call('s', 1));
    });
    kernel.at(T0 + 100, () => server.kill());
    await kernel.run();
    expect(codeOf(outcome)).toBe('closed');
  });

  it('a killed caller never resumes; its reply is dropped late', async () => {
    const kernel = new SimKernel({ seed: 17 });
    const log: string[] = [];
    kernel.spawn('server', async (env) => {
      env.network.serve('s', async () => {
        await env.timers.sleep(50);
        return 'reply';
      });
      await forever(env);
    });
    const client = kernel.spawn('client', async (env) => {
      log.push(String(await env.network.call('s', 1)));
    });
    kernel.at(T0 + 20, () => client.kill());
    await kernel.run({ until: T0 + 1000 });
    expect(log).toEqual([]);
    expect(kernel.trace.entries.some((e) => e.k === 'drop' && e.kind === 'reply' && e.why === 'late')).toBe(true);
  });

  it('payloads are copied: neither side sees the other mutate', async () => {
    const kernel = new SimKernel({ seed: 18 });
    const seen: unknown[] = [];
    let reply: { list: number[] } | undefined;
    const kept = { list: [1] };
    kernel.spawn('server', async (env) => {
      env.network.listen('inbox', (message) => {
        seen.push(structuredClone(message));
        (message as { n: number }).n = 99;
      });
      env.network.serve('rpc', async () => kept);
      await forever(env);
    });
    kernel.spawn('client', async (env) => {
      const message = { n: 1 };
      env.network.send('inbox', message);
      message.n = 2;
      await env.timers.sleep(50);
      expect(message.n).toBe(2);
      reply = await env.network.call<{ list: number[] }>('rpc', null);
      reply.list.push(2);
    });
    await kernel.run({ until: T0 + 1000 });
    expect(seen).toEqual([{ n: 1 }]);
    expect(reply).toEqual({ list: [1, 2] });
    expect(kept).toEqual({ list: [1] });
  });

  it('openStream rejects a plain reply; an uncopyable reply comes back as an error', async () => {
    const kernel = new SimKernel({ seed: 27 });
    const outcomes: unknown[] = [];
    kernel.spawn('server', async (env) => {
      env.network.serve('plain', async () => 'not a stream');
      env.network.serve('uncopyable', async () => () => 'a function');
      await forever(env);
    });
    kernel.spawn('client', async (env) => {
      outcomes.push(await caught(env.network.openStream('plain', null)));
      outcomes.push(await caught(env.network.call('uncopyable', null)));
    });
    await kernel.run({ until: T0 + 1000 });
    expect(outcomes[0]).toBeInstanceOf(TypeError);
    expect(outcomes[1]).toBeInstanceOf(Error);
    expect((outcomes[1] as Error).name).toBe('DataCloneError');
  });

  it('an address can be held by one process at a time', async () => {
    const kernel = new SimKernel({ seed: 19 });
    let error: unknown;
    kernel.spawn('a', async (env) => {
      env.network.serve('x', async () => 1);
      await forever(env);
    });
    kernel.spawn('b', async (env) => {
      await env.timers.sleep(1);
      try {
        env.network.serve('x', async () => 2);
      } catch (e) {
        error = e;
      }
    });
    await kernel.run({ until: T0 + 10 });
    expect(String(error)).toMatch(/already served by a/);
  });
});

describe('streams', () => {
  function serveCounter(env: Env, count: number, log: string[], pause = 0): void {
    env.network.serve('counter', async (request) => {
      async function* items(): AsyncGenerator<number> {
        try {
          for (let i = 1; i <= count; i++) {
            if (pause > 0) await env.timers.sleep(pause);
            yield i;
          }
        } finally {
          log.push(`finally (asked ${String(request)})`);
        }
      }
      return streamReply(items(), () => log.push('onClose'));
    });
  }

  it('delivers items in order even with widely spread delays', async () => {
    for (let seed = 0; seed < 10; seed++) {
      const kernel = new SimKernel({ seed, network: { minDelayMs: 1, maxDelayMs: 100 } });
      const got: number[] = [];
      const log: string[] = [];
      kernel.spawn('server', async (env) => {
        serveCounter(env, 200, log);
        await forever(env);
      });
      kernel.spawn('client', async (env) => {
        const stream = await env.network.openStream<number>('counter', 'all');
        for await (const n of stream) got.push(n);
      });
      await kernel.run();
      expect(got).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(log).toEqual(['finally (asked all)']);
    }
  });

  it('close() stops the stream and runs the server onClose', async () => {
    const kernel = new SimKernel({ seed: 20 });
    const got: number[] = [];
    const log: string[] = [];
    kernel.spawn('server', async (env) => {
      serveCounter(env, Infinity, log, 5);
      await forever(env);
    });
    kernel.spawn('client', async (env) => {
      for await (const n of await env.network.openStream<number>('counter', 'some')) {
        got.push(n);
        if (n === 3) break;
      }
      await env.timers.sleep(100);
    });
    await kernel.run({ until: T0 + 10_000 });
    expect(got).toEqual([1, 2, 3]);
    expect(log).toEqual(['onClose', 'finally (asked some)']);
  });

  it('breaks with closed when the server is killed; delivered items come first', async () => {
    const kernel = new SimKernel({ seed: 21, network: { minDelayMs: 1, maxDelayMs: 1 } });
    const got: number[] = [];
    let outcome: unknown;
    const server = kernel.spawn('server', async (env) => {
      serveCounter(env, Infinity, [], 10);
      await forever(env);
    });
    kernel.spawn('client', async (env) => {
      const stream = await env.network.openStream<number>('counter', null);
      await env.timers.sleep(100);
      outcome = await caught(
        (async () => {
          for await (const n of stream) got.push(n);
        })(),
      );
    });
    // Items leave at +10, +20, ... and take 1 ms: seven have arrived by the kill.
    kernel.at(T0 + 75, () => server.kill());
    await kernel.run();
    expect(codeOf(outcome)).toBe('closed');
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('breaks when the client is killed: the server hears onClose', async () => {
    const kernel = new SimKernel({ seed: 22 });
    const log: string[] = [];
    kernel.spawn('server', async (env) => {
      serveCounter(env, Infinity, log, 10);
      await forever(env);
    });
    const client = kernel.spawn('client', async (env) => {
      for await (const _ of await env.network.openStream('counter', null));
    });
    kernel.at(T0 + 50, () => client.kill());
    await kernel.run({ until: T0 + 1000 });
    expect(log).toEqual(['onClose', 'finally (asked null)']);
    expect(kernel.trace.entries).toContainEqual({
      t: T0 + 50,
      k: 'break',
      m: expect.any(Number),
      client: 'client',
      server: 'server',
      addr: 'counter',
      why: 'killed',
    });
  });

  it('breaks on partition, at both ends', async () => {
    const kernel = new SimKernel({ seed: 23 });
    const log: string[] = [];
    let outcome: unknown;
    kernel.spawn('server', async (env) => {
      serveCounter(env, Infinity, log, 10);
      await forever(env);
    });
    kernel.spawn('client', async (env) => {
      const stream: RemoteStream<number> = await env.network.openStream<number>('counter', null);
      outcome = await caught(
        (async () => {
          for await (const _ of stream);
        })(),
      );
    });
    kernel.at(T0 + 50, () => kernel.partition(['server'], ['client']));
    await kernel.run({ until: T0 + 1000 });
    expect(codeOf(outcome)).toBe('closed');
    expect(log).toEqual(['onClose', 'finally (asked null)']);
  });

  it('resetStreams breaks the streams between two groups, both ends, and leaves the links up', async () => {
    const kernel = new SimKernel({ seed: 25 });
    const log: string[] = [];
    const outcomes: Record<string, unknown> = {};
    let after: unknown;
    kernel.spawn('server', async (env) => {
      serveCounter(env, Infinity, log, 10);
      env.network.serve('echo', async (request) => request);
      await forever(env);
    });
    for (const name of ['client', 'bystander']) {
      kernel.spawn(name, async (env) => {
        const stream: RemoteStream<number> = await env.network.openStream<number>('counter', name);
        outcomes[name] = await caught(
          (async () => {
            for await (const _ of stream) if (env.clock.now() > T0 + 200) return;
          })(),
        );
        if (name === 'client') after = await env.network.call('echo', 'still up');
      });
    }
    let broken = -1;
    kernel.at(T0 + 50, () => (broken = kernel.resetStreams(['client'], ['server'])));
    await kernel.run({ until: T0 + 1000 });
    expect(broken).toBe(1);
    expect(codeOf(outcomes.client)).toBe('closed');
    expect(outcomes.bystander).toBeUndefined();
    expect(after).toBe('still up');
    expect(log[0]).toBe('onClose');
    expect(kernel.trace.entries.filter((e) => e.k === 'break' && e.why === 'reset').map((e) => e.k === 'break' && e.client)).toEqual(['client']);
    expect(kernel.trace.entries.filter((e) => e.k === 'reset')).toEqual([{ t: T0 + 50, k: 'reset', a: ['client'], b: ['server'] }]);
  });

  it('a plain call that gets a stream reply receives a RemoteStream', async () => {
    const kernel = new SimKernel({ seed: 24 });
    const got: number[] = [];
    kernel.spawn('server', async (env) => {
      serveCounter(env, 3, []);
      await forever(env);
    });
    kernel.spawn('client', async (env) => {
      const stream = await env.network.call<RemoteStream<number>>('counter', null);
      for await (const n of stream) got.push(n);
    });
    await kernel.run({ until: T0 + 1000 });
    expect(got).toEqual([1, 2, 3]);
  });
});

describe('harness faults and the trace', () => {
  it('at/after run at their virtual times; a throwing fault ends the run', async () => {
    const kernel = new SimKernel({ seed: 25 });
    const times: number[] = [];
    kernel.at(T0 + 30, () => times.push(kernel.now()));
    kernel.after(10, () => times.push(kernel.now()));
    await kernel.run();
    expect(times).toEqual([T0 + 10, T0 + 30]);
    kernel.after(5, () => {
      throw new Error('harness bug');
    });
    await expect(kernel.run()).rejects.toThrow('harness bug');
  });

  it('records network controls and notes, and hashes the trace', async () => {
    const kernel = new SimKernel({ seed: 26 });
    kernel.setDropRate(0.5);
    kernel.setDelay(2, 4);
    kernel.annotate('hello');
    expect(kernel.trace.entries).toEqual([
      { t: T0, k: 'drop-rate', p: 0.5 },
      { t: T0, k: 'delay', min: 2, max: 4 },
      { t: T0, k: 'note', text: 'hello' },
    ]);
    expect(kernel.trace.hash()).toMatch(/^[0-9a-f]{64}$/);
    expect(() => kernel.setDropRate(2)).toThrow(RangeError);
    expect(() => kernel.setDelay(5, 1)).toThrow(RangeError);
  });
});
