// The local target's hands on its cluster's processes: outages of machines, kubelets and
// control-plane components through the `kubeprop up` Supervisor (counted as the sim's are,
// so overlapping faults compose), a container killed from outside its kubelet, and a view of
// the nodes' runtimes for the final state. What a fault does to containers is the runtime's
// (local-runtime.ts): the process runtime's die with their machine; Docker's outlive a lost
// machine's kubelet in the engine and die with a powered-off one.

import type { LiveProcesses, MachineOutage } from '../../chaos/fault-kind.js';
import type { Unit } from '../../chaos/outages.js';
import type { Supervisor } from '../../impl/cluster/live/supervisor.js';
import type { FinalContainer } from '../history/history.js';
import type { RuntimeView } from './kube-target.js';
import type { LocalRuntime } from './local-runtime.js';

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
    /** The nodes' runtimes: what outages do to containers, and what really runs. */
    readonly runtime: LocalRuntime,
    private readonly nodes: readonly string[],
    private readonly log: (line: string) => void,
  ) {}

  private isHeld(unit: Unit): boolean {
    return (this.held.get(keyOf(unit)) ?? 0) > 0;
  }

  async down(unit: Unit, outage: MachineOutage = 'power-off'): Promise<string> {
    const key = keyOf(unit);
    const n = (this.held.get(key) ?? 0) + 1;
    this.held.set(key, n);
    // A power-off while the machine is already lost still takes its containers.
    if (n > 1 && !('machine' in unit && outage === 'power-off')) return `${key} already down (${n} outages)`;
    if ('machine' in unit) {
      const kubeletWasUp = n === 1 && !this.isHeld({ kubelet: unit.machine });
      if (n === 1) await this.supervisor.kill(`kubelet/${unit.machine}`);
      const containers = await this.runtime.machineDown(unit.machine, outage);
      const done = `node ${unit.machine} ${outage === 'lost' ? 'lost' : 'powered off'}${n > 1 ? ' (already down)' : ''}: ${kubeletWasUp ? 'kubelet killed, ' : ''}${containers}`;
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

  killContainer(containerId: string): Promise<boolean> {
    return this.runtime.killContainer(containerId);
  }

  containers(namespace: string): Promise<FinalContainer[]> {
    return this.runtime.containers(namespace, this.liveNodes());
  }

  liveNodes(): string[] {
    return this.nodes.filter((n) => !this.isHeld({ machine: n }));
  }
}
