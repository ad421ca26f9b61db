// Every fault kind of the design (DESIGN.md, "Faults"), one file each (STYLE.md #3).

import { apiserverRestart } from './apiserver-restart.js';
import { containerCrash } from './container-crash.js';
import { containerKill } from './container-kill.js';
import { controllerManagerRestart } from './controller-manager-restart.js';
import { duplicateCreate } from './duplicate-create.js';
import type { FaultKind } from './fault-kind.js';
import { kubeletRestart } from './kubelet-restart.js';
import { messageDelay } from './message-delay.js';
import { nodeAdd } from './node-add.js';
import { nodeLoss } from './node-loss.js';
import { nodePartition } from './node-partition.js';
import { nodeRestart } from './node-restart.js';
import { schedulerRestart } from './scheduler-restart.js';
import { staleUpdate } from './stale-update.js';
import { storeCompaction } from './store-compaction.js';
import { watchDrop } from './watch-drop.js';

export type { FaultKind, SimFaultContext } from './fault-kind.js';

export const FAULT_KINDS: readonly FaultKind[] = [
  containerKill,
  containerCrash,
  nodeLoss,
  nodePartition,
  nodeRestart,
  nodeAdd,
  apiserverRestart,
  controllerManagerRestart,
  schedulerRestart,
  kubeletRestart,
  watchDrop,
  storeCompaction,
  duplicateCreate,
  staleUpdate,
  messageDelay,
];

export function faultKindByName(name: string): FaultKind | undefined {
  return FAULT_KINDS.find((k) => k.kind === name);
}
