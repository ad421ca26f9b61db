// `kubeprop up`: the whole reference control plane as processes on this machine, in the
// foreground, until Ctrl-C or SIGTERM.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { dockerClusterOf, Supervisor } from '../../../impl/cluster/live/supervisor.js';
import { describeStoreSpec, isStoreSpec } from '../../../impl/cluster/live/open-store.js';
import { DockerRuntime } from '../../../impl/runtime/docker/index.js';
import { LocalDockerRuntime } from '../../targets/local-docker-runtime.js';
import { intOption, parse } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { untilSignal } from '../signals.js';

const usage = `Usage: kubeprop up [options]

Starts the reference control plane as separate processes: API server (HTTPS on 127.0.0.1),
controller-manager, scheduler, and a kubelet per node. Ctrl-C stops everything.

Options:
  --nodes N          number of nodes (default 3)
  --runtime R        process (containers are host processes under busybox-static; default)
                     | docker (containers of the local Docker Engine, network mode none, labelled
                     kubeprop.cluster=DATA_DIR and kubeprop.node=NODE; build the images first with
                     scripts/build-images.sh) | sim
  --store S          memory | file:DIR | etcd:URL (default memory)
  --port P           API server port (default 6443)
  --data-dir DIR     certificates, tokens, kubeconfigs, audit log, node state (default ~/.kubeprop/up)
  --kubeconfig FILE  where to write the admin kubeconfig (default DATA_DIR/admin.kubeconfig)
  --fast             short failure-detection periods (a lost node is noticed in ~8 s, evicted ~10 s later)
`;

export const upCommand: Command = {
  name: 'up',
  summary: 'run the reference control plane as processes (kubectl-ready)',
  usage,
  async run(args) {
    const { values } = parse(args, {
      nodes: { type: 'string' },
      runtime: { type: 'string' },
      store: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      kubeconfig: { type: 'string' },
      fast: { type: 'boolean' },
    });
    const runtime = values.runtime ?? 'process';
    if (runtime !== 'process' && runtime !== 'docker' && runtime !== 'sim') throw new UsageError(`--runtime must be process, docker or sim, got "${runtime}"`);
    if (runtime === 'docker' && !(await DockerRuntime.reachable())) {
      console.error('kubeprop up: the Docker Engine is not reachable: start dockerd --bridge=none --iptables=false --ip-masq=false (apt-get install docker.io)');
      return 1;
    }
    const store = values.store ?? 'memory';
    if (!isStoreSpec(store)) throw new UsageError(`--store must be memory, file:DIR or etcd:URL, got "${store}"`);
    const nodes = intOption(values.nodes, 'nodes', 3, 1);
    const dataDir = values['data-dir'] ?? join(homedir(), '.kubeprop', 'up');
    const supervisor = new Supervisor({
      nodes,
      runtime,
      store,
      port: intOption(values.port, 'port', 6443),
      dataDir,
      ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
      fast: values.fast ?? false,
    });
    await supervisor.up();
    console.log(`\nkubeprop up: ${nodes} nodes, ${runtime} runtime, ${describeStoreSpec(store)}`);
    console.log(`  export KUBECONFIG=${supervisor.kubeconfigPath}`);
    console.log('  kubectl get nodes');
    console.log('  kubectl create deployment first-app --image=busybox --replicas=3 -- sleep 3600');
    console.log('Ctrl-C stops the cluster.\n');
    await untilSignal();
    console.log('kubeprop up: stopping');
    await supervisor.down();
    if (runtime === 'docker') {
      // Stopped kubelets remove their containers; one that was killed left its own running.
      const removed = await new LocalDockerRuntime(dockerClusterOf(dataDir)).removeAll();
      if (removed > 0) console.log(`kubeprop up: removed ${removed} container${removed === 1 ? '' : 's'} left behind by killed kubelets`);
    }
    return 0;
  },
};
