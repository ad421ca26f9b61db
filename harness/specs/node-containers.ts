// What the local target's nodes really run: the process runtime keeps each container's record
// in <node data dir>/containers/<key>/state.json, and /proc says whether its process still
// lives — the view `docker ps` would give, read without asking the kubelet. Also how a lost
// machine's containers die with it: SIGKILL to each container's process group and shim.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRecord, type ContainerRecord } from '../../impl/runtime/process/container-record.js';
import { isSameProcess, signal } from '../../impl/runtime/process/proc.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../../impl/runtime/runtime.js';
import type { RuntimeContainer } from './spec-driver.js';

/** Every container record of one node's runtime. */
export function nodeContainerRecords(nodeDataDir: string): ContainerRecord[] {
  const dir = join(nodeDataDir, 'containers');
  if (!existsSync(dir)) return [];
  const out: ContainerRecord[] = [];
  for (const key of readdirSync(dir)) {
    const r = readRecord(join(dir, key));
    if (r) out.push(r);
  }
  return out;
}

/** A container runs when its record says started and its process is still the one started. */
export function isRunning(r: ContainerRecord): boolean {
  return r.state === 'running' && isSameProcess(r.pid, r.pidStartTime);
}

export function runtimeContainer(node: string, r: ContainerRecord): RuntimeContainer {
  const l = r.labels;
  return {
    node,
    id: r.id,
    running: isRunning(r),
    ...(l[CONTAINER_NAME_LABEL] ? { container: l[CONTAINER_NAME_LABEL] } : {}),
    ...(l[POD_UID_LABEL] ? { pod: { namespace: l[POD_NAMESPACE_LABEL] ?? '', name: l[POD_NAME_LABEL] ?? '', uid: l[POD_UID_LABEL] } } : {}),
  };
}

/** Kills every container of a node as a lost machine would: process groups and shims. */
export function killNodeContainers(nodeDataDir: string): number {
  let killed = 0;
  for (const r of nodeContainerRecords(nodeDataDir)) {
    if (isSameProcess(r.pid, r.pidStartTime)) {
      signal(-r.pid, 'SIGKILL');
      killed++;
    }
    if (isSameProcess(r.shimPid, r.shimStartTime)) signal(r.shimPid, 'SIGKILL');
  }
  return killed;
}
