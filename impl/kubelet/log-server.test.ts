import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { logContainerId } from './log-server.js';
import { containerLogsPath, parseContainerLogsPath } from './log-protocol.js';

const pod = (status: Pod['status']): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] }, status });

describe('which container a log request means', () => {
  it('the running container, the last terminated one for a crash loop, the previous one with --previous', () => {
    const cs = { name: 'c', ready: true, restartCount: 1, image: '', imageID: '', containerID: 'sim://2' };
    expect(logContainerId(pod({ containerStatuses: [{ ...cs, state: { running: {} }, lastState: { terminated: { exitCode: 1, containerID: 'sim://1' } } }] }), 'c', false)).toEqual({ id: 'sim://2' });
    expect(logContainerId(pod({ containerStatuses: [{ ...cs, state: { running: {} }, lastState: { terminated: { exitCode: 1, containerID: 'sim://1' } } }] }), 'c', true)).toEqual({ id: 'sim://1' });
    expect(logContainerId(pod({ containerStatuses: [{ ...cs, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, containerID: 'sim://1' } } }] }), 'c', false)).toEqual({ id: 'sim://1' });
  });

  it('refuses as upstream does', () => {
    const waiting = (reason: string) => pod({ containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: { reason } } }] });
    expect(logContainerId(waiting('ImagePullBackOff'), 'c', false)).toEqual({ error: { ok: false, code: 400, message: 'container "c" in pod "p" is waiting to start: trying and failing to pull image' } });
    expect(logContainerId(waiting('ContainerCreating'), 'c', false)).toMatchObject({ error: { message: 'container "c" in pod "p" is waiting to start: ContainerCreating' } });
    expect(logContainerId(waiting('ContainerCreating'), 'c', true)).toMatchObject({ error: { message: 'previous terminated container "c" in pod "p" not found' } });
    expect(logContainerId(waiting('x'), 'nope', false)).toMatchObject({ error: { message: 'container nope is not valid for pod p' } });
  });

  it('round-trips the kubelet HTTP path', () => {
    const r = { namespace: 'ns', pod: 'a b', container: 'c', follow: true, previous: false, tailLines: 5 };
    const { path, query } = containerLogsPath(r);
    expect(path).toBe('/containerLogs/ns/a%20b/c');
    expect(parseContainerLogsPath(path, query)).toEqual(r);
    expect(parseContainerLogsPath('/pods', {})).toBeUndefined();
  });
});
