// Live mode's Env: real time and timers, the in-process network, and kill and close
// cancelling what a process holds. Waits are kept to tens of milliseconds.

import { afterEach, describe, expect, it } from 'vitest';
import type { Env } from './env.js';
import { createLiveEnv, type LiveEnv } from './live.js';
import { NetworkError, streamReply } from './network.js';

const worlds: LiveEnv[] = [];
function world(options: Parameters<typeof createLiveEnv>[0] = {}): LiveEnv {
  const env = createLiveEnv(options);
  worlds.push(env);
  return env;
}
afterEach(() => {
  for (const env of worlds.splice(0)) env.close();
});

const forever = (env: Env): Promise<void> => env.timers.sleep(Infinity);

describe('createLiveEnv', () => {
  it('uses the wall clock and real timers', async () => {
    const env = world();
    const before = env.clock.now();
    expect(Math.abs(before - Date.now())).toBeLessThan(50);
    await env.timers.sleep(30);
    expect(env.clock.now() - before).toBeGreaterThanOrEqual(25);
  });

  it('seeds Random from the given seed, and names its process', () => {
    const a = world({ seed: 42, process: 'kubelet' });
    const b = world({ seed: 42 });
    expect(a.seed).toBe(42);
    expect(a.process).toBe('kubelet');
    expect(b.process).toBe('main');
    expect([a.random.uint32(), a.random.uint32()]).toEqual([b.random.uint32(), b.random.uint32()]);
    expect(typeof world().seed).toBe('number');
  });

  it('serves calls and one-way messages between its processes, with copied payloads', async () => {
    const env = world();
    const heard: unknown[] = [];
    env.spawn('server', async (server) => {
      server.network.serve('rpc', async (request, from) => ({ echo: request, from }));
      server.network.listen('inbox', (message) => heard.push(message));
      await forever(server);
    });
    await env.timers.sleep(5);
    const message = { n: 1 };
    env.network.send('inbox', message);
    message.n = 2;
    expect(await env.network.call('rpc', 'hi')).toEqual({ echo: 'hi', from: 'main' });
    expect(heard).toEqual([{ n: 1 }]);
    await expect(env.network.call('nobody', 1)).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('times a call out on the real clock', async () => {
    const env = world();
    env.spawn('slow', async (server) => {
      server.network.serve('slow', () => new Promise(() => {}));
      await forever(server);
    });
    await env.timers.sleep(5);
    const started = Date.now();
    await expect(env.network.call('slow', 1, { timeoutMs: 30 })).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('streams items in order and runs onClose when the caller closes', async () => {
    const env = world();
    let closed = false;
    env.spawn('watch', async (server) => {
      server.network.serve('watch', async () =>
        streamReply(
          (async function* () {
            for (let i = 1; ; i++) {
              await server.timers.sleep(1);
              yield i;
            }
          })(),
          () => (closed = true),
        ),
      );
      await forever(server);
    });
    await env.timers.sleep(5);
    const got: number[] = [];
    for await (const n of await env.network.openStream<number>('watch', null)) {
      got.push(n);
      if (n === 5) break;
    }
    expect(got).toEqual([1, 2, 3, 4, 5]);
    await env.timers.sleep(10);
    expect(closed).toBe(true);
  });

  it('kill cancels timers, sleeps and listeners, and breaks streams', async () => {
    const env = world();
    const log: string[] = [];
    const victim = env.spawn('victim', async (v) => {
      v.timers.setTimer(20, () => log.push('timer'));
      v.network.serve('victim', async () =>
        streamReply(
          (async function* () {
            for (;;) {
              await v.timers.sleep(1);
              yield 1;
            }
          })(),
        ),
      );
      await v.timers.sleep(20);
      log.push('woke');
    });
    await env.timers.sleep(5);
    const stream = await env.network.openStream('victim', null);
    victim.kill();
    expect(await victim.exited).toEqual({ kind: 'killed' });
    const outcome = await (async () => {
      try {
        for await (const _ of stream);
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(outcome).toBeInstanceOf(NetworkError);
    expect((outcome as NetworkError).code).toBe('closed');
    await expect(env.network.call('victim', 1)).rejects.toMatchObject({ code: 'unreachable' });
    await env.timers.sleep(40);
    expect(log).toEqual([]);
  });

  it('close() ends every process of the world, the root included', async () => {
    const env = createLiveEnv();
    const ticks: number[] = [];
    const child = env.spawn('child', async (c) => {
      c.timers.setTimer(10, () => ticks.push(1));
      await forever(c);
    });
    await env.timers.sleep(1);
    env.close();
    expect(child.alive).toBe(false);
    // The root is dead too: its awaits never resume, so watch from outside it.
    let rootWoke = false;
    void env.timers.sleep(0).then(() => (rootWoke = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(rootWoke).toBe(false);
    expect(ticks).toEqual([]);
  });
});
