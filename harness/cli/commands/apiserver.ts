// `kubeprop apiserver`: runs the reference API server alone, in the foreground, until
// Ctrl-C or SIGTERM.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { createLiveEnv } from '../../../impl/env/live.js';
import { startApiServerProcess } from '../../../impl/cluster/live/apiserver-process.js';
import { describeStoreSpec, isStoreSpec } from '../../../impl/cluster/live/open-store.js';
import { intOption, parse } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { untilSignal } from '../signals.js';

const usage = `Usage: kubeprop apiserver [options]

Runs the reference API server (HTTPS with token auth on 127.0.0.1).

Options:
  --port P            port to listen on (default 6443; 0 picks a free one)
  --store S           memory | file:DIR | etcd:URL (default memory)
  --data-dir DIR      certificates, tokens, audit log (default ~/.kubeprop/apiserver)
  --kubeconfig FILE   where to write the admin kubeconfig (default DATA_DIR/admin.kubeconfig)
  --insecure-http     serve plain http without authentication
  --node-names LIST   mint kubelet identities (system:node:NAME) for these nodes
  --default-toleration-seconds S   how long pods tolerate a lost node (default 300)
`;

export const apiserverCommand: Command = {
  name: 'apiserver',
  summary: 'run the reference API server alone',
  usage,
  async run(args) {
    const { values } = parse(args, {
      port: { type: 'string' },
      store: { type: 'string' },
      'data-dir': { type: 'string' },
      kubeconfig: { type: 'string' },
      'insecure-http': { type: 'boolean' },
      'node-names': { type: 'string' },
      'default-toleration-seconds': { type: 'string' },
    });
    const store = values.store ?? 'memory';
    if (!isStoreSpec(store)) throw new UsageError(`--store must be memory, file:DIR or etcd:URL, got "${store}"`);
    const env = createLiveEnv({ process: 'apiserver' });
    const server = await startApiServerProcess({
      env,
      port: intOption(values.port, 'port', 6443),
      store,
      dataDir: values['data-dir'] ?? join(homedir(), '.kubeprop', 'apiserver'),
      ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
      insecureHttp: values['insecure-http'] ?? false,
      identities: (values['node-names'] ?? '')
        .split(',')
        .filter((n) => n)
        .map((n) => ({ name: `system:node:${n}`, groups: ['system:nodes'] })),
      ...(values['default-toleration-seconds'] !== undefined
        ? { defaultTolerationSeconds: intOption(values['default-toleration-seconds'], 'default-toleration-seconds', 300) }
        : {}),
    });
    console.log(`kubeprop apiserver serving ${server.url} (${describeStoreSpec(store)})`);
    console.log(`  kubectl --kubeconfig ${server.kubeconfigPath} get namespaces`);
    await untilSignal();
    console.log('kubeprop apiserver: stopping');
    await server.close();
    env.close();
    return 0;
  },
};
