// The local target's hands on its cluster's processes: outages of machines, kubelets and
// control-plane components through the `kubeprop up` Supervisor (counted as the sim's are,
// so overlapping faults compose), kill -9 of a container's process, and a view of the
// nodes' process runtimes (their container records on disk, checked against /proc) for
// the final state. A machine loss kills the kubelet, then each container's shim and process,
// so the restarted kubelet finds them gone without a word, as after a reboot.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveProcesses } from '../../chaos/fault-kind.js';
import type { Unit } from '../../chaos/outages.js';
import type { Supervisor } from '../../impl/cluster/live/supervisor.js';
import { readRecord, type ContainerRecord } from '../../impl/runtime/process/container-record.js';
import { isSameProcess, signal } from '../../impl/runtime/process/proc.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../../impl/runtime/runtime.js';
import type { FinalContainer } from '../history/history.js';
import type { RuntimeView } from './kube-target.js';

function keyOf(unit: Unit): string {
  if ('machine' in unit) return `node/${unit.machine}`;
  if ('kubelet' in unit) return `kubelet/${unit.kubelet}`;
  return unit.component;
}

export class LocalProcesses implements LiveProcesses, RuntimeView {
  /** Outages in force per unit key: the unit is down while its count is above zero. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly supervisor: Supervisor,
    /** The `kubeprop up` data directory: node runtimes live in nodes/<name>. */
    private readonly dataDir: string,
    private readonly nodes: readonly string[],
    private readonly log: (line: string) => void,
  ) {}

  private isHeld(unit: Unit): boolean {
    return (this.held.get(keyOf(unit)) ?? 0) > 0;
  }

  /** Every container record of a node's runtime. */
  private records(node: string): ContainerRecord[] {
    const dir = join(this.dataDir, 'nodes', node, 'containers');
    let keys: string[];
    try {
      keys = readdirSync(dir);
    } catch {
      return [];
    }
    return keys.map((k) => readRecord(join(dir, k))).filter((r): r is ContainerRecord => r !== undefined);
  }

  async down(unit: Unit): Promise<string> {
    const key = keyOf(unit);
    const n = (this.held.get(key) ?? 0) + 1;
    this.held.set(key, n);
    if (n > 1) return `${key} already down (${n} outages)`;
    if ('machine' in unit) {
      const kubeletWasUp = !this.isHeld({ kubelet: unit.machine });
      await this.supervisor.kill(`kubelet/${unit.machine}`);
      let killed = 0;
      for (const r of this.records(unit.machine)) {
        if (isSameProcess(r.shimPid, r.shimStartTime)) signal(r.shimPid, 'SIGKILL');
        if (isSameProcess(r.pid, r.pidStartTime)) {
          signal(-r.pid, 'SIGKILL');
          killed++;
        }
      }
      const done = `node ${unit.machine} lost: ${kubeletWasUp ? 'kubelet and ' : ''}${killed} container process${killed === 1 ? '' : 'es'} killed`;
      this.log(`[local] ${done}`);
      return done;
    }
    const wasUp = 'kubelet' in unit ? !this.isHeld({ machine: unit.kubelet }) : true;
    if (wasUp) await this.supervisor.kill(key);
    const done = wasUp ? `${key} killed` : `${key} already down with its node`;
    this.log(`[local] ${done}`);
    return done;
  }

  async up(unit: Unit): Promise<string> {
    const key = keyOf(unit);
    const n = (this.held.get(key) ?? 0) - 1;
    if (n > 0) {
      this.held.set(key, n);
      return `${key} stays down (${n} more outage${n === 1 ? '' : 's'})`;
    }
    this.held.delete(key);
    let done: string;
    if ('machine' in unit) {
      const kubeletHeld = this.isHeld({ kubelet: unit.machine });
      if (!kubeletHeld) this.supervisor.start(`kubelet/${unit.machine}`);
      done = `node ${unit.machine} back${kubeletHeld ? ', its kubelet still down' : ': kubelet started'}`;
    } else if ('kubelet' in unit) {
      const machineHeld = this.isHeld({ machine: unit.kubelet });
      if (!machineHeld) this.supervisor.start(key);
      done = machineHeld ? `${key} stays down with its node` : `${key} started`;
    } else {
      this.supervisor.start(key);
      done = `${key} started`;
    }
    this.log(`[local] ${done}`);
    return done;
  }

  /** Ends every outage still in force (after a run that failed midway). */
  async healAll(): Promise<void> {
    for (const key of [...this.held.keys()]) {
      this.held.delete(key);
      this.supervisor.start(key.startsWith('node/') ? `kubelet/${key.slice('node/'.length)}` : key);
    }
  }

  killContainer(containerId: string): boolean {
    for (const node of this.nodes) {
      const r = this.records(node).find((x) => x.id === containerId);
      if (!r) continue;
      if (!isSameProcess(r.pid, r.pidStartTime)) return false;
      // The container's process leads its own process group (the shim's setsid): kill it all.
      signal(-r.pid, 'SIGKILL');
      return true;
    }
    return false;
  }

  /** Kills every container process the nodes' runtimes still hold (when the cluster stops). */
  killAllContainers(): void {
    for (const node of this.nodes) {
      for (const r of this.records(node)) {
        if (isSameProcess(r.pid, r.pidStartTime)) signal(-r.pid, 'SIGKILL');
        if (isSameProcess(r.shimPid, r.shimStartTime)) signal(r.shimPid, 'SIGKILL');
      }
    }
  }

  containers(namespace: string): FinalContainer[] {
    const out: FinalContainer[] = [];
    for (const node of this.liveNodes()) {
      for (const r of this.records(node)) {
        const l = r.labels;
        if (l[POD_NAMESPACE_LABEL] !== namespace) continue;
        out.push({
          node,
          containerId: r.id,
          // Running as far as the runtime knows, and the process still there.
          running: r.state === 'running' && isSameProcess(r.pid, r.pidStartTime),
          ...(l[CONTAINER_NAME_LABEL] ? { container: l[CONTAINER_NAME_LABEL] } : {}),
          ...(l[POD_UID_LABEL] ? { pod: { namespace, name: l[POD_NAME_LABEL] ?? '', uid: l[POD_UID_LABEL] } } : {}),
        });
      }
    }
    return out.sort((a, b) => a.node.localeCompare(b.node) || a.containerId.localeCompare(b.containerId));
  }

  liveNodes(): string[] {
    return this.nodes.filter((n) => !this.isHeld({ machine: n }));
  }
}
