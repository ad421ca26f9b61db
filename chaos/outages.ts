// Stopping and restarting processes of the sim cluster on behalf of fault kinds (node-loss,
// node-restart, kubelet-restart, the component restarts). Outages are counted per unit: the
// unit goes down with the first outage and comes back when the last one heals, so faults
// that overlap compose instead of one fault's heal restarting what another still holds down.
// A node's kubelet runs only while neither its machine nor the kubelet itself is held down.

import type { SimCluster } from '../impl/cluster/sim/sim-cluster.js';
import { kubeletProcess, type Component } from './shape.js';

/** What an outage stops: a node's machine (with its kubelet and containers), a kubelet, a component. */
export type Unit = { readonly machine: string } | { readonly kubelet: string } | { readonly component: Component };

/** Outages in force per cluster (a run has one cluster; the map forgets it with the run). */
const held = new WeakMap<SimCluster, Map<string, number>>();

function keyOf(unit: Unit): string {
  if ('machine' in unit) return `node/${unit.machine}`;
  if ('kubelet' in unit) return kubeletProcess(unit.kubelet);
  return unit.component;
}

function counts(cluster: SimCluster): Map<string, number> {
  let m = held.get(cluster);
  if (!m) held.set(cluster, (m = new Map()));
  return m;
}

function isHeld(cluster: SimCluster, unit: Unit): boolean {
  return (counts(cluster).get(keyOf(unit)) ?? 0) > 0;
}

/** Starts an outage of `unit`; the first one stops it. */
export function down(cluster: SimCluster, unit: Unit): void {
  const m = counts(cluster);
  const key = keyOf(unit);
  const n = (m.get(key) ?? 0) + 1;
  m.set(key, n);
  if (n > 1) return;
  if ('machine' in unit) cluster.loseNode(unit.machine);
  else cluster.kill(key);
}

/** Ends an outage of `unit`; the last one starts it again. */
export function up(cluster: SimCluster, unit: Unit): void {
  const m = counts(cluster);
  const key = keyOf(unit);
  const n = (m.get(key) ?? 0) - 1;
  if (n > 0) {
    m.set(key, n);
    return;
  }
  m.delete(key);
  if ('machine' in unit) {
    if (isHeld(cluster, { kubelet: unit.machine })) cluster.startMachine(unit.machine);
    else cluster.startNode(unit.machine);
  } else if ('kubelet' in unit) {
    if (!isHeld(cluster, { machine: unit.kubelet })) cluster.startKubelet(unit.kubelet);
  } else if (unit.component === 'apiserver') cluster.startApiServer();
  else if (unit.component === 'controller-manager') cluster.startControllerManager();
  else cluster.startScheduler();
}
