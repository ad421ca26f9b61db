// What the harness does to, and sees of, the node runtimes of a `kubeprop up` cluster on this
// machine, whichever runtime its kubelets use: kill a container from outside its kubelet,
// let a machine's containers share its fate, list the containers that really exist, and
// remove them all when the cluster stops. The process runtime's answers come from its
// container records and /proc (local-process-runtime.ts), Docker's from the engine
// (local-docker-runtime.ts): never from the kubelets, whose word is what is being judged.

import type { MachineOutage } from '../../chaos/fault-kind.js';
import type { FinalContainer } from '../history/history.js';

export type LocalRuntimeName = 'process' | 'docker';

export const LOCAL_RUNTIMES: readonly LocalRuntimeName[] = ['process', 'docker'];

export function isLocalRuntimeName(name: string): name is LocalRuntimeName {
  return (LOCAL_RUNTIMES as readonly string[]).includes(name);
}

export interface LocalRuntime {
  readonly name: LocalRuntimeName;
  /**
   * SIGKILLs a running container from outside its kubelet (kill -9 of a process://PID, the
   * engine's kill of a docker://ID); false when the id names no running container of the cluster.
   */
  killContainer(containerId: string): Promise<boolean>;
  /**
   * What becomes of a node's containers when its machine goes down (its kubelet is already
   * killed): resolves to a phrase for the fault log, like "3 containers killed".
   */
  machineDown(node: string, outage: MachineOutage): Promise<string>;
  /** The containers of the namespace's pods (every pod's when undefined) on these nodes, running or not, by node then id. */
  containers(namespace: string | undefined, nodes: readonly string[]): Promise<FinalContainer[]>;
  /** Kills and removes every container of the cluster, whoever left it (the cluster stops); resolves to how many. */
  removeAll(): Promise<number>;
}
