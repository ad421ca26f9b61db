// pod-lifecycle: every pod's observed versions, ordered by resourceVersion across all
// observers, follow the pod state machine: phase Pending → Running → Succeeded|Failed (or
// Pending → terminal) and never back; nodeName is set once and never changes; the pod is
// scheduled (PodScheduled true or nodeName set) no later than it is first Running; each
// container's restartCount never decreases. With runtime records: no container of a pod
// starts on a node other than the one it is bound to, nor before it was bound there.
//
// Versions are ordered by resourceVersion, not arrival time: observers lag each other, so
// one may deliver an old version after another delivered a newer one.

import type { History, RuntimeRecord } from '../history/history.js';
import { at, nameOf } from './describe.js';
import { storeKey, versionsByUid, type Version } from './history-views.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';

const NAME = 'pod-lifecycle';

/** How far along the lifecycle a phase is; phases outside the machine (Unknown) are skipped. */
const RANK: Readonly<Record<string, number>> = { Pending: 0, Running: 1, Succeeded: 2, Failed: 2 };

function rank(phase: string | undefined): number | undefined {
  return phase === undefined ? undefined : RANK[phase];
}

function checkPod(versions: readonly Version[], violations: Violation[]): number {
  let checks = 0;
  const push = (message: string, v: Version) => violations.push({ invariant: NAME, message, time: v.time, objects: [nameOf(v.object), `resourceVersion ${v.rv}`] });
  let lastPhased: Version | undefined;
  let bound: Version | undefined;
  let scheduled = false;
  let sawRunning = false;
  const restarts = new Map<string, { count: number; v: Version }>();
  for (const v of versions) {
    const o = v.object;
    const r = rank(o.phase);
    if (r !== undefined) {
      checks++;
      if (lastPhased) {
        const before = lastPhased.object.phase;
        const rb = rank(before) ?? 0;
        if (r < rb || (r === 2 && rb === 2 && before !== o.phase)) {
          push(`${nameOf(o)} went from ${before} to ${o.phase} at ${at(v.time)} (resourceVersion ${lastPhased.rv} → ${v.rv})`, v);
        }
      }
      lastPhased = v;
    }

    checks++;
    if (bound) {
      if (o.nodeName !== bound.object.nodeName) {
        const now = o.nodeName ? `changed to ${o.nodeName}` : 'was cleared';
        push(`nodeName of ${nameOf(o)} was set to ${bound.object.nodeName} at resourceVersion ${bound.rv} and ${now} at ${at(v.time)} (resourceVersion ${v.rv})`, v);
      }
    } else if (o.nodeName) bound = v;

    if (o.nodeName || o.scheduledCondition === true) scheduled = true;
    if (o.phase === 'Running' && !sawRunning) {
      sawRunning = true;
      checks++;
      if (!scheduled) push(`${nameOf(o)} was Running at ${at(v.time)} (resourceVersion ${v.rv}) before it was scheduled (no nodeName, PodScheduled not true)`, v);
    }

    for (const [container, n] of Object.entries(o.restartCounts ?? {})) {
      const prev = restarts.get(container);
      checks++;
      if (prev && n < prev.count) {
        push(`restartCount of container ${container} in ${nameOf(o)} went from ${prev.count} to ${n} at ${at(v.time)} (resourceVersion ${prev.v.rv} → ${v.rv})`, v);
      }
      if (!prev || n >= prev.count) restarts.set(container, { count: n, v });
    }
  }
  return checks;
}

/**
 * A started container against its pod's binding. The node must be the pod's. The time is
 * judged only against the store's commit times (the bind is committed after the last
 * unbound version and no earlier than the next write to the pod's key): an observer's
 * arrival time is later than the commit by an unknown lag and would raise false alarms.
 */
function checkStart(history: History, rec: RuntimeRecord, versions: readonly Version[], podWrites: ReadonlyMap<string, readonly { revision: number; time: number }[]>, violations: Violation[]): number {
  const pod = rec.pod;
  if (!pod) return 0;
  const first = versions[0];
  if (!first) return 0;
  const o = first.object;
  const name = nameOf(o);
  const what = `container ${rec.container ?? rec.containerId} of ${name}`;
  const firstBound = versions.find((v) => v.object.nodeName);
  const boundTo = firstBound?.object.nodeName;
  if (boundTo !== undefined && boundTo !== rec.node) {
    violations.push({ invariant: NAME, message: `${what} started on node ${rec.node} at ${at(rec.time)}, but the pod is bound to node ${boundTo}`, time: rec.time, objects: [name, `node ${rec.node}`] });
    return 1;
  }
  if (!history.storeWrites) return 1;
  const unbound = versions.filter((v) => !v.object.nodeName && !v.deleted && (!firstBound || v.rv < firstBound.rv));
  const lastUnbound = unbound[unbound.length - 1];
  if (!lastUnbound) return 1;
  const writes = podWrites.get(storeKey('pods', o.namespace, o.name)) ?? [];
  const bind = writes.find((w) => w.revision > lastUnbound.rv);
  if (!bind) {
    violations.push({
      invariant: NAME,
      message: `${what} started on node ${rec.node} at ${at(rec.time)}, but the pod was never bound (last written unbound at resourceVersion ${lastUnbound.rv})`,
      time: rec.time,
      objects: [name, `node ${rec.node}`, `resourceVersion ${lastUnbound.rv}`],
    });
  } else if (rec.time < bind.time) {
    violations.push({
      invariant: NAME,
      message: `${what} started on node ${rec.node} at ${at(rec.time)}, before the pod was bound: it was unbound at resourceVersion ${lastUnbound.rv} and not written again until revision ${bind.revision} at ${at(bind.time)}`,
      time: rec.time,
      objects: [name, `node ${rec.node}`, `resourceVersion ${lastUnbound.rv}`, `revision ${bind.revision}`],
    });
  }
  return 1;
}

export const podLifecycle: Invariant = {
  name: NAME,
  description:
    'phases only Pending → Running → Succeeded|Failed (or Pending → terminal); nodeName set once; scheduled before Running; ' +
    'restartCount never decreases; no container starts before (or elsewhere than) its pod is bound',
  check(history) {
    const pods = versionsByUid(history.watches, 'Pod');
    if (pods.size === 0) return notChecked('no pod was observed on any watch');
    const violations: Violation[] = [];
    let checks = 0;
    for (const versions of pods.values()) checks += checkPod(versions, violations);
    if (history.runtime) {
      const podWrites = new Map<string, { revision: number; time: number }[]>();
      for (const w of [...(history.storeWrites ?? [])].sort((a, b) => a.revision - b.revision)) {
        for (const c of w.changes) {
          if (!c.key.startsWith('/registry/pods/')) continue;
          const list = podWrites.get(c.key) ?? [];
          list.push({ revision: w.revision, time: w.time });
          podWrites.set(c.key, list);
        }
      }
      for (const rec of history.runtime) {
        if (rec.type !== 'started' || !rec.pod) continue;
        checks += checkStart(history, rec, pods.get(rec.pod.uid) ?? [], podWrites, violations);
      }
    }
    return result(violations, checks);
  },
};

