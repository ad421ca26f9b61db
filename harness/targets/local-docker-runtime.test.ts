// The harness's view of a Docker-backed cluster against a real Docker Engine (skipped with a
// message without one, failed in CI): containers labelled as the cluster's kubelets label
// them are listed from the engine, killed as `docker kill` kills, outlive a lost machine and
// die with a powered-off one, and are all removed by the cluster's label — another
// cluster's never touched.

import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_LABEL, DockerRuntime, NODE_LABEL } from '../../impl/runtime/docker/index.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../../impl/runtime/runtime.js';
import { ensureImages } from '../../specs/support/docker.js';
import { realPart } from '../../specs/support/real-parts.js';
import { LocalDockerRuntime } from './local-docker-runtime.js';

const docker = new Docker();
const haveEngine = realPart(
  'Docker Engine',
  await DockerRuntime.reachable(docker),
  'apt-get install docker.io and start dockerd --bridge=none --iptables=false --ip-masq=false',
);
const CLUSTER = `kubeprop-local-runtime-test-${randomBytes(4).toString('hex')}`;
const OTHER = `${CLUSTER}-other`;

/** Starts an idle container as a kubelet of `cluster` would label it; returns its containerID. */
async function podContainer(cluster: string, node: string, namespace: string, pod: string): Promise<string> {
  const c = await docker.createContainer({
    Image: 'busybox',
    Cmd: ['sleep', '600'],
    Labels: {
      [CLUSTER_LABEL]: cluster,
      [NODE_LABEL]: node,
      [POD_NAMESPACE_LABEL]: namespace,
      [POD_NAME_LABEL]: pod,
      [POD_UID_LABEL]: `uid-${pod}`,
      [CONTAINER_NAME_LABEL]: 'main',
    },
    HostConfig: { NetworkMode: 'none', Init: true },
  });
  await c.start();
  return `docker://${c.id}`;
}

async function removeCluster(cluster: string): Promise<void> {
  for (const c of await docker.listContainers({ all: true, filters: { label: [`${CLUSTER_LABEL}=${cluster}`] } })) {
    await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
}

describe.skipIf(!haveEngine)('LocalDockerRuntime', () => {
  const runtime = new LocalDockerRuntime(CLUSTER, docker);
  let a1: string;
  let a2: string;
  let b1: string;
  let other: string;

  beforeAll(async () => {
    await ensureImages(['busybox']);
    a1 = await podContainer(CLUSTER, 'node-1', 'ns-a', 'web-1');
    a2 = await podContainer(CLUSTER, 'node-2', 'ns-a', 'web-2');
    b1 = await podContainer(CLUSTER, 'node-1', 'ns-b', 'db-1');
    other = await podContainer(OTHER, 'node-1', 'ns-a', 'web-1');
  }, 120_000);

  afterAll(async () => {
    await removeCluster(CLUSTER);
    await removeCluster(OTHER);
  });

  it("lists a namespace's containers on the given nodes from the engine, with their pods", async () => {
    expect(await runtime.containers('ns-a', ['node-1', 'node-2'])).toEqual(
      [
        { node: 'node-1', containerId: a1, running: true, container: 'main', pod: { namespace: 'ns-a', name: 'web-1', uid: 'uid-web-1' } },
        { node: 'node-2', containerId: a2, running: true, container: 'main', pod: { namespace: 'ns-a', name: 'web-2', uid: 'uid-web-2' } },
      ].sort((x, y) => x.node.localeCompare(y.node) || x.containerId.localeCompare(y.containerId)),
    );
    expect((await runtime.containers('ns-a', ['node-2'])).map((c) => c.containerId)).toEqual([a2]);
    expect((await runtime.containers(undefined, ['node-1'])).map((c) => c.containerId).sort()).toEqual([a1, b1].sort());
  });

  it("kills a running container of the cluster as docker kill does, and nothing that is not one", async () => {
    expect(await runtime.killContainer(other)).toBe(false);
    expect(await runtime.killContainer('process://1')).toBe(false);
    expect(await runtime.killContainer(`docker://${'0'.repeat(64)}`)).toBe(false);
    expect(await runtime.killContainer(b1)).toBe(true);
    const killed = await docker.getContainer(b1.slice('docker://'.length)).inspect();
    expect(killed.State.Running).toBe(false);
    // SIGKILL: 128 + 9.
    expect(killed.State.ExitCode).toBe(137);
    expect(await runtime.killContainer(b1)).toBe(false);
    expect((await runtime.containers('ns-b', ['node-1']))[0]?.running).toBe(false);
    expect((await docker.getContainer(other.slice('docker://'.length)).inspect()).State.Running).toBe(true);
  });

  it('leaves a lost machine\'s containers running and kills a powered-off one\'s', async () => {
    expect(await runtime.machineDown('node-1', 'lost')).toBe('1 container left running in the engine');
    expect((await runtime.containers('ns-a', ['node-1']))[0]?.running).toBe(true);
    expect(await runtime.machineDown('node-1', 'power-off')).toBe('1 container killed in the engine');
    expect((await runtime.containers('ns-a', ['node-1']))[0]?.running).toBe(false);
    // Kept, exited, as a rebooted Docker host keeps them; other nodes and clusters untouched.
    expect((await runtime.containers('ns-a', ['node-2']))[0]?.running).toBe(true);
    expect((await docker.getContainer(other.slice('docker://'.length)).inspect()).State.Running).toBe(true);
  });

  it("removes every container of the cluster, running or not, and no other cluster's", async () => {
    expect(await runtime.removeAll()).toBe(3);
    expect(await runtime.containers(undefined, ['node-1', 'node-2'])).toEqual([]);
    expect(await runtime.removeAll()).toBe(0);
    expect((await docker.getContainer(other.slice('docker://'.length)).inspect()).State.Running).toBe(true);
  });
});
