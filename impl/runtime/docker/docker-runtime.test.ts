// The Docker runtime against a real Docker Engine (skipped with a message without one, failed
// in CI): the shared ContainerRuntime contract, then what is Docker's own — names, labels and
// network mode as the engine shows them, kills through the engine, node scoping on one engine.

import Docker from 'dockerode';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { realPart } from '../../../specs/support/real-parts.js';
import { describeRuntimeContract, type RuntimeContractWorld } from '../runtime-contract.testing.js';
import {
  CONTAINER_NAME_LABEL,
  ContainerNotFoundError,
  ImagePullError,
  POD_NAME_LABEL,
  POD_NAMESPACE_LABEL,
  POD_UID_LABEL,
  RESTART_COUNT_LABEL,
  type ContainerRuntime,
  type ContainerSpec,
  type RuntimeEvent,
} from '../runtime.js';
import { CLUSTER_LABEL, NODE_LABEL } from './container-names.js';
import { DockerRuntime } from './docker-runtime.js';

const docker = new Docker();
const haveEngine = realPart(
  'Docker Engine',
  await DockerRuntime.reachable(docker),
  'apt-get install docker.io and start dockerd --bridge=none --iptables=false --ip-masq=false',
);
/** Every runtime of these tests lives in this cluster, on nodes of random names. */
const CLUSTER = 'kubeprop-runtime-tests';
const BUILD_IMAGES = fileURLToPath(new URL('../../../scripts/build-images.sh', import.meta.url));
const IMAGES = ['busybox:1.36', 'busybox:latest', 'nginx:1.27'];

beforeAll(async () => {
  if (!haveEngine) return;
  const missing = (await Promise.all(IMAGES.map(async (i) => ((await docker.getImage(i).inspect().then(() => true, () => false)) ? undefined : i)))).filter((i) => i);
  if (missing.length > 0) await execa('bash', [BUILD_IMAGES], { stdio: 'inherit' });
});

const opened: DockerRuntime[] = [];

async function open(node = `test-${randomBytes(4).toString('hex')}`, cluster = CLUSTER): Promise<DockerRuntime> {
  const runtime = await DockerRuntime.open({ node, cluster });
  opened.push(runtime);
  return runtime;
}

async function closeAll(): Promise<void> {
  for (const r of opened.splice(0)) await r.close({ removeContainers: true });
}

const engineIdOf = (id: string) => id.slice('docker://'.length);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const world: RuntimeContractWorld = {
  open: () => open(),
  async reopen(runtime: ContainerRuntime) {
    const old = runtime as DockerRuntime;
    // A kubelet restart: the old runtime stops watching, its containers run on.
    await old.close();
    return open(old.node, old.cluster);
  },
  // `docker kill`, from outside the kubelet and its runtime.
  async killFromOutside(_runtime, id) {
    await execa('docker', ['kill', engineIdOf(id)]);
  },
  sleep,
  now: () => Date.now(),
  cleanup: closeAll,
};

describeRuntimeContract('the Docker runtime', world, { enabled: haveEngine });

function podSpec(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    name: 'app',
    image: 'busybox:1.36',
    command: ['sleep', '1000'],
    labels: {
      [POD_NAMESPACE_LABEL]: 'shop',
      [POD_NAME_LABEL]: 'cart-5d9f7-abcde',
      [POD_UID_LABEL]: 'c0ffee00-0000-4000-8000-000000000001',
      [CONTAINER_NAME_LABEL]: 'app',
      [RESTART_COUNT_LABEL]: '0',
    },
    ...overrides,
  };
}

