// `kubeprop kubelet --node NAME`: runs one node's kubelet against an API server, with the
// process runtime (containers as host processes), the docker runtime (containers of the
// local Docker Engine) or the sim runtime (virtual containers in this process), and an HTTP
// endpoint on 127.0.0.1 for `kubectl logs`.

import { join } from 'node:path';
import { homedir } from 'node:os';
import { createLiveEnv } from '../../../impl/env/live.js';
import { runKubelet, serveKubeletHttp } from '../../../impl/kubelet/index.js';
import { DockerRuntime } from '../../../impl/runtime/docker/index.js';
import { ProcessRuntime } from '../../../impl/runtime/process/index.js';
import { SimNodeRuntime, SimRuntimeClient } from '../../../impl/runtime/sim/index.js';
import type { ContainerRuntime } from '../../../impl/runtime/runtime.js';
import { durationOption, intOption, parse } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { untilSignal } from '../signals.js';
import { clientFromKubeconfig } from './component-access.js';

const usage = `Usage: kubeprop kubelet --node NAME --kubeconfig FILE [options]

Options:
  --runtime R       process (default: containers are host processes under busybox-static)
                    | docker (containers of the local Docker Engine, network mode none; images
                    from scripts/build-images.sh) | sim
  --cluster NAME    docker: the cluster this node belongs to; its containers are labelled
                    kubeprop.cluster=NAME and kubeprop.node=NODE, so nodes of clusters sharing
                    one engine keep apart (default kubeprop)
  --data-dir DIR    process: the runtime's state and container logs (default ~/.kubeprop/nodes/NAME)
  --port P          the kubelet's log endpoint on 127.0.0.1 (default 0: a free port)
  --cpu C --memory M --pods N   the node's capacity (default 4, 8Gi, 110)
  --heartbeat D     how often the node's Lease and status are renewed (default 10s, as upstream)
`;

export const kubeletCommand: Command = {
  name: 'kubelet',
  summary: "run one node's kubelet alone",
  usage,
  async run(args) {
    const { values } = parse(args, {
      node: { type: 'string' },
      kubeconfig: { type: 'string' },
      runtime: { type: 'string' },
      cluster: { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      cpu: { type: 'string' },
      memory: { type: 'string' },
      pods: { type: 'string' },
      heartbeat: { type: 'string' },
    });
    const heartbeatMs = durationOption(values.heartbeat, 'heartbeat', 10_000);
    const node = values.node;
    if (!node) throw new UsageError('--node NAME is required');
    const runtimeName = values.runtime ?? 'process';
    if (runtimeName !== 'process' && runtimeName !== 'docker' && runtimeName !== 'sim') {
      throw new UsageError(`--runtime must be process, docker or sim, got "${runtimeName}"`);
    }
    if (values.cluster !== undefined && runtimeName !== 'docker') throw new UsageError('--cluster is for --runtime docker');
    const client = clientFromKubeconfig(values.kubeconfig, `kubelet/${node}`);
    const env = createLiveEnv({ process: `kubelet/${node}` });
    let runtime: ContainerRuntime;
    let close = async () => {};
    if (runtimeName === 'process') {
      const p = await ProcessRuntime.open({ dataDir: values['data-dir'] ?? join(homedir(), '.kubeprop', 'nodes', node) });
      runtime = p;
      close = async () => p.close();
    } else if (runtimeName === 'docker') {
      const d = await DockerRuntime.open({
        node,
        ...(values.cluster ? { cluster: values.cluster } : {}),
        onEventStreamError: (e) => console.error(`kubeprop kubelet ${node}: docker event stream broke (reopening): ${e instanceof Error ? e.message : String(e)}`),
      });
      runtime = d;
      // As the process runtime on shutdown: the node's containers go with it. A kubelet that
      // is killed (SIGKILL) leaves them running, for the next one to adopt.
      close = async () => d.close({ removeContainers: true });
    } else {
      const machine = new SimNodeRuntime(env, { node });
      machine.serve();
      runtime = new SimRuntimeClient(env, node);
    }
    const serving = await serveKubeletHttp(env, node, { port: intOption(values.port, 'port', 0) });
    void runKubelet(env, client, runtime, {
      nodeName: node,
      kubeletPort: serving.port,
      nodeLeaseRenewIntervalMs: heartbeatMs,
      nodeStatusUpdateFrequencyMs: heartbeatMs,
      capacity: {
        ...(values.cpu ? { cpu: values.cpu } : {}),
        ...(values.memory ? { memory: values.memory } : {}),
        ...(values.pods ? { pods: values.pods } : {}),
      },
    });
    console.log(`kubeprop kubelet ${node}: running (${runtimeName} runtime, logs on ${serving.url})`);
    await untilSignal();
    await serving.close();
    env.close();
    await close();
    return 0;
  },
};
