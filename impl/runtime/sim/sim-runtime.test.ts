import { describe, expect, it } from 'vitest';
import { SimKernel } from '../../sim/index.js';
import { ImagePullError, POD_UID_LABEL, type RuntimeEvent } from '../runtime.js';
import type { RuntimeObservation } from './sim-node-runtime.js';
import { spawnSimNode } from './sim-node.js';
import { SimRuntimeClient } from './sim-runtime-client.js';

/** A node and a "kubelet" process that uses its runtime over the sim network. */
function setup(seed = 1) {
  const kernel = new SimKernel({ seed });
  const node = spawnSimNode((n, m) => kernel.spawn(n, m), { node: 'n1' });
  return { kernel, node };
}

describe('the simulated runtime', () => {
  it('runs containers on virtual time, over the network, with exits as events', async () => {
    const { kernel } = setup();
    const events: RuntimeEvent[] = [];
    const out: Record<string, unknown> = {};
    kernel.spawn('kubelet/n1', async (env) => {
      const rt = new SimRuntimeClient(env, 'n1');
      rt.subscribe((e) => events.push(e));
      await env.timers.sleep(10);
      const id = await rt.createContainer({ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hi; sleep 30; echo bye; exit 4'], labels: { [POD_UID_LABEL]: 'u' } });
      await rt.startContainer(id);
      const startedAt = env.clock.now();
      const follow = await rt.followLogs(id);
      let text = '';
      for await (const chunk of follow) text += chunk;
      out.followed = text;
      out.took = env.clock.now() - startedAt;
      out.info = await rt.inspect(id);
      out.list = (await rt.listContainers({ [POD_UID_LABEL]: 'u' })).length;
      out.none = (await rt.listContainers({ [POD_UID_LABEL]: 'other' })).length;
      try {
        await rt.pullImage('nosuch:1');
      } catch (e) {
        out.pullError = e instanceof ImagePullError ? e.message : String(e);
      }
    });
    await kernel.run({ until: kernel.now() + 120_000 });
    expect(out.followed).toBe('hi\nbye\n');
    expect(out.took).toBeGreaterThanOrEqual(30_000);
    expect(out.took).toBeLessThan(30_100);
    expect(out.info).toMatchObject({ state: 'exited', exitCode: 4, reason: 'Error' });
    expect(out.list).toBe(1);
    expect(out.none).toBe(0);
    expect(out.pullError).toMatch(/^rpc error: code = NotFound/);
    expect(events.map((e) => e.type)).toEqual(['started', 'exited']);
  });

  it('keeps containers running when the kubelet dies, and loses them with the node', async () => {
    const { kernel, node } = setup();
    let id = '';
    kernel.spawn('kubelet/n1', async (env) => {
      const rt = new SimRuntimeClient(env, 'n1');
      id = await rt.createContainer({ name: 'c', image: 'busybox', labels: {} });
      await rt.startContainer(id);
    });
    await kernel.run({ until: kernel.now() + 1_000 });
    kernel.process('kubelet/n1')?.kill();
    await kernel.run({ until: kernel.now() + 60_000 });
    const runtime = await node.runtime;
    expect(runtime.inspect(id)?.state).toBe('running');
    node.handle.kill();
    await kernel.run({ until: kernel.now() + 1_000 });
    expect(runtime.running).toBe(false);
    expect(runtime.inspect(id)?.state).toBe('exited');
  });

  it('fault hooks: SIGKILL exits 137, SIGTERM 143 unless trapped, crash with any code', async () => {
    const { kernel, node } = setup();
    await kernel.run({ until: kernel.now() + 10 });
    const rt = await node.runtime;
    const start = (command: string[]) => {
      const id = rt.createContainer({ name: 'c', image: 'busybox', command, labels: {} });
      rt.startContainer(id);
      return id;
    };
    const a = start(['sleep', 'infinity']);
    const b = start(['sh', '-c', "trap '' TERM; sleep infinity"]);
    const c = start(['sleep', 'infinity']);
    rt.kill(a, 'SIGKILL');
    rt.kill(b, 'SIGTERM');
    rt.crash(c, 42);
    expect(rt.inspect(a)).toMatchObject({ exitCode: 137, signal: 9 });
    expect(rt.inspect(b)?.state).toBe('running');
    expect(rt.inspect(c)).toMatchObject({ exitCode: 42, reason: 'Error' });
    let stopped = false;
    void rt.stopContainer(b, 5).then(() => (stopped = true));
    await kernel.run({ until: kernel.now() + 4_900 });
    expect(stopped).toBe(false);
    await kernel.run({ until: kernel.now() + 200 });
    expect(stopped).toBe(true);
    expect(rt.inspect(b)?.exitCode).toBe(137);
  });

  it('shows an onlooker every signal, by whom it was asked, and the containers that die with the machine', async () => {
    const { kernel, node } = setup();
    await kernel.run({ until: kernel.now() + 10 });
    const rt = await node.runtime;
    const seen: RuntimeObservation[] = [];
    rt.observe((o) => seen.push(o));
    const start = (command: string[]) => {
      const id = rt.createContainer({ name: 'c', image: 'busybox', command, labels: { [POD_UID_LABEL]: 'u' } });
      rt.startContainer(id);
      return id;
    };
    const trapped = start(['sh', '-c', "trap '' TERM; sleep infinity"]);
    const killed = start(['sleep', 'infinity']);
    const lost = start(['sleep', 'infinity']);
    const t0 = kernel.now();
    void rt.stopContainer(trapped, 2);
    rt.kill(killed, 'SIGKILL');
    await kernel.run({ until: t0 + 3_000 });
    node.handle.kill();
    await kernel.run({ until: kernel.now() + 10 });
    expect(seen.map((o) => [o.type, o.id, o.at - t0, o.type === 'killed' ? `${o.signal} ${o.request}` : o.exitCode])).toEqual([
      ['killed', trapped, 0, '15 stop'],
      ['killed', killed, 0, '9 kill'],
      ['killed', trapped, 2_000, '9 stop'],
      ['exited', lost, 3_000, 137],
    ]);
    expect(seen[0]?.labels).toEqual({ [POD_UID_LABEL]: 'u' });
  });
});