describe.runIf(haveEngine)("the Docker runtime: what is Docker's own", () => {
  afterEach(closeAll);

  it('names and labels containers as a Docker-backed kubelet does, with network mode none', async () => {
    const runtime = await open();
    expect(runtime.version).toMatch(/^docker:\/\/\d+\.\d+/);
    const id = await runtime.createContainer(podSpec());
    expect(id).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    const raw = await docker.getContainer(engineIdOf(id)).inspect();
    expect(raw.Name).toBe('/k8s_app_cart-5d9f7-abcde_shop_c0ffee00-0000-4000-8000-000000000001_0');
    expect(raw.Config.Labels).toMatchObject({ ...podSpec().labels, [NODE_LABEL]: runtime.node, [CLUSTER_LABEL]: CLUSTER });
    expect(raw.HostConfig.NetworkMode).toBe('none');
    expect(raw.Config.Hostname).toBe('cart-5d9f7-abcde');
    await runtime.startContainer(id);
    const running = await docker.getContainer(engineIdOf(id)).inspect();
    expect(running.State.Running).toBe(true);
    // No interface but loopback.
    expect(Object.keys(running.NetworkSettings.Networks)).toEqual(['none']);
    expect(running.NetworkSettings.Networks.none?.IPAddress).toBe('');
    const { stdout } = await execa('docker', ['ps', '--filter', `label=${NODE_LABEL}=${runtime.node}`, '--format', '{{.ID}} {{.Label "io.kubernetes.pod.name"}}']);
    expect(stdout).toBe(`${engineIdOf(id).slice(0, 12)} cart-5d9f7-abcde`);
  });

  it("kills through the engine (as docker kill does): exit 137 arrives as an event", async () => {
    const runtime = await open();
    const events: RuntimeEvent[] = [];
    runtime.subscribe((e) => events.push(e));
    const id = await runtime.createContainer(podSpec());
    await runtime.startContainer(id);
    await waitFor('the started event', () => events.find((e) => e.id === id && e.type === 'started'));
    const t = Date.now();
    await runtime.kill(id);
    const exit = await waitFor('the exited event', () => events.find((e) => e.id === id && e.type === 'exited'));
    expect(Date.now() - t).toBeLessThan(2_000);
    expect(exit).toMatchObject({ exitCode: 137, labels: { [POD_UID_LABEL]: podSpec().labels[POD_UID_LABEL] } });
    expect(await runtime.inspect(id)).toMatchObject({ state: 'exited', exitCode: 137, signal: 9 });
    // Killing it again is no fault.
    await runtime.kill(id);
  });

  it('forgets a container removed from outside (docker rm), though its exit was known', async () => {
    const runtime = await open();
    const id = await runtime.createContainer(podSpec({ command: ['true'] }));
    await runtime.startContainer(id);
    await waitFor('the exit', async () => ((await runtime.inspect(id))?.state === 'exited' ? true : undefined));
    await execa('docker', ['rm', engineIdOf(id)]);
    await waitFor('the container to be forgotten', async () => ((await runtime.inspect(id)) === undefined ? true : undefined), 2_000);
    await expect(runtime.logs(id)).rejects.toBeInstanceOf(ContainerNotFoundError);
  });

  it('fails a pull of an image the engine lacks, as a registry without it would, and never creates from one', async () => {
    const runtime = await open();
    const error = await runtime.pullImage('kubeprop/does-not-exist:1.0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagePullError);
    expect((error as ImagePullError).message).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/kubeprop/does-not-exist:1.0": failed to resolve reference "docker.io/kubeprop/does-not-exist:1.0": docker.io/kubeprop/does-not-exist:1.0: not found',
    );
    expect(await runtime.hasImage('')).toBe(false);
    expect(await runtime.hasImage('Not A Reference')).toBe(false);
    await expect(runtime.createContainer(podSpec({ image: 'kubeprop/does-not-exist:1.0' }))).rejects.toThrow(/not present/);
    expect(await runtime.listContainers()).toEqual([]);
  });

  it("keeps nodes apart on one engine: another node's (or cluster's) containers are invisible", async () => {
    const a = await open();
    const b = await open();
    const sameNameOtherCluster = await open(a.node, `${CLUSTER}-other`);
    const bEvents: RuntimeEvent[] = [];
    b.subscribe((e) => bEvents.push(e));
    const id = await a.createContainer(podSpec());
    await a.startContainer(id);
    for (const other of [b, sameNameOtherCluster]) {
      expect(await other.listContainers()).toEqual([]);
      expect(await other.listContainers({ [POD_UID_LABEL]: podSpec().labels[POD_UID_LABEL] ?? '' })).toEqual([]);
      expect(await other.inspect(id)).toBeUndefined();
      await expect(other.stopContainer(id, 0)).rejects.toBeInstanceOf(ContainerNotFoundError);
      await expect(other.logs(id)).rejects.toBeInstanceOf(ContainerNotFoundError);
      await other.removeContainer(id);
    }
    expect((await a.inspect(id))?.state).toBe('running');
    await a.stopContainer(id, 5);
    await sleep(300);
    expect(bEvents).toEqual([]);
    // Closing one node with removeContainers takes only its own.
    const bId = await b.createContainer(podSpec());
    await a.close({ removeContainers: true });
    expect(await docker.getContainer(engineIdOf(id)).inspect().then(() => 'present', () => 'gone')).toBe('gone');
    expect((await b.inspect(bId))?.state).toBe('created');
  });

  it('keeps both containers when a name is taken (a kubelet that died between create and record)', async () => {
    const runtime = await open();
    const first = await runtime.createContainer(podSpec());
    const second = await runtime.createContainer(podSpec());
    expect(second).not.toBe(first);
    const name = (await docker.getContainer(engineIdOf(second)).inspect()).Name;
    expect(name).toMatch(/^\/k8s_app_cart-5d9f7-abcde_shop_c0ffee00-0000-4000-8000-000000000001_0_[0-9a-f]{8}$/);
    expect((await runtime.listContainers()).length).toBe(2);
  });

  it('leaves a never-started container created when stopped, and removes it', async () => {
    const runtime = await open();
    const id = await runtime.createContainer(podSpec());
    await runtime.stopContainer(id, 1);
    expect((await runtime.inspect(id))?.state).toBe('created');
    await runtime.removeContainer(id);
    expect(await runtime.inspect(id)).toBeUndefined();
  });
});
