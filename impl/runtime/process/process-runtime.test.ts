import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { realPart } from '../../../specs/support/real-parts.js';
import { ImagePullError, POD_UID_LABEL, type ContainerRuntime, type RuntimeEvent } from '../runtime.js';
import { ProcessRuntime } from './process-runtime.js';

const haveBusybox = realPart('busybox-static (/bin/busybox)', ProcessRuntime.available(), 'apt-get install busybox-static');

const opened: ProcessRuntime[] = [];
const dirs: string[] = [];

async function open(dataDir?: string): Promise<{ runtime: ProcessRuntime; dataDir: string }> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'kubeprop-process-runtime-'));
  if (!dataDir) dirs.push(dir);
  const runtime = await ProcessRuntime.open({ dataDir: dir, pollMs: 20 });
  opened.push(runtime);
  return { runtime, dataDir: dir };
}

afterEach(async () => {
  for (const r of opened.splice(0)) await r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function run(runtime: ContainerRuntime, command: string[], labels: Record<string, string> = {}): Promise<string> {
  const id = await runtime.createContainer({ name: 'c', image: 'busybox:1.36', command, labels: { [POD_UID_LABEL]: 'uid-1', ...labels } });
  await runtime.startContainer(id);
  return id;
}

const exitedInfo = (runtime: ContainerRuntime, id: string) => waitFor(`${id} to exit`, async () => {
  const i = await runtime.inspect(id);
  return i?.state === 'exited' ? i : undefined;
});

describe.runIf(haveBusybox)('the process runtime (real processes under busybox-static)', () => {
  it('creates a stopped process (its pid is the containerID), starts it, and records its exit code and output', async () => {
    const { runtime } = await open();
    const events: RuntimeEvent[] = [];
    runtime.subscribe((e) => events.push(e));
    const id = await runtime.createContainer({ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hello; echo oops >&2; exit 3'], labels: { [POD_UID_LABEL]: 'u' } });
    expect(id).toMatch(/^process:\/\/\d+$/);
    expect((await runtime.inspect(id))?.state).toBe('created');
    await runtime.startContainer(id);
    const info = await exitedInfo(runtime, id);
    expect(info).toMatchObject({ exitCode: 3, reason: 'Error', state: 'exited', labels: { [POD_UID_LABEL]: 'u' } });
    expect(info.imageID).toMatch(/^docker.io\/library\/busybox@sha256:/);
    expect(info.finishedAt).toBeGreaterThanOrEqual(info.startedAt ?? 0);
    expect(await runtime.logs(id)).toBe('hello\noops\n');
    expect(await runtime.logs(id, { tailLines: 1 })).toBe('oops\n');
    expect(events.map((e) => e.type)).toEqual(['started', 'exited']);
    expect(events[1]?.exitCode).toBe(3);
  });

  it('detects a kill -9 from outside: exit 137, signal 9', async () => {
    const { runtime } = await open();
    const id = await run(runtime, ['sleep', 'infinity']);
    expect((await runtime.inspect(id))?.state).toBe('running');
    const pid = id.slice('process://'.length);
    expect(spawnSync('kill', ['-9', pid]).status).toBe(0);
    expect(await exitedInfo(runtime, id)).toMatchObject({ exitCode: 137, signal: 9, reason: 'Error' });
  });

  it('stops with SIGTERM, or SIGKILL after the grace period when SIGTERM is trapped', async () => {
    const { runtime } = await open();
    const polite = await run(runtime, ['sleep', '1000']);
    let t = Date.now();
    await runtime.stopContainer(polite, 10);
    expect(Date.now() - t).toBeLessThan(2_000);
    expect((await runtime.inspect(polite))?.exitCode).toBe(143);
    const stubborn = await run(runtime, ['sh', '-c', "trap '' TERM; sleep 1000"]);
    await new Promise((r) => setTimeout(r, 100));
    t = Date.now();
    await runtime.stopContainer(stubborn, 1);
    expect(Date.now() - t).toBeGreaterThanOrEqual(900);
    expect((await runtime.inspect(stubborn))?.exitCode).toBe(137);
  });

  it('runs idle images with no command, and refuses unknown images as a failed pull', async () => {
    const { runtime } = await open();
    const id = await runtime.createContainer({ name: 'web', image: 'nginx:1.27', labels: {} });
    await runtime.startContainer(id);
    await new Promise((r) => setTimeout(r, 200));
    expect((await runtime.inspect(id))?.state).toBe('running');
    await expect(runtime.pullImage('example.com/private/app:v1')).rejects.toBeInstanceOf(ImagePullError);
    await expect(runtime.pullImage('example.com/private/app:v1')).rejects.toThrow(/not found/);
    expect(await runtime.hasImage('busybox:1.36')).toBe(true);
    expect(await runtime.hasImage('nosuch')).toBe(false);
  });

  it('follows a log until the container exits', async () => {
    const { runtime } = await open();
    const id = await run(runtime, ['sh', '-c', 'for i in 1 2 3; do echo tick $i; sleep 0.2; done']);
    const stream = await runtime.followLogs(id);
    let text = '';
    for await (const chunk of stream) text += chunk;
    expect(text).toBe('tick 1\ntick 2\ntick 3\n');
  });

  it('is adopted by a new runtime on the same data directory: live processes, exits while nobody watched, and later exits', async () => {
    const first = await open();
    const alive = await run(first.runtime, ['sleep', 'infinity'], { which: 'alive' });
    const dies = await run(first.runtime, ['sh', '-c', 'sleep 0.3; exit 7'], { which: 'dies' });
    // The old runtime goes away (a kubelet restart) without touching its containers.
    await first.runtime.close({ killContainers: false });
    await new Promise((r) => setTimeout(r, 600));
    const second = await open(first.dataDir);
    dirs.push(first.dataDir);
    const all = await second.runtime.listContainers({ [POD_UID_LABEL]: 'uid-1' });
    expect(all.map((c) => [c.labels.which, c.state, c.exitCode]).sort()).toEqual([
      ['alive', 'running', undefined],
      ['dies', 'exited', 7],
    ]);
    expect((await second.runtime.inspect(alive))?.id).toBe(alive);
    expect(dies).not.toBe(alive);
    spawnSync('kill', ['-9', alive.slice('process://'.length)]);
    expect(await exitedInfo(second.runtime, alive)).toMatchObject({ exitCode: 137 });
    await second.runtime.removeContainer(alive);
    expect(await second.runtime.inspect(alive)).toBeUndefined();
  });

  it('kills its containers on close', async () => {
    const { runtime } = await open();
    const id = await run(runtime, ['sleep', 'infinity']);
    const pid = Number(id.slice('process://'.length));
    await runtime.close();
    await waitFor('the process to die', async () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    });
  });
});
