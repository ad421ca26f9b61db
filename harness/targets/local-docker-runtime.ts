// The local cluster's nodes with the Docker runtime, as the harness sees them: the engine
// itself, through dockerode, never the kubelets. Every container a kubelet of the cluster
// made carries kubeprop.cluster=<the cluster's data directory> and kubeprop.node=<node>
// beside the pod's io.kubernetes.* labels, so the listing by label is the cluster's
// `docker ps`, and the whole cluster's containers can be removed by label however its
// processes ended.
//
// What a fault does here:
// - container kill: the engine's kill with SIGKILL, as `docker kill` sends it;
// - a lost machine: only its kubelet dies (the caller kills it). Its containers run on in the
//   engine — nobody stops them — until the kubelet comes back: it removes those of pods that
//   were evicted meanwhile and adopts the others;
// - a powered-off machine: every container of the node is killed through the engine. The
//   engine keeps them, exited, as a rebooted Docker host does (restart policy "no"), so the
//   returning kubelet finds them dead and starts them again, counting the restarts.

import Docker from 'dockerode';
import type { MachineOutage } from '../../chaos/fault-kind.js';
import { CLUSTER_LABEL, engineId, NODE_LABEL } from '../../impl/runtime/docker/index.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../../impl/runtime/runtime.js';
import type { FinalContainer } from '../history/history.js';
import type { LocalRuntime } from './local-runtime.js';

/** An error from dockerode's modem carries the engine's HTTP status. */
function statusOf(e: unknown): number | undefined {
  if (typeof e === 'object' && e !== null && 'statusCode' in e && typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export class LocalDockerRuntime implements LocalRuntime {
  readonly name = 'docker';

  constructor(
    /** The cluster label of the cluster's containers (Supervisor's dockerClusterOf(dataDir)). */
    readonly cluster: string,
    private readonly docker: Docker = new Docker(),
  ) {}

  /** The cluster's containers (every state), optionally only those with these labels too. */
  private async list(labels: Readonly<Record<string, string>> = {}): Promise<Docker.ContainerInfo[]> {
    const wanted = { ...labels, [CLUSTER_LABEL]: this.cluster };
    const listed = await this.docker.listContainers({ all: true, filters: { label: Object.entries(wanted).map(([k, v]) => `${k}=${v}`) } });
    // The engine filtered already; an exact check keeps a label filter's edge cases out.
    return listed.filter((c) => Object.entries(wanted).every(([k, v]) => c.Labels?.[k] === v));
  }

  async killContainer(containerId: string): Promise<boolean> {
    const id = engineId(containerId);
    if (!id) return false;
    const container = this.docker.getContainer(id);
    try {
      const info = await container.inspect();
      if (info.Config.Labels?.[CLUSTER_LABEL] !== this.cluster || !info.State.Running) return false;
      await container.kill({ signal: 'SIGKILL' });
      return true;
    } catch (e) {
      // 404: no such container; 409: it is not running (any more).
      if (statusOf(e) === 404 || statusOf(e) === 409) return false;
      throw e;
    }
  }

  async machineDown(node: string, outage: MachineOutage): Promise<string> {
    const running = (await this.list({ [NODE_LABEL]: node })).filter((c) => c.State === 'running');
    if (outage === 'lost') return `${plural(running.length, 'container')} left running in the engine`;
    let killed = 0;
    for (const c of running) {
      try {
        await this.docker.getContainer(c.Id).kill({ signal: 'SIGKILL' });
        killed++;
      } catch (e) {
        if (statusOf(e) !== 404 && statusOf(e) !== 409) throw e;
      }
    }
    return `${plural(killed, 'container')} killed in the engine`;
  }

  async containers(namespace: string | undefined, nodes: readonly string[]): Promise<FinalContainer[]> {
    const wanted = new Set(nodes);
    const listed = await this.list(namespace !== undefined ? { [POD_NAMESPACE_LABEL]: namespace } : {});
    const out: FinalContainer[] = [];
    for (const c of listed) {
      const l = c.Labels ?? {};
      const node = l[NODE_LABEL];
      if (node === undefined || !wanted.has(node)) continue;
      out.push({
        node,
        containerId: `docker://${c.Id}`,
        running: c.State === 'running',
        ...(l[CONTAINER_NAME_LABEL] ? { container: l[CONTAINER_NAME_LABEL] } : {}),
        ...(l[POD_UID_LABEL] ? { pod: { namespace: l[POD_NAMESPACE_LABEL] ?? '', name: l[POD_NAME_LABEL] ?? '', uid: l[POD_UID_LABEL] } } : {}),
      });
    }
    return out.sort((a, b) => a.node.localeCompare(b.node) || a.containerId.localeCompare(b.containerId));
  }

  async removeAll(): Promise<number> {
    const removed = new Set<string>();
    // A removal already under way (its kubelet's, on shutdown) answers 409: look again.
    for (let pass = 0; pass < 5; pass++) {
      if (pass > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      const left = await this.list();
      if (left.length === 0) break;
      for (const c of left) {
        try {
          await this.docker.getContainer(c.Id).remove({ force: true });
          removed.add(c.Id);
        } catch (e) {
          if (statusOf(e) !== 404 && statusOf(e) !== 409) throw e;
        }
      }
    }
    return removed.size;
  }
}
