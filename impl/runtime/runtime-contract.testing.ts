// The behaviour every ContainerRuntime owes the kubelet, as test cases any runtime's suite
// runs against itself: lifecycle and exit codes, stops with and without a trapped SIGTERM, a
// kill from outside, images, logs, listing by label, unknown ids, and adoption by a new
// runtime of the same node. Time comes from the world (real for process and docker, virtual
// for the sim), so the cases hold no clock of their own.

import { describe, expect, it } from 'vitest';
import { ContainerNotFoundError, ImagePullError, POD_UID_LABEL, type ContainerInfo, type ContainerRuntime, type ContainerSpec, type RuntimeEvent } from './runtime.js';

/** What a runtime's suite provides to run the contract. */
export interface RuntimeContractWorld {
  /** A runtime for a fresh node with no containers. */
  open(): Promise<ContainerRuntime>;
  /**
   * A second runtime of the same node, after `runtime` went away without touching its
   * containers (a kubelet restart). Runtimes without adoption leave it out.
   */
  reopen?(runtime: ContainerRuntime): Promise<ContainerRuntime>;
  /** SIGKILL from outside the kubelet: `docker kill`, `kill -9`, the sim's fault hook. */
  killFromOutside(runtime: ContainerRuntime, id: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Closes every runtime opened and frees what they made (after each case). */
  cleanup(): Promise<void>;
}

export interface RuntimeContractCase {
  readonly name: string;
  /** Only for worlds that can reopen a node's runtime. */
  readonly needsReopen?: boolean;
  run(world: RuntimeContractWorld): Promise<void>;
}

const UID = 'contract-uid';

function spec(command: string[] | undefined, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return { name: 'c', image: 'busybox:1.36', ...(command ? { command } : {}), labels: { [POD_UID_LABEL]: UID }, ...extra };
}

async function waitFor<T>(world: RuntimeContractWorld, what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = world.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (world.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await world.sleep(20);
  }
}

async function run(runtime: ContainerRuntime, s: ContainerSpec): Promise<string> {
  const id = await runtime.createContainer(s);
  await runtime.startContainer(id);
  return id;
}

function exited(world: RuntimeContractWorld, runtime: ContainerRuntime, id: string): Promise<ContainerInfo> {
  return waitFor(world, `${id} to exit`, async () => {
    const i = await runtime.inspect(id);
    return i?.state === 'exited' ? i : undefined;
  });
}

function running(world: RuntimeContractWorld, runtime: ContainerRuntime, id: string): Promise<ContainerInfo> {
  return waitFor(world, `${id} to run`, async () => {
    const i = await runtime.inspect(id);
    return i?.state === 'running' ? i : undefined;
  });
}

export const RUNTIME_CONTRACT: readonly RuntimeContractCase[] = [
  {
    name: 'creates a container, starts it, and reports its exit code, times, output and events',
    async run(world) {
      const runtime = await world.open();
      const events: RuntimeEvent[] = [];
      runtime.subscribe((e) => events.push(e));
      const id = await runtime.createContainer(spec(['sh', '-c', 'echo hello; echo oops >&2; exit 3'], { labels: { [POD_UID_LABEL]: UID, role: 'first' } }));
      expect(id.startsWith(`${runtime.name}://`)).toBe(true);
      expect(await runtime.inspect(id)).toMatchObject({ id, name: 'c', image: 'busybox:1.36', state: 'created', labels: { [POD_UID_LABEL]: UID, role: 'first' } });
      await runtime.startContainer(id);
      const info = await exited(world, runtime, id);
      expect(info).toMatchObject({ exitCode: 3, reason: 'Error', state: 'exited' });
      expect(info.imageID).not.toBe('');
      expect(info.startedAt).toBeGreaterThanOrEqual(info.createdAt);
      expect(info.finishedAt).toBeGreaterThanOrEqual(info.startedAt ?? Infinity);
      // stdout and stderr are two pipes: their relative order is the runtime's (Docker copies them apart).
      const log = await runtime.logs(id);
      expect(log.split('\n').sort()).toEqual(['', 'hello', 'oops']);
      expect(['hello\n', 'oops\n']).toContain(await runtime.logs(id, { tailLines: 1 }));
      expect(await runtime.logs(id, { tailLines: 0 })).toBe('');
      const exit = await waitFor(world, 'the exited event', async () => events.find((e) => e.id === id && e.type === 'exited'));
      expect(exit).toMatchObject({ exitCode: 3, labels: { [POD_UID_LABEL]: UID } });
      expect(events.filter((e) => e.id === id).map((e) => e.type)).toEqual(['started', 'exited']);
    },
  },
  {
    name: 'reports exit 0 as Completed, passes the environment, and runs args alone as the command',
    async run(world) {
      const runtime = await world.open();
      const withEnv = await run(runtime, spec(['sh', '-c', 'echo "$GREETING"'], { env: { GREETING: 'hi there' } }));
      const argsOnly = await run(runtime, spec(undefined, { args: ['echo', 'args', 'only'] }));
      expect(await exited(world, runtime, withEnv)).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(await runtime.logs(withEnv)).toBe('hi there\n');
      expect(await exited(world, runtime, argsOnly)).toMatchObject({ exitCode: 0 });
      expect(await runtime.logs(argsOnly)).toBe('args only\n');
    },
  },
  {
    name: 'sees a SIGKILL from outside as exit 137 (signal 9), with an exited event',
    async run(world) {
      const runtime = await world.open();
      const events: RuntimeEvent[] = [];
      runtime.subscribe((e) => events.push(e));
      const id = await run(runtime, spec(['sleep', '1000']));
      await running(world, runtime, id);
      await world.killFromOutside(runtime, id);
      const exit = await waitFor(world, 'the exited event', async () => events.find((e) => e.id === id && e.type === 'exited'));
      expect(exit.exitCode).toBe(137);
      expect(await exited(world, runtime, id)).toMatchObject({ exitCode: 137, signal: 9, reason: 'Error' });
    },
  },
  {
    name: 'stops with SIGTERM (143), or with SIGKILL after the grace period (137) when SIGTERM is trapped',
    async run(world) {
      const runtime = await world.open();
      const polite = await run(runtime, spec(['sleep', '1000']));
      await running(world, runtime, polite);
      let t = world.now();
      await runtime.stopContainer(polite, 10);
      expect(world.now() - t).toBeLessThan(2_000);
      expect(await runtime.inspect(polite)).toMatchObject({ state: 'exited', exitCode: 143 });
      const stubborn = await run(runtime, spec(['sh', '-c', "trap '' TERM; sleep 1000"]));
      await running(world, runtime, stubborn);
      // Let the shell reach its trap before the signal comes.
      await world.sleep(200);
      t = world.now();
      await runtime.stopContainer(stubborn, 1);
      expect(world.now() - t).toBeGreaterThanOrEqual(900);
      expect(await runtime.inspect(stubborn)).toMatchObject({ state: 'exited', exitCode: 137 });
      // Stopping an exited container is done at once.
      t = world.now();
      await runtime.stopContainer(stubborn, 30);
      expect(world.now() - t).toBeLessThan(1_000);
    },
  },
  {
    name: 'runs an image with no command as an idle server; a missing image fails as a pull does',
    async run(world) {
      const runtime = await world.open();
      const id = await run(runtime, { name: 'web', image: 'nginx:1.27', labels: {} });
      await running(world, runtime, id);
      await world.sleep(300);
      expect((await runtime.inspect(id))?.state).toBe('running');
      expect(await runtime.hasImage('busybox:1.36')).toBe(true);
      expect(await runtime.hasImage('no-such-image:v1')).toBe(false);
      await expect(runtime.pullImage('busybox')).resolves.toBeUndefined();
      const pull = runtime.pullImage('example.invalid/private/app:v1');
      await expect(pull).rejects.toBeInstanceOf(ImagePullError);
      await expect(pull).rejects.toThrow(/failed to pull and unpack image "example.invalid\/private\/app:v1".*not found/);
    },
  },
  {
    name: 'follows a log until the container exits',
    async run(world) {
      const runtime = await world.open();
      const id = await run(runtime, spec(['sh', '-c', 'for i in 1 2 3; do echo tick $i; sleep 0.2; done']));
      const stream = await runtime.followLogs(id);
      let text = '';
      for await (const chunk of stream) text += chunk;
      expect(text).toBe('tick 1\ntick 2\ntick 3\n');
      // Followed after the exit: the log so far, then the end.
      const again = await runtime.followLogs(id, { tailLines: 1 });
      let tail = '';
      for await (const chunk of again) tail += chunk;
      expect(tail).toBe('tick 3\n');
    },
  },
  {
    name: 'lists containers by label and forgets removed ones (a running one is killed first)',
    async run(world) {
      const runtime = await world.open();
      const a = await run(runtime, spec(['sleep', '1000'], { labels: { [POD_UID_LABEL]: 'uid-a' } }));
      const b = await run(runtime, spec(['sleep', '1000'], { labels: { [POD_UID_LABEL]: 'uid-b' } }));
      expect((await runtime.listContainers({ [POD_UID_LABEL]: 'uid-a' })).map((c) => c.id)).toEqual([a]);
      expect((await runtime.listContainers()).map((c) => c.id).sort()).toEqual([a, b].sort());
      expect(await runtime.listContainers({ [POD_UID_LABEL]: 'uid-none' })).toEqual([]);
      await runtime.removeContainer(a);
      expect(await runtime.inspect(a)).toBeUndefined();
      expect((await runtime.listContainers()).map((c) => c.id)).toEqual([b]);
      await runtime.removeContainer(a);
    },
  },
  {
    name: 'answers calls about unknown containers: inspect gives nothing, the rest ContainerNotFoundError',
    async run(world) {
      const runtime = await world.open();
      const unknown = `${runtime.name}://0000000000000000`;
      expect(await runtime.inspect(unknown)).toBeUndefined();
      await expect(runtime.startContainer(unknown)).rejects.toBeInstanceOf(ContainerNotFoundError);
      await expect(runtime.logs(unknown)).rejects.toBeInstanceOf(ContainerNotFoundError);
      await expect(runtime.removeContainer(unknown)).resolves.toBeUndefined();
    },
  },
  {
    name: 'is adopted by a new runtime of the same node: live containers, exits nobody watched, later exits',
    needsReopen: true,
    async run(world) {
      const reopen = world.reopen;
      if (!reopen) throw new Error('this world cannot reopen a runtime');
      const first = await world.open();
      const alive = await run(first, spec(['sleep', '1000'], { labels: { [POD_UID_LABEL]: UID, which: 'alive' } }));
      const dies = await run(first, spec(['sh', '-c', 'sleep 0.3; exit 7'], { labels: { [POD_UID_LABEL]: UID, which: 'dies' } }));
      await running(world, first, alive);
      const second = await reopen.call(world, first);
      // Subscribed early: a runtime may need a moment to open its event stream.
      const events: RuntimeEvent[] = [];
      second.subscribe((e) => events.push(e));
      await world.sleep(600);
      const all = await second.listContainers({ [POD_UID_LABEL]: UID });
      expect(all.map((c) => [c.labels.which, c.state, c.exitCode]).sort()).toEqual([
        ['alive', 'running', undefined],
        ['dies', 'exited', 7],
      ]);
      expect((await second.inspect(alive))?.id).toBe(alive);
      expect(await second.inspect(dies)).toMatchObject({ state: 'exited', exitCode: 7 });
      await world.killFromOutside(second, alive);
      await waitFor(world, 'the exited event', async () => events.find((e) => e.id === alive && e.type === 'exited'));
      expect(await exited(world, second, alive)).toMatchObject({ exitCode: 137 });
      await second.removeContainer(alive);
      expect(await second.inspect(alive)).toBeUndefined();
    },
  },
];

/** Registers the contract as a vitest suite for a runtime that runs on wall-clock time. */
export function describeRuntimeContract(title: string, world: RuntimeContractWorld, options: { readonly enabled?: boolean } = {}): void {
  describe.runIf(options.enabled ?? true)(`${title}: the ContainerRuntime contract`, () => {
    for (const c of RUNTIME_CONTRACT) {
      it.skipIf(c.needsReopen === true && !world.reopen)(c.name, async () => {
        try {
          await c.run(world);
        } finally {
          await world.cleanup();
        }
      });
    }
  });
}
