// The local cluster's nodes with the process runtime, as the harness sees them: each node's
// runtime keeps a record per container in <data dir>/nodes/<node>/containers/<key>/state.json,
// and /proc says whether its process still lives — the view `docker ps` would give, read
// without asking the kubelet. A container is killed as `kill -9` kills it: SIGKILL to its
// process group (the shim made it a group leader). A machine that goes down takes every
// container process with it, lost or powered off alike, shims included, so the returning
// kubelet finds them gone without a word, as after a reboot.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineOutage } from '../../chaos/fault-kind.js';
import { readRecord, type ContainerRecord } from '../../impl/runtime/process/container-record.js';
import { isSameProcess, signal } from '../../impl/runtime/process/proc.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../../impl/runtime/runtime.js';
import type { FinalContainer } from '../history/history.js';
import type { LocalRuntime } from './local-runtime.js';

/** A container runs when its record says started and its process is still the one started. */
function isRunning(r: ContainerRecord): boolean {
  return r.state === 'running' && isSameProcess(r.pid, r.pidStartTime);
}

export class LocalProcessRuntime implements LocalRuntime {
  readonly name = 'process';

  constructor(
    /** The `kubeprop up` data directory: node runtimes live in nodes/<name>. */
    private readonly dataDir: string,
    private readonly nodes: readonly string[],
  ) {}

  /** Every container record of a node's runtime. */
  private records(node: string): ContainerRecord[] {
    const dir = join(this.dataDir, 'nodes', node, 'containers');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((k) => readRecord(join(dir, k)))
      .filter((r): r is ContainerRecord => r !== undefined);
  }

  async killContainer(containerId: string): Promise<boolean> {
    for (const node of this.nodes) {
      const r = this.records(node).find((x) => x.id === containerId);
      if (!r) continue;
      if (!isSameProcess(r.pid, r.pidStartTime)) return false;
      signal(-r.pid, 'SIGKILL');
      return true;
    }
    return false;
  }

  async machineDown(node: string, _outage: MachineOutage): Promise<string> {
    const killed = this.killAll(node);
    return `${killed} container process${killed === 1 ? '' : 'es'} killed`;
  }

  /** Kills a node's container processes and their shims; returns how many containers were alive. */
  private killAll(node: string): number {
    let killed = 0;
    for (const r of this.records(node)) {
      if (isSameProcess(r.shimPid, r.shimStartTime)) signal(r.shimPid, 'SIGKILL');
      if (isSameProcess(r.pid, r.pidStartTime)) {
        signal(-r.pid, 'SIGKILL');
        killed++;
      }
    }
    return killed;
  }

  async containers(namespace: string | undefined, nodes: readonly string[]): Promise<FinalContainer[]> {
    const out: FinalContainer[] = [];
    for (const node of nodes) {
      for (const r of this.records(node)) {
        const l = r.labels;
        if (namespace !== undefined && l[POD_NAMESPACE_LABEL] !== namespace) continue;
        out.push({
          node,
          containerId: r.id,
          running: isRunning(r),
          ...(l[CONTAINER_NAME_LABEL] ? { container: l[CONTAINER_NAME_LABEL] } : {}),
          ...(l[POD_UID_LABEL] ? { pod: { namespace: l[POD_NAMESPACE_LABEL] ?? '', name: l[POD_NAME_LABEL] ?? '', uid: l[POD_UID_LABEL] } } : {}),
        });
      }
    }
    return out.sort((a, b) => a.node.localeCompare(b.node) || a.containerId.localeCompare(b.containerId));
  }

  /** Kills every container process; the records go with the data directory. */
  async removeAll(): Promise<number> {
    let killed = 0;
    for (const node of this.nodes) killed += this.killAll(node);
    return killed;
  }
}
