import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { ContainerInfo } from '../runtime/runtime.js';
import { computePodStatus, mergePodStatus, podPhase, shouldRestart } from './pod-status.js';

const running: ContainerStatus = { name: 'a', ready: true, restartCount: 0, image: 'i', imageID: '', state: { running: {} } };
const ok: ContainerStatus = { name: 'a', ready: false, restartCount: 0, image: 'i', imageID: '', state: { terminated: { exitCode: 0 } } };
const failed: ContainerStatus = { ...ok, state: { terminated: { exitCode: 1 } } };
const crashLooping: ContainerStatus = { ...ok, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } };
const pulling: ContainerStatus = { ...ok, state: { waiting: { reason: 'ErrImagePull' } } };
const as = (s: ContainerStatus, name: string) => ({ ...s, name });

describe("the kubelet's phase rules (upstream getPhase)", () => {
  it('Pending while any container waits for its first start; Running once all started and one runs', () => {
    expect(podPhase('Always', ['a', 'b'], [as(running, 'a'), as(pulling, 'b')], false)).toBe('Pending');
    expect(podPhase('Always', ['a', 'b'], [as(running, 'a')], false)).toBe('Pending');
    expect(podPhase('Always', ['a', 'b'], [as(running, 'a'), as(failed, 'b')], false)).toBe('Running');
  });

  it('all stopped: Always stays Running, OnFailure Succeeded only when all succeeded, Never Failed on any failure', () => {
    expect(podPhase('Always', ['a'], [failed], false)).toBe('Running');
    expect(podPhase('Always', ['a'], [crashLooping], false)).toBe('Running');
    expect(podPhase('OnFailure', ['a'], [ok], false)).toBe('Succeeded');
    expect(podPhase('OnFailure', ['a'], [failed], false)).toBe('Running');
    expect(podPhase('Never', ['a', 'b'], [as(ok, 'a'), as(failed, 'b')], false)).toBe('Failed');
    expect(podPhase('Never', ['a'], [ok], false)).toBe('Succeeded');
  });

  it('a terminal pod (deleted) ends by its exit codes whatever the policy', () => {
    expect(podPhase('Always', ['a'], [failed], true)).toBe('Failed');
    expect(podPhase('Always', ['a'], [ok], true)).toBe('Succeeded');
  });

  it('restarts by policy', () => {
    expect([shouldRestart('Always', 0), shouldRestart('OnFailure', 0), shouldRestart('OnFailure', 2), shouldRestart('Never', 2)]).toEqual([true, false, true, false]);
  });
});

describe('pod status', () => {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { containers: [{ name: 'a', image: 'busybox' }] },
    status: { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  };
  const instance = (id: string, state: ContainerInfo['state'], exitCode?: number): ContainerInfo => ({
    id,
    name: 'a',
    image: 'busybox',
    imageID: 'docker.io/library/busybox@sha256:0',
    labels: {},
    state,
    createdAt: 0,
    startedAt: 1_000,
    ...(exitCode !== undefined ? { finishedAt: 2_000, exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' } : {}),
  });

  it('reports a crash-looping container as waiting with the last termination, and the pod not ready', () => {
    const status = computePodStatus({
      pod,
      containers: [{ name: 'a', image: 'busybox', instances: [instance('sim://2', 'exited', 1), instance('sim://1', 'exited', 1)], waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' }, restartCount: 1 }],
      hostIP: '127.0.0.1',
      podIP: '10.0.0.2',
      podIsTerminal: false,
      now: 5_000,
    });
    expect(status.phase).toBe('Running');
    expect(status.containerStatuses?.[0]).toMatchObject({ ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, containerID: 'sim://2' } } });
    expect(status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a]' });
  });

  it('merges into the API status: keeps foreign conditions and qosClass, never leaves a terminal phase, never lowers restartCount', () => {
    const api = { ...pod.status, phase: 'Failed', containerStatuses: [{ ...failed, restartCount: 4 }] };
    const merged = mergePodStatus(api, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ ...running, restartCount: 2 }] });
    expect(merged.phase).toBe('Failed');
    expect(merged.qosClass).toBe('BestEffort');
    expect(merged.conditions?.map((c) => c.type)).toEqual(['Ready', 'PodScheduled']);
    expect(merged.containerStatuses?.[0]?.restartCount).toBe(4);
    expect(mergePodStatus({ phase: 'Running' }, { phase: 'Pending' }).phase).toBe('Running');
  });
});
