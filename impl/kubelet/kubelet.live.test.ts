// The kubelet in live mode: wall-clock time, the reference API server over HTTP, the process
// runtime (real processes under busybox-static), the kubelet's HTTP log endpoint and the API
// server's HTTP log source. The seed walkthrough in small: Running, `kill -9` → RESTARTS 1
// within 5 s, `kubectl logs`, delete → the process is gone.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realPart } from '../../specs/support/real-parts.js';
import type { TokenEntry } from '../apiserver/authn.js';
import { createReferenceApiServer } from '../apiserver/reference-apiserver.js';
import { ApiClient } from '../client/api-client.js';
import { NODES, PODS } from '../client/resources.js';
import { createLiveEnv, type LiveEnv } from '../env/live.js';
import { HttpClientTransport } from '../env/http-client.js';
import { serveHttp, type HttpServing } from '../env/http-server.js';
import { ProcessRuntime } from '../runtime/process/index.js';
import { EmbeddedStore } from '../store/index.js';
import { runKubelet } from './kubelet.js';
import { serveKubeletHttp } from './log-http-endpoint.js';
import { HttpPodLogSource } from '../cluster/live/http-pod-log-source.js';

const haveBusybox = realPart('busybox-static (/bin/busybox)', ProcessRuntime.available(), 'apt-get install busybox-static');

const ADMIN: TokenEntry = { token: 'live-admin', user: { name: 'admin', uid: '', groups: ['system:masters', 'system:authenticated'] } };
const NODE: TokenEntry = { token: 'live-node', user: { name: 'system:node:n1', uid: '', groups: ['system:nodes', 'system:authenticated'] } };

describe.runIf(haveBusybox)('the kubelet in live mode with the process runtime', () => {
  let env: LiveEnv;
  let api: HttpServing;
  let kubeletHttp: HttpServing;
  let runtime: ProcessRuntime;
  let admin: ApiClient;
  let dataDir: string;
  const transports: HttpClientTransport[] = [];

  beforeAll(async () => {
    env = createLiveEnv({ seed: 7 });
    dataDir = mkdtempSync(join(tmpdir(), 'kubeprop-kubelet-live-'));
    const store = await EmbeddedStore.open({ clock: env.clock, timers: env.timers, random: env.random });
    const getNode = async (name: string) => admin.get<Node>(NODES, undefined, name);
    const reference = await createReferenceApiServer({ store, clock: env.clock, timers: env.timers, random: env.random, auth: { mode: 'token', tokens: [ADMIN, NODE] }, podLogs: new HttpPodLogSource(getNode) });
    api = await serveHttp((req) => reference.handle(req), { port: 0, maxBodyBytes: reference.server.maxBodyBytes });
    const client = (token: string) => {
      const t = new HttpClientTransport({ server: api.url, token });
      transports.push(t);
      return t;
    };
    admin = new ApiClient(client(ADMIN.token), 'live-test');
    runtime = await ProcessRuntime.open({ dataDir, pollMs: 50 });
    kubeletHttp = await serveKubeletHttp(env, 'n1', { port: 0 });
    const kubeletClient = new ApiClient(client(NODE.token), 'kubelet/n1');
    env.spawn('kubelet/n1', (e) => runKubelet(e, kubeletClient, runtime, { nodeName: 'n1', kubeletPort: kubeletHttp.port, fallbackPodCIDR: '10.244.9.0/24' }));
    for (;;) {
      try {
        const n = await admin.get<Node>(NODES, undefined, 'n1');
        if (n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) break;
      } catch {
        // not registered yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    env?.close();
    await runtime?.close();
    await kubeletHttp?.close();
    await api?.close();
    for (const t of transports) t.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function waitForPod(name: string, done: (p: Pod) => boolean, timeoutMs = 10_000): Promise<Pod> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pod = await admin.get<Pod>(PODS, 'default', name);
      if (done(pod)) return pod;
      if (Date.now() > deadline) throw new Error(`pod ${name}: timed out; status ${JSON.stringify(pod.status)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('runs a pod as a process, restarts it after kill -9 within 5 s, serves its logs, and stops it on delete', async () => {
    const node = await admin.get<Node>(NODES, undefined, 'n1');
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(kubeletHttp.port);
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toBe('process://0.1.0');
    await admin.create(PODS, 'default', { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo serving; sleep 100000'] }] } } as Pod);
    await admin.bind('default', 'web', 'n1');
    const up = await waitForPod('web', (p) => p.status?.phase === 'Running' && !!p.status.containerStatuses?.[0]?.state?.running);
    const id = up.status?.containerStatuses?.[0]?.containerID ?? '';
    expect(id).toMatch(/^process:\/\/\d+$/);
    expect(up.status?.podIP).toBe('10.244.9.2');
    const killedAt = Date.now();
    expect(spawnSync('kill', ['-9', id.slice('process://'.length)]).status).toBe(0);
    const again = await waitForPod('web', (p) => p.status?.containerStatuses?.[0]?.restartCount === 1 && !!p.status.containerStatuses[0].state?.running);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(again.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 137, containerID: id });
    await new Promise((r) => setTimeout(r, 200));
    expect(await admin.logs('default', 'web')).toBe('serving\n');
    await admin.delete(PODS, 'default', 'web');
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await admin.get(PODS, 'default', 'web');
      } catch {
        break;
      }
      if (Date.now() > deadline) throw new Error('the pod was not deleted');
      await new Promise((r) => setTimeout(r, 50));
    }
    const newPid = Number(again.status?.containerStatuses?.[0]?.containerID?.slice('process://'.length));
    expect(() => process.kill(newPid, 0)).toThrow();
  });
});
