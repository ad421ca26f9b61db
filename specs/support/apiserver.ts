// Starts a reference API server for one spec file: HTTPS on a free loopback port, a temp
// data dir (CA, tokens, admin kubeconfig, audit log), on the embedded store or a private
// etcd. kubectl specs point --kubeconfig at it and use a fresh --cache-dir.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLiveEnv } from '../../impl/env/live.js';
import { startApiServerProcess, type ApiServerProcess } from '../../impl/cluster/live/apiserver-process.js';
import { startEtcd, type EtcdServer } from './etcd-server.js';

export type TestStore = 'memory' | 'etcd';

export interface TestApiServer extends ApiServerProcess {
  readonly dataDir: string;
  /** The bearer token of a user in the token file (admin, nobody, system:kube-scheduler, ...). */
  tokenOf(user: string): string;
  stop(): Promise<void>;
}

export async function startTestApiServer(options: { store: TestStore; insecureHttp?: boolean; identities?: { name: string; groups: string[] }[] } = { store: 'memory' }): Promise<TestApiServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kubeprop-apiserver-'));
  let etcd: EtcdServer | undefined;
  let storeSpec = 'memory';
  if (options.store === 'etcd') {
    etcd = await startEtcd({ inMemory: true });
    storeSpec = `etcd:${etcd.endpoints.join(',')}`;
  }
  const env = createLiveEnv({ process: 'apiserver' });
  const server = await startApiServerProcess({
    env,
    port: 0,
    store: storeSpec,
    dataDir,
    insecureHttp: options.insecureHttp ?? false,
    ...(options.identities ? { identities: options.identities } : {}),
  });
  return {
    ...server,
    dataDir,
    tokenOf(user: string) {
      const t = server.tokens.find((e) => e.user.name === user);
      if (!t) throw new Error(`no token for ${user}`);
      return t.token;
    },
    async stop() {
      await server.close();
      env.close();
      await etcd?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
