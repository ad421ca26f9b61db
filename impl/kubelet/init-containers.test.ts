// Init containers in the sim kernel: run one after another to completion before the
// containers start; a failure restarts them under the restart policy or fails the pod under
// Never; status shows initContainerStatuses and the Initialized condition as upstream does.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import { podStatusText } from '../apiserver/kinds/pod-status-text.js';
import { KubeletSim, createBound, podEvents, podManifest, waitForPod } from './testing/kubelet-sim.js';

let sim: KubeletSim | undefined;

afterEach(() => {
  sim?.stop();
  sim = undefined;
});

async function world(): Promise<KubeletSim> {
  sim = new KubeletSim({ seed: 1, nodes: ['n1'] });
  await sim.start();
  return sim;
}

function withInit(name: string, inits: readonly string[][], restartPolicy?: string): Pod {
  return podManifest(
    name,
    { image: 'busybox:1.36', command: ['sleep', 'infinity'] },
    { initContainers: inits.map((command, i) => ({ name: `init-${i + 1}`, image: 'busybox:1.36', command })), ...(restartPolicy ? { restartPolicy } : {}) },
  );
}

const condition = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);

describe('init containers', () => {
  it('run one after another to completion before the containers start', async () => {
    const s = await world();
    const { first, second, running } = await s.drive(async (api, env) => {
      await createBound(api, withInit('web', [['sh', '-c', 'sleep 3; exit 0'], ['sh', '-c', 'sleep 2; exit 0']]), 'n1');
      const first = await waitForPod(api, env, 'web', (p) => p.status?.initContainerStatuses?.[0]?.state?.running !== undefined, 'init-1 running');
      const second = await waitForPod(api, env, 'web', (p) => p.status?.initContainerStatuses?.[1]?.state?.running !== undefined, 'init-2 running');
      const running = await waitForPod(api, env, 'web', (p) => p.status?.phase === 'Running', 'Running');
      return { first, second, running };
    });
    expect(first.status?.phase).toBe('Pending');
    expect(podStatusText(first)).toBe('Init:0/2');
    expect(condition(first, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init-1 init-2]' });
    expect(first.status?.initContainerStatuses?.[1]?.state?.waiting?.reason).toBe('PodInitializing');
    expect(first.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
    expect(second.status?.initContainerStatuses?.[0]).toMatchObject({ ready: true, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(podStatusText(second)).toBe('Init:1/2');
    expect(condition(running, 'Initialized')?.status).toBe('True');
    expect(running.status?.initContainerStatuses?.map((c) => c.state?.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(podStatusText(running)).toBe('Running');
    // The app container started only after both init containers had finished.
    const finished = Math.max(...(running.status?.initContainerStatuses ?? []).map((c) => Date.parse(c.state?.terminated?.finishedAt ?? '')));
    expect(Date.parse(running.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? '')).toBeGreaterThanOrEqual(finished);
    const events = await s.drive((api) => podEvents(api, 'web'));
    expect(events.filter((e) => e.reason === 'Started').map((e) => e.involvedObject.fieldPath)).toEqual(['spec.initContainers{init-1}', 'spec.initContainers{init-2}', 'spec.containers{c}']);
  });

  it('fail the pod under restartPolicy Never; the containers never start', async () => {
    const s = await world();
    const pod = await s.drive(async (api, env) => {
      await createBound(api, withInit('job', [['sh', '-c', 'sleep 1; exit 3']], 'Never'), 'n1');
      return waitForPod(api, env, 'job', (p) => p.status?.phase === 'Failed', 'Failed');
    });
    expect(pod.status?.initContainerStatuses?.[0]).toMatchObject({ ready: false, restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error' } } });
    expect(condition(pod, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized' });
    expect(s.podHistory('job').every((r) => r.pod.status?.containerStatuses?.[0]?.state?.running === undefined)).toBe(true);
  });

  it('restart a failing init container with back-off under Always, the pod staying Pending', async () => {
    const s = await world();
    const pod = await s.drive(async (api, env) => {
      await createBound(api, withInit('web', [['sh', '-c', 'sleep 1; exit 2']]), 'n1');
      return waitForPod(api, env, 'web', (p) => (p.status?.initContainerStatuses?.[0]?.restartCount ?? 0) >= 2 && p.status?.initContainerStatuses?.[0]?.state?.waiting !== undefined, 'restarts');
    });
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.initContainerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(pod.status?.initContainerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(2);
    expect(podStatusText(pod)).toBe('Init:CrashLoopBackOff');
    expect(s.podHistory('web').every((r) => r.pod.status?.phase === 'Pending')).toBe(true);
  });
});
