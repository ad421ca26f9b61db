import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import { LEASES, NODES, PODS } from '../client/resources.js';
import { KubeletSim, createBound, podEvents, podManifest, waitForPod } from './testing/kubelet-sim.js';

let sim: KubeletSim | undefined;

async function world(seed = 1, extra: Partial<ConstructorParameters<typeof KubeletSim>[0]> = {}): Promise<KubeletSim> {
  sim = new KubeletSim({ seed, nodes: ['n1'], ...extra });
  await sim.start();
  return sim;
}

afterEach(() => {
  sim?.stop();
  sim = undefined;
});

const running = (p: Pod) => p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.state?.running !== undefined;

describe('the kubelet in the sim kernel', () => {
  it('registers its node: capacity, conditions, nodeInfo, addresses, endpoint; renews its lease', async () => {
    const s = await world();
    const { node, lease } = await s.drive(async (api, env) => {
      await env.timers.sleep(25_000);
      return { node: await api.get<Node>(NODES, undefined, 'n1'), lease: await api.get<Lease>(LEASES, 'kube-node-lease', 'n1') };
    });
    expect(node.status?.capacity).toMatchObject({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(node.status?.allocatable).toMatchObject({ cpu: '4', memory: '8Gi', pods: '110' });
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) expect(node.status?.conditions?.find((c) => c.type === type)?.status).toBe('False');
    expect(node.status?.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.0-kubeprop', containerRuntimeVersion: 'sim://0.1.0' });
    expect(node.status?.addresses).toEqual([
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: 'n1' },
    ]);
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(10250);
    expect(node.metadata?.labels).toMatchObject({ 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux' });
    expect(node.spec?.podCIDR).toBe('10.244.0.0/24');
    expect(lease.spec?.holderIdentity).toBe('n1');
    expect(lease.spec?.leaseDurationSeconds).toBe(40);
    // Renewed every 10 s: the last renewal is at most 10 s old.
    expect(s.kernel.now() - Date.parse(lease.spec?.renewTime ?? '')).toBeLessThanOrEqual(10_500);
    expect(lease.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: 'n1', uid: node.metadata?.uid });
    const events = await s.drive((api) => podEvents(api, 'n1'));
    expect(events.map((e) => [e.involvedObject.kind, e.reason, e.message])).toEqual([
      ['Node', 'Starting', 'Starting kubelet.'],
      ['Node', 'NodeReady', 'Node n1 status is now: NodeReady'],
    ]);
  });

  it('runs a bound pod: Pending → Running with IP, conditions, container status and events', async () => {
    const s = await world();
    const pod = await s.drive(async (api, env) => {
      await createBound(api, podManifest('web', { image: 'busybox:1.36', command: ['sleep', 'infinity'] }), 'n1');
      return waitForPod(api, env, 'web', running, 'Running');
    });
    expect(pod.status?.podIP).toBe('10.244.0.2');
    expect(pod.status?.podIPs).toEqual([{ ip: '10.244.0.2' }]);
    expect(pod.status?.hostIP).toBe('127.0.0.1');
    expect(pod.status?.startTime).toBeDefined();
    const types = Object.fromEntries((pod.status?.conditions ?? []).map((c) => [c.type, c.status]));
    expect(types).toEqual({ PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
    const cs = pod.status?.containerStatuses?.[0];
    expect(cs).toMatchObject({ name: 'c', ready: true, started: true, restartCount: 0, image: 'busybox:1.36', lastState: {} });
    expect(cs?.containerID).toMatch(/^sim:\/\//);
    expect(cs?.imageID).toMatch(/^docker.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    const phases = s.podHistory('web').map((r) => r.pod.status?.phase);
    expect(phases[0]).toBe('Pending');
    expect(phases[phases.length - 1]).toBe('Running');
    const events = await s.drive((api) => podEvents(api, 'web'));
    expect(events.map((e) => e.reason)).toEqual(['Pulled', 'Created', 'Started']);
    expect(events[0]?.message).toBe('Container image "busybox:1.36" already present on machine');
    expect(events.every((e) => e.source?.component === 'kubelet' && e.source.host === 'n1')).toBe(true);
    expect(events[1]?.involvedObject.fieldPath).toBe('spec.containers{c}');
  });

  it('pulls an untagged (Always) image with Pulling and Pulled events', async () => {
    const s = await world();
    await s.drive(async (api, env) => {
      await createBound(api, podManifest('p', {}), 'n1');
      await waitForPod(api, env, 'p', running, 'Running');
    });
    const events = await s.drive((api) => podEvents(api, 'p'));
    expect(events.map((e) => e.reason)).toEqual(['Pulling', 'Pulled', 'Created', 'Started']);
    expect(events[0]?.message).toBe('Pulling image "busybox"');
    expect(events[1]?.message).toMatch(/^Successfully pulled image "busybox" in /);
  });
});

describe('restarts and back-off', () => {
  it('restarts a killed container: Running again with restartCount 1 and lastState terminated 137', async () => {
    const s = await world();
    const first = await s.drive(async (api, env) => {
      await createBound(api, podManifest('p', { command: ['sleep', 'infinity'] }), 'n1');
      return waitForPod(api, env, 'p', running, 'Running');
    });
    const id = first.status?.containerStatuses?.[0]?.containerID ?? '';
    const killedAt = s.kernel.now();
    let restartedAt = 0;
    s.runtime('n1').subscribe((e) => {
      if (e.type === 'started') restartedAt = e.at;
    });
    s.runtime('n1').kill(id, 'SIGKILL');
    const after = await s.drive((api, env) => waitForPod(api, env, 'p', (p) => running(p) && p.status?.containerStatuses?.[0]?.restartCount === 1, 'restart'));
    const cs = after.status?.containerStatuses?.[0];
    expect(cs?.containerID).not.toBe(id);
    expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error', containerID: id });
    // The exit is an event: the kubelet restarts the container within a few network round trips.
    expect(restartedAt - killedAt).toBeLessThan(100);
    expect(s.runtime('n1').listContainers().filter((c) => c.state === 'running')).toHaveLength(1);
  });

  it('backs off a crash-looping container 10 s, 20 s, 40 s … up to 5 min, with CrashLoopBackOff status and events', async () => {
    const s = await world();
    const starts: number[] = [];
    s.runtime('n1').subscribe((e) => {
      if (e.type === 'started') starts.push(e.at);
    });
    await s.drive(async (api, env) => {
      await createBound(api, podManifest('crash', { command: ['sh', '-c', 'echo dying; exit 1'] }), 'n1');
      const p = await waitForPod(api, env, 'crash', (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff', 'CrashLoopBackOff');
      const cs = p.status?.containerStatuses?.[0];
      expect(p.status?.phase).toBe('Running');
      expect(cs?.state?.waiting?.message).toBe(`back-off 10s restarting failed container=c pod=crash_default(${p.metadata?.uid})`);
      expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
      expect(cs?.ready).toBe(false);
      await env.timers.sleep(20 * 60_000);
    });
    const gaps = starts.slice(1).map((t, i) => Math.round((t - starts[i]!) / 1000));
    // The first restart is immediate (as upstream), then the delay doubles to its 5 min cap.
    expect(gaps.slice(0, 8)).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
    const pod = await s.drive((api) => api.get<Pod>(PODS, 'default', 'crash'));
    expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(starts.length - 1);
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(/^back-off 5m0s restarting failed container=c pod=crash_default/);
    const backOff = (await s.drive((api) => podEvents(api, 'crash'))).find((e) => e.reason === 'BackOff');
    expect(backOff).toMatchObject({ type: 'Warning', message: `Back-off restarting failed container c in pod crash_default(${pod.metadata?.uid})` });
    expect(backOff?.count).toBeGreaterThan(1);
    const counts = s.podHistory('crash').map((r) => r.pod.status?.containerStatuses?.[0]?.restartCount ?? 0);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]!);
  });

  it('resets the back-off for a container that ran 10 minutes before failing', async () => {
    const s = await world();
    const starts: number[] = [];
    s.runtime('n1').subscribe((e) => {
      if (e.type === 'started') starts.push(e.at);
    });
    await s.drive(async (api, env) => {
      await createBound(api, podManifest('slow', { command: ['sh', '-c', 'sleep 660; exit 2'] }), 'n1');
      await env.timers.sleep(45 * 60_000);
    }, 50 * 60_000);
    const gaps = starts.slice(1).map((t, i) => Math.round((t - starts[i]!) / 1000));
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    for (const g of gaps) expect(g).toBe(660);
  });

  it('follows the restart policy: OnFailure and Never end Succeeded or Failed; OnFailure restarts failures', async () => {
    const s = await world();
    const phases = await s.drive(async (api, env) => {
      await createBound(api, podManifest('of-ok', { command: ['sh', '-c', 'sleep 2; exit 0'] }, { restartPolicy: 'OnFailure' }), 'n1');
      await createBound(api, podManifest('nv-ok', { command: ['true'] }, { restartPolicy: 'Never' }), 'n1');
      await createBound(api, podManifest('nv-bad', { command: ['sh', '-c', 'sleep 1; exit 3'] }, { restartPolicy: 'Never' }), 'n1');
      await createBound(api, podManifest('of-bad', { command: ['false'] }, { restartPolicy: 'OnFailure' }), 'n1');
      const done = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
      const ofOk = await waitForPod(api, env, 'of-ok', done, 'a terminal phase');
      const nvOk = await waitForPod(api, env, 'nv-ok', done, 'a terminal phase');
      const nvBad = await waitForPod(api, env, 'nv-bad', done, 'a terminal phase');
      const ofBad = await waitForPod(api, env, 'of-bad', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2, 'restarts');
      return { ofOk, nvOk, nvBad, ofBad };
    });
    expect(phases.ofOk.status?.phase).toBe('Succeeded');
    expect(phases.ofOk.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(phases.nvOk.status?.phase).toBe('Succeeded');
    expect(phases.nvBad.status?.phase).toBe('Failed');
    expect(phases.nvBad.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error' } } });
    expect(phases.ofBad.status?.phase).toBe('Running');
    const ready = phases.nvBad.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    for (const name of ['of-ok', 'nv-ok', 'nv-bad']) {
      const seen = s.podHistory(name).map((r) => r.pod.status?.phase);
      const order = ['Pending', 'Running', 'Succeeded', 'Failed'];
      for (let i = 1; i < seen.length; i++) expect(order.indexOf(seen[i]!)).toBeGreaterThanOrEqual(Math.min(order.indexOf(seen[i - 1]!), 2));
    }
  });
});

describe('images', () => {
  it('reports a missing image as ErrImagePull, then ImagePullBackOff, retrying with back-off', async () => {
    const s = await world();
    const seen = await s.drive(async (api, env) => {
      await createBound(api, podManifest('bad', { image: 'nosuchimage:v1' }), 'n1');
      const reason = (p: Pod) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      const pull = await waitForPod(api, env, 'bad', (p) => reason(p) === 'ErrImagePull', 'ErrImagePull');
      const backOff = await waitForPod(api, env, 'bad', (p) => reason(p) === 'ImagePullBackOff', 'ImagePullBackOff');
      await env.timers.sleep(60_000);
      return { pull, backOff };
    });
    const ref = 'docker.io/library/nosuchimage:v1';
    expect(seen.pull.status?.phase).toBe('Pending');
    expect(seen.pull.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe(
      `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
    );
    expect(seen.backOff.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(/^Back-off pulling image "nosuchimage:v1"/);
    expect(seen.backOff.status?.podIP).toBe('10.244.0.2');
    const events = await s.drive((api) => podEvents(api, 'bad'));
    const pulling = events.find((e) => e.reason === 'Pulling');
    // Pulls at 0, 10, 30 s (back-off 10 s, 20 s) within the minute.
    expect(pulling?.count).toBe(3);
    expect(events.find((e) => e.reason === 'BackOff')?.message).toBe('Back-off pulling image "nosuchimage:v1"');
    expect(events.filter((e) => e.reason === 'Failed').map((e) => e.message)).toEqual(
      expect.arrayContaining([`Failed to pull image "nosuchimage:v1": ${seen.pull.status?.containerStatuses?.[0]?.state?.waiting?.message}`, 'Error: ErrImagePull', 'Error: ImagePullBackOff']),
    );
  });
});

describe('deletion', () => {
  it('stops the containers of a deleted pod within its grace period, reports it terminal, then deletes it', async () => {
    const s = await world();
    const started = await s.drive(async (api, env) => {
      await createBound(api, podManifest('stubborn', { command: ['sh', '-c', "trap '' TERM; sleep infinity"] }, { terminationGracePeriodSeconds: 5 }), 'n1');
      await createBound(api, podManifest('polite', { command: ['sleep', 'infinity'] }), 'n1');
      await waitForPod(api, env, 'polite', running, 'Running');
      return waitForPod(api, env, 'stubborn', running, 'Running');
    });
    const deletedAt = s.kernel.now();
    const gone = await s.drive(async (api, env) => {
      await api.delete(PODS, 'default', 'stubborn');
      await api.delete(PODS, 'default', 'polite');
      const goneAt: Record<string, number> = {};
      while (Object.keys(goneAt).length < 2) {
        for (const name of ['stubborn', 'polite']) {
          if (goneAt[name]) continue;
          try {
            await api.get(PODS, 'default', name);
          } catch {
            goneAt[name] = env.clock.now();
          }
        }
        await env.timers.sleep(50);
      }
      return goneAt;
    });
    // SIGTERM ends `sleep` at once; the trapped one is killed when its 5 s are up.
    expect(gone.polite! - deletedAt).toBeLessThan(1_000);
    expect(gone.stubborn! - deletedAt).toBeGreaterThanOrEqual(5_000);
    expect(gone.stubborn! - deletedAt).toBeLessThan(6_000);
    const last = s.podHistory('stubborn').filter((r) => r.type === 'MODIFIED').pop()?.pod;
    expect(last?.status?.phase).toBe('Failed');
    expect(last?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, containerID: started.status?.containerStatuses?.[0]?.containerID });
    expect(s.podHistory('polite').filter((r) => r.type === 'MODIFIED').pop()?.pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(143);
    await s.advance(5_000);
    expect(s.runtime('n1').listContainers()).toEqual([]);
    const killing = (await s.drive((api) => podEvents(api, 'stubborn'))).find((e) => e.reason === 'Killing');
    expect(killing?.message).toBe('Stopping container c');
  });

  it('replaces a container whose image changed', async () => {
    const s = await world();
    await s.drive(async (api, env) => {
      await createBound(api, podManifest('img', { image: 'busybox:1.35', command: ['sleep', 'infinity'] }), 'n1');
      const p = await waitForPod(api, env, 'img', running, 'Running');
      p.spec!.containers[0]!.image = 'busybox:1.36';
      await api.update(PODS, p);
      const after = await waitForPod(api, env, 'img', (x) => running(x) && x.status?.containerStatuses?.[0]?.image === 'busybox:1.36', 'the new image');
      expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(1);
    });
  });
});

describe('a kubelet restart', () => {
  it('adopts running containers (no duplicates, same restartCount) and keeps counting restarts', async () => {
    const s = await world();
    const before = await s.drive(async (api, env) => {
      await createBound(api, podManifest('p', { command: ['sleep', 'infinity'] }), 'n1');
      const p = await waitForPod(api, env, 'p', running, 'Running');
      return p;
    });
    const firstId = before.status?.containerStatuses?.[0]?.containerID ?? '';
    s.runtime('n1').kill(firstId);
    const restarted = await s.drive((api, env) => waitForPod(api, env, 'p', (p) => running(p) && p.status?.containerStatuses?.[0]?.restartCount === 1, 'a restart'));
    const secondId = restarted.status?.containerStatuses?.[0]?.containerID;
    s.stopKubelet('n1');
    await s.advance(30_000);
    s.startKubelet('n1');
    await s.advance(30_000);
    const live = s.runtime('n1').listContainers().filter((c) => c.state === 'running');
    expect(live.map((c) => c.id)).toEqual([secondId]);
    const adopted = await s.drive((api) => api.get<Pod>(PODS, 'default', 'p'));
    expect(adopted.status?.containerStatuses?.[0]).toMatchObject({ containerID: secondId, restartCount: 1 });
    expect(adopted.status?.podIP).toBe(restarted.status?.podIP);
    // The new kubelet counts on from the labels.
    s.runtime('n1').kill(secondId ?? '');
    const third = await s.drive((api, env) => waitForPod(api, env, 'p', (p) => running(p) && p.status?.containerStatuses?.[0]?.restartCount === 2, 'a second restart'));
    expect(third.status?.containerStatuses?.[0]?.lastState?.terminated?.containerID).toBe(secondId);
  });

  it('removes the containers of pods deleted while it was down', async () => {
    const s = await world();
    await s.drive(async (api, env) => {
      await createBound(api, podManifest('orphan', { command: ['sleep', 'infinity'] }), 'n1');
      await createBound(api, podManifest('keeper', { command: ['sleep', 'infinity'] }), 'n1');
      await waitForPod(api, env, 'orphan', running, 'Running');
      await waitForPod(api, env, 'keeper', running, 'Running');
    });
    s.stopKubelet('n1');
    await s.drive((api) => api.delete(PODS, 'default', 'orphan', { gracePeriodSeconds: 0 }));
    expect(s.runtime('n1').listContainers().filter((c) => c.state === 'running')).toHaveLength(2);
    s.startKubelet('n1');
    await s.advance(10_000);
    const left = s.runtime('n1').listContainers();
    expect(left.map((c) => c.labels['io.kubernetes.pod.name'])).toEqual(['keeper']);
  });

  it('recovers restartCount from the API status when the runtime lost the containers', async () => {
    const s = await world();
    const pod = await s.drive(async (api, env) => {
      await createBound(api, podManifest('p', { command: ['sleep', 'infinity'] }), 'n1');
      await waitForPod(api, env, 'p', running, 'Running');
      return api.get<Pod>(PODS, 'default', 'p');
    });
    s.stopKubelet('n1');
    for (const c of s.runtime('n1').listContainers()) s.runtime('n1').removeContainer(c.id);
    s.startKubelet('n1');
    const after = await s.drive((api, env) => waitForPod(api, env, 'p', (p) => running(p) && p.status?.containerStatuses?.[0]?.containerID !== pod.status?.containerStatuses?.[0]?.containerID, 'a new container'));
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(1);
    expect(after.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'ContainerStatusUnknown' });
    expect(after.status?.phase).toBe('Running');
  });
});

describe('pod status', () => {
  it("puts a pod's Ready back at once when the node controller marked it not ready", async () => {
    // Upstream's status manager reconciles the API's copy with its own every 10 s (the
    // kubelet is the source of truth of pod status); waiting for the 60 s resync leaves a
    // healthy pod unready for up to a minute after its node recovers.
    const s = await world();
    const pod = await s.drive(async (api, env) => {
      await createBound(api, podManifest('web', { image: 'busybox:1.36', command: ['sleep', 'infinity'] }), 'n1');
      const p = await waitForPod(api, env, 'web', (x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true, 'Ready');
      const conditions = (p.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False', reason: 'NodeNotReady' } : c));
      await api.update(PODS, { ...p, status: { ...p.status, conditions } }, 'status');
      await env.timers.sleep(5_000);
      return api.get<Pod>(PODS, 'default', 'web');
    });
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});

describe('node status', () => {
  it('posts Ready again at once when the node controller marked it Unknown', async () => {
    const s = await world();
    const node = await s.drive(async (api, env) => {
      const n = await api.get<Node>(NODES, undefined, 'n1');
      const conditions = (n.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' } : c));
      await api.update(NODES, { ...n, status: { ...n.status, conditions } }, 'status');
      await env.timers.sleep(11_000);
      return api.get<Node>(NODES, undefined, 'n1');
    });
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(Date.parse(ready?.lastTransitionTime ?? '')).toBeGreaterThan(s.kernel.now() - 12_000);
  });

  it('posts an unchanged status only every report period, while the lease is renewed every 10 s', async () => {
    const s = await world(3, { kubelet: { nodeStatusReportFrequencyMs: 60_000 } });
    const heartbeats = await s.drive(async (api, env) => {
      const seen = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const n = await api.get<Node>(NODES, undefined, 'n1');
        seen.add(n.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime ?? '');
        await env.timers.sleep(10_000);
      }
      return seen.size;
    });
    // 300 s: the registration's post plus one every 60 s.
    expect(heartbeats).toBeGreaterThanOrEqual(5);
    expect(heartbeats).toBeLessThanOrEqual(7);
  });

  it('waits for a podCIDR before giving pods an IP', async () => {
    const s = await world(4, { podCIDRs: false });
    await s.drive(async (api, env) => {
      await createBound(api, podManifest('p', { command: ['sleep', 'infinity'] }), 'n1');
      await env.timers.sleep(5_000);
      const waiting = await api.get<Pod>(PODS, 'default', 'p');
      expect(waiting.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
      expect(waiting.status?.podIP).toBeUndefined();
      await api.patch(NODES, undefined, 'n1', 'merge', { spec: { podCIDR: '10.244.7.0/24', podCIDRs: ['10.244.7.0/24'] } });
      const p = await waitForPod(api, env, 'p', running, 'Running');
      expect(p.status?.podIP).toBe('10.244.7.2');
    });
  });
});

describe('logs', () => {
  it('serves kubectl logs through the API server: current, --previous, --tail, and errors', async () => {
    const s = await world();
    const out = await s.drive(async (api, env) => {
      await createBound(api, podManifest('talker', { command: ['sh', '-c', 'echo hello; echo world; sleep 5; echo bye; exit 1'] }), 'n1');
      await waitForPod(api, env, 'talker', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && running(p), 'a restart');
      await env.timers.sleep(1_000);
      const current = await api.logs('default', 'talker');
      const res = await s.client(env).logs('default', 'talker', 'c');
      const previous = await rawLog(env, { previous: 'true' });
      const tail = await rawLog(env, { tailLines: '1' });
      await createBound(api, podManifest('broken', { image: 'nosuchimage' }), 'n1');
      await waitForPod(api, env, 'broken', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImagePull', 'ErrImagePull');
      let error = '';
      try {
        await api.logs('default', 'broken');
      } catch (e) {
        error = `${(e as { code: number }).code} ${(e as Error).message}`;
      }
      return { current, res, previous, tail, error };
    });
    expect(out.current).toBe('hello\nworld\n');
    expect(out.res).toBe('hello\nworld\n');
    expect(out.previous).toBe('hello\nworld\nbye\n');
    expect(out.tail).toBe('world\n');
    expect(out.error).toBe('400 container "c" in pod "broken" is waiting to start: image can\'t be pulled');

    async function rawLog(env: Parameters<Parameters<KubeletSim['drive']>[0]>[1], query: Record<string, string>): Promise<string> {
      const transport = new (await import('../client/transport.js')).NetworkTransport(env.network, 'admin-token');
      const res = await transport.send({ method: 'GET', path: '/api/v1/namespaces/default/pods/talker/log', query, headers: {} });
      return res.body ?? '';
    }
  });

  it('follows a log until the container exits', async () => {
    const s = await world();
    const chunks = await s.drive(async (api, env) => {
      await createBound(api, podManifest('ticker', { command: ['sh', '-c', 'for i in 1 2 3; do echo tick $i; sleep 2; done'] }, { restartPolicy: 'Never' }), 'n1');
      await waitForPod(api, env, 'ticker', running, 'Running');
      const transport = new (await import('../client/transport.js')).NetworkTransport(env.network, 'admin-token');
      const res = await transport.send({ method: 'GET', path: '/api/v1/namespaces/default/pods/ticker/log', query: { follow: 'true' }, headers: {} });
      const got: { at: number; text: string }[] = [];
      for await (const chunk of res.stream ?? []) got.push({ at: env.clock.now(), text: chunk });
      return got;
    });
    expect(chunks.map((c) => c.text).join('')).toBe('tick 1\ntick 2\ntick 3\n');
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks[chunks.length - 1]!.at - chunks[0]!.at).toBeGreaterThanOrEqual(2_000);
  });
});

describe('determinism', () => {
  it('replays byte for byte: the same seed gives the same trace', async () => {
    const runOnce = async (seed: number) => {
      const s = new KubeletSim({ seed, nodes: ['n1', 'n2'] });
      await s.start();
      await s.drive(async (api, env) => {
        await createBound(api, podManifest('a', { command: ['sh', '-c', 'echo a; sleep 3; exit 1'] }), 'n1');
        await createBound(api, podManifest('b', { image: 'missing' }), 'n2');
        await env.timers.sleep(60_000);
        await api.delete(PODS, 'default', 'a');
        await env.timers.sleep(10_000);
      });
      s.stop();
      return s.kernel.trace.hash();
    };
    const first = await runOnce(11);
    expect(await runOnce(11)).toBe(first);
    expect(await runOnce(12)).not.toBe(first);
  });
});
