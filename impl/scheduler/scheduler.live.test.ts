// The same scheduler in live mode: wall-clock Env, HTTPS to a real reference API server
// process, the scheduler's own token. Sim and live differ only in the Env and transport.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../../specs/support/apiserver.js';
import { ApiClient } from '../client/api-client.js';
import { NODES, PODS } from '../client/resources.js';
import { createLiveEnv, type LiveEnv } from '../env/live.js';
import { HttpClientTransport } from '../env/http-client.js';
import { Scheduler } from './scheduler.js';
import { node, pod, waitForBound } from './scheduler-fixtures.testing.js';

describe('scheduler: live', () => {
  let server: TestApiServer;
  let env: LiveEnv;

  beforeAll(async () => {
    server = await startTestApiServer({ store: 'memory' });
    env = createLiveEnv({ process: 'scheduler' });
  });

  afterAll(async () => {
    env?.close();
    await server?.stop();
  });

  it('spreads a ReplicaSet over real HTTPS in real time', async () => {
    const client = (user: string) => new ApiClient(new HttpClientTransport({ server: server.url, caCert: server.caCert, token: server.tokenOf(user) }), user);
    const scheduler = new Scheduler(env, client('system:kube-scheduler'));
    scheduler.start();
    const admin = client('admin');
    for (const n of ['node-1', 'node-2', 'node-3']) await admin.create(NODES, undefined, node(n));
    await Promise.all(['a', 'b', 'c'].map((n) => admin.create(PODS, 'default', pod(`web-${n}`, { owner: 'rs-live' }))));
    const bound = await waitForBound(env, admin, ['web-a', 'web-b', 'web-c'], 10_000, 50);
    scheduler.stop();
    expect(new Set(bound.values()).size).toBe(3);
  });
});
