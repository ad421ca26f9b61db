// crash-loop-back-off: a container that keeps exiting is restarted with upstream's
// CrashLoopBackOff, not at once. Upstream (kuberuntime_manager doBackOff, over client-go's
// flowcontrol.Backoff keyed by pod, container name and spec hash, in the kubelet's memory):
// to restart an exited container the kubelet asks whether its key is in back-off since the
// exit's finishedAt. The first restart finds no entry, goes at once and makes one of 10 s;
// each later one waits until finishedAt + the entry's delay, which then doubles, capped at
// 300 s. An entry is forgotten once 2 × 300 s pass since it was last set (measured from the
// exit, or by the kubelet's periodic GC), when the spec changes (a new hash is a new key),
// and when the kubelet restarts. Every restart backs off alike: after a crash, a kill, or a
// clean exit under restartPolicy Always.
//
// Judged on the runtime records, per (node, pod uid, container name): an instance that
// started after the previous one ended is a restart, and the chain of restarts replays the
// back-off entry. The checker never demands more than upstream would: the chain starts over
// with no entry (the next restart may go at once) when the previous instance was stopped by
// the kubelet (a spec change, a termination), died with its machine (the runtime lost it,
// so upstream finds no exited instance to back off from) or had another spec hash; a fault
// that took the node's kubelet down in between (kubelet-restart, node-restart, node-loss)
// leaves a new kubelet that restarts at once and makes a fresh entry; and an entry counts as
// forgotten once more than 600 s passed since the exit before the restart that set it (the
// earliest moment it can have been set). A kill sent directly (`docker kill`, a
// container-kill fault) is a failure like any other exit.

import type { FaultRecord, Time } from '../history/history.js';
import { at, seconds } from './describe.js';
import { containerRuns, runsByContainer, type ContainerRun } from './container-runs.js';
import { faultWindows, type FaultWindow } from './history-views.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';

const NAME = 'crash-loop-back-off';

/** Upstream's kubelet: 10 s doubling to 5 min; an entry idle for twice the cap is forgotten. */
export const CRASH_LOOP_BACK_OFF = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 } as const;

/** Faults that take a node's kubelet down: its in-memory back-off entries go with it. */
const KUBELET_OUTAGES = new Set(['kubelet-restart', 'node-restart', 'node-loss']);

interface Entry {
  delayMs: number;
  /** The exit before the restart that last set the entry (the earliest anchor of its expiry). */
  anchor: Time;
  /** Restarts since the entry was made (the first one went at once). */
  restarts: number;
}

function kubeletWentDown(outages: readonly FaultWindow[], node: string, from: Time, to: Time): boolean {
  return outages.some((w) => w.target === node && w.start <= to && w.end >= from);
}

/**
 * Whether `cur`, started after `prev` ended, restarted it under a back-off entry nobody can
 * have forgotten: 'none' when nothing is known about the entry (no back-off to demand now),
 * 'fresh' when the restart found no entry and made one, 'chain' when it continues the chain.
 */
function restartKind(prev: ContainerRun, cur: ContainerRun, outages: readonly FaultWindow[]): 'none' | 'fresh' | 'chain' {
  // Overlapping instances are single-container-instance's to judge.
  if (prev.endedAt === undefined || prev.endedAt > cur.startedAt) return 'none';
  // The runtime lost the exited instance with its machine: upstream finds none to back off from.
  if (prev.powerOff) return 'none';
  // A stop by the kubelet (a spec change, a termination) is no crash; a new spec is a new key.
  if (prev.signals.some((s) => s.request === 'stop') || prev.specHash !== cur.specHash) return 'none';
  // A new kubelet found the exited instance but no entry in its memory: it restarts at once.
  if (kubeletWentDown(outages, cur.node, prev.startedAt, cur.startedAt)) return 'fresh';
  return 'chain';
}

function checkContainer(runs: readonly ContainerRun[], outages: readonly FaultWindow[], violations: Violation[]): number {
  let checks = 0;
  let entry: Entry | undefined;
  for (let i = 1; i < runs.length; i++) {
    const prev = runs[i - 1]!;
    const cur = runs[i]!;
    const kind = restartKind(prev, cur, outages);
    const exit = prev.endedAt ?? cur.startedAt;
    if (kind === 'none') {
      entry = undefined;
      continue;
    }
    if (kind === 'fresh' || !entry || cur.startedAt - entry.anchor > CRASH_LOOP_BACK_OFF.resetAfterMs) {
      entry = { delayMs: CRASH_LOOP_BACK_OFF.initialMs, anchor: exit, restarts: 1 };
      continue;
    }
    checks++;
    const due = exit + entry.delayMs;
    if (cur.startedAt < due) {
      const p = `pod ${cur.pod.namespace}/${cur.pod.name}`;
      violations.push({
        invariant: NAME,
        message:
          `container ${cur.container} of ${p} on node ${cur.node} exited at ${at(exit)}${prev.exitCode !== undefined ? ` (exit code ${prev.exitCode})` : ''} ` +
          `and was restarted ${seconds(cur.startedAt - exit)} later, at ${at(cur.startedAt)}: restart ${entry.restarts + 1} in a row must wait out ` +
          `its back-off of ${seconds(entry.delayMs)} (CrashLoopBackOff until ${at(due)})`,
        time: cur.startedAt,
        objects: [p, `node ${cur.node}`, prev.containerId, cur.containerId],
      });
      // One violation a container: the rest of its loop would repeat it.
      return checks;
    }
    entry = { delayMs: Math.min(entry.delayMs * 2, CRASH_LOOP_BACK_OFF.maxMs), anchor: exit, restarts: entry.restarts + 1 };
  }
  return checks;
}

export const crashLoopBackOff: Invariant = {
  name: NAME,
  description: 'a container that keeps exiting is restarted after a back-off of 10 s doubling to 300 s (CrashLoopBackOff), the first restart at once',
  check(history) {
    if (!history.runtime) return notChecked("the target does not record its nodes' runtime events");
    const outages = faultWindows(history.faults.filter((f: FaultRecord) => KUBELET_OUTAGES.has(f.kind)));
    const violations: Violation[] = [];
    let checks = 0;
    for (const runs of runsByContainer(containerRuns(history.runtime)).values()) checks += checkContainer(runs, outages, violations);
    return result(violations, checks);
  },
};
