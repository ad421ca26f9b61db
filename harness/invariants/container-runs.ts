// Container runs: the runtime records of a history folded into one life per container
// instance on its node — when it started, the signals delivered to it, when and how it
// ended — grouped by (node, pod uid, container name), the unit the kubelet keeps one
// running instance of. Shared by the checkers of the kubelet's container handling
// (single-container-instance, crash-loop-back-off, graceful-termination). Pure.

import type { RuntimeRecord, Time } from '../history/history.js';

export interface DeliveredSignal {
  readonly time: Time;
  /** 15 SIGTERM, 9 SIGKILL. */
  readonly signal: number;
  readonly request?: 'stop' | 'kill';
}

export interface ContainerRun {
  readonly node: string;
  readonly containerId: string;
  readonly pod: { readonly namespace: string; readonly name: string; readonly uid: string };
  readonly container: string;
  readonly startedAt: Time;
  /** When it exited (or died with its machine, or was removed); undefined: it ran on to the end of the history. */
  readonly endedAt?: Time;
  readonly exitCode?: number;
  /** It died with its machine (node loss or reboot), not on its own. */
  readonly powerOff: boolean;
  /** Signals delivered while it ran, in time order. */
  readonly signals: readonly DeliveredSignal[];
  readonly specHash?: string;
}

interface Draft {
  node: string;
  containerId: string;
  pod?: ContainerRun['pod'];
  container?: string;
  startedAt?: Time;
  endedAt?: Time;
  exitCode?: number;
  powerOff: boolean;
  signals: DeliveredSignal[];
  specHash?: string;
}

/**
 * Every container instance that started and belongs to a pod's container, in start order
 * (ties by node and id). Records are taken in time order (stable), so a history that lists
 * them out of order folds alike.
 */
export function containerRuns(records: readonly RuntimeRecord[]): ContainerRun[] {
  const drafts = new Map<string, Draft>();
  const sorted = records.map((r, i) => ({ r, i })).sort((a, b) => a.r.time - b.r.time || a.i - b.i);
  for (const { r } of sorted) {
    const key = `${r.node}\u0000${r.containerId}`;
    let d = drafts.get(key);
    if (!d) drafts.set(key, (d = { node: r.node, containerId: r.containerId, powerOff: false, signals: [] }));
    if (r.pod) d.pod = r.pod;
    if (r.container !== undefined) d.container = r.container;
    if (r.specHash !== undefined) d.specHash = r.specHash;
    switch (r.type) {
      case 'started':
        d.startedAt ??= r.time;
        break;
      case 'killed':
        if (d.endedAt === undefined && r.signal !== undefined) d.signals.push({ time: r.time, signal: r.signal, ...(r.request ? { request: r.request } : {}) });
        break;
      case 'exited':
        if (d.endedAt === undefined) {
          d.endedAt = r.time;
          if (r.exitCode !== undefined) d.exitCode = r.exitCode;
          if (r.powerOff) d.powerOff = true;
        }
        break;
      case 'removed':
        d.endedAt ??= r.time;
        break;
      case 'created':
        break;
    }
  }
  const runs: ContainerRun[] = [];
  for (const d of drafts.values()) {
    if (d.startedAt === undefined || !d.pod || d.container === undefined) continue;
    runs.push({
      node: d.node,
      containerId: d.containerId,
      pod: d.pod,
      container: d.container,
      startedAt: d.startedAt,
      ...(d.endedAt !== undefined ? { endedAt: d.endedAt } : {}),
      ...(d.exitCode !== undefined ? { exitCode: d.exitCode } : {}),
      powerOff: d.powerOff,
      signals: d.signals,
      ...(d.specHash !== undefined ? { specHash: d.specHash } : {}),
    });
  }
  return runs.sort((a, b) => a.startedAt - b.startedAt || a.node.localeCompare(b.node) || a.containerId.localeCompare(b.containerId));
}

/** The runs of each (node, pod uid, container name), each list in start order. */
export function runsByContainer(runs: readonly ContainerRun[]): Map<string, ContainerRun[]> {
  const out = new Map<string, ContainerRun[]>();
  for (const r of runs) {
    const key = `${r.node}\u0000${r.pod.uid}\u0000${r.container}`;
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  }
  return out;
}

/** "container app (sim://ab12) of pod default/web-7d9" */
export function runName(r: Pick<ContainerRun, 'container' | 'containerId' | 'pod'>): string {
  return `container ${r.container} (${r.containerId}) of pod ${r.pod.namespace}/${r.pod.name}`;
}
