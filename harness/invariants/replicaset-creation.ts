// replicaset-creation: a ReplicaSet never creates a pod beyond spec.replicas. Upstream's
// ReplicaSet controller counts the active pods it owns (neither terminal nor being deleted,
// FilterActivePods) and creates only the difference to spec.replicas; its expectations (a
// TTL cache of the creates and deletes it issued and has not yet seen in its informer) keep
// a sync that runs on a cache lagging behind its own writes from creating the same pods a
// second time. So whenever a pod is created for a ReplicaSet, the active pods that
// ReplicaSet created itself, the new one included, number at most spec.replicas.
//
// Judged at each revision that creates a pod owned by a ReplicaSet, on the state at that
// revision. What upstream cannot promise is not held against it:
// - spec.replicas is the largest over the ReplicaSet's versions since the generation its
//   status last reports as observed: a scale-down may land while the creates of a sync
//   made for the larger size are still in flight;
// - pods it adopted are not counted (it adopts orphans it did not create, then deletes any
//   excess), nor ReplicaSets being deleted (their controller no longer manages them);
// - an excess that begins while the controller-manager is restarting, or within
//   STALE_REQUEST_MS of its restart, is excused until it ends: the expectations died with
//   the old process while its last creates may still be on their way.

import type { History, ObjectSummary } from '../history/history.js';
import { at, count, nameOf } from './describe.js';
import { faultWindows, isActive, type FaultWindow } from './history-views.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';
import { replayRevisions, type ReplayState } from './revision-replay.js';

const NAME = 'replicaset-creation';

/** How long a request a component sent may still arrive after the component died (a client's timeout). */
export const STALE_REQUEST_MS = 10_000;

/** Whether a controller-manager restart may have left creates in flight at `time`. */
function restarting(windows: readonly FaultWindow[], time: number): boolean {
  return windows.some((w) => w.kind === 'controller-manager-restart' && w.start <= time && time <= w.end + STALE_REQUEST_MS);
}

/** The largest spec.replicas among the versions the controller may still be acting on. */
function tolerantReplicas(rs: ObjectSummary, versions: readonly ObjectSummary[]): number {
  const observed = rs.status?.observedGeneration;
  const candidates = versions.filter((v) => observed === undefined || v.generation === undefined || v.generation >= observed);
  return Math.max(rs.replicas ?? 1, ...candidates.map((v) => v.replicas ?? 1));
}

export const replicasetCreation: Invariant = {
  name: NAME,
  description: 'a ReplicaSet creates no pod beyond spec.replicas: at each create, the active pods it created number at most spec.replicas',
  check(history: History) {
    const violations: Violation[] = [];
    const windows = faultWindows(history.faults);
    let checks = 0;
    /** ReplicaSet uid → its versions so far. */
    const versions = new Map<string, ObjectSummary[]>();
    /** ReplicaSets above their bound since an earlier revision (one report an episode). */
    const excess = new Set<string>();

    /** The active pods `rs` created itself (its first version named it as owner). */
    const ownPods = (rs: ObjectSummary, state: ReplayState) =>
      state.dependentsOf(rs.uid).filter((p) => p.kind === 'Pod' && isActive(p) && (state.created.get(p.uid)?.first.ownerUids?.includes(rs.uid) ?? false));

    const observed = replayRevisions(history, (step, state) => {
      const touched = new Set<string>();
      const createdFor = new Map<string, ObjectSummary>();
      for (const { version, before } of step.changes) {
        const o = version.object;
        if (o.kind === 'ReplicaSet' && !version.deleted) versions.set(o.uid, [...(versions.get(o.uid) ?? []), o]);
        if (o.kind !== 'Pod') continue;
        for (const owner of [...(before?.ownerUids ?? []), ...(o.ownerUids ?? [])]) touched.add(owner);
        if (!before && !version.deleted && state.created.get(o.uid)?.rv === step.rv) for (const owner of o.ownerUids ?? []) createdFor.set(owner, o);
      }
      for (const uid of touched) {
        const rs = state.get(uid);
        if (rs?.kind !== 'ReplicaSet') {
          excess.delete(uid);
          continue;
        }
        const own = ownPods(rs, state);
        const bound = tolerantReplicas(rs, versions.get(rs.uid) ?? []);
        const pod = createdFor.get(uid);
        if (!pod) {
          if (own.length <= bound) excess.delete(uid);
          continue;
        }
        if (rs.deleting) continue;
        checks++;
        if (own.length <= bound) {
          excess.delete(uid);
          continue;
        }
        if (excess.has(uid)) continue;
        excess.add(uid);
        if (restarting(windows, step.time)) continue;
        violations.push({
          invariant: NAME,
          message:
            `${nameOf(rs)} created ${nameOf(pod)} at ${at(step.time)} (resourceVersion ${step.rv}), making ${count(own.length, 'active pod')} it created ` +
            `for spec.replicas ${rs.replicas ?? 1}${bound !== (rs.replicas ?? 1) ? ` (at most ${bound} in the versions its controller may still act on)` : ''}: ` +
            own.map((p) => p.name).join(', '),
          time: step.time,
          objects: [nameOf(rs), ...own.map(nameOf), `resourceVersion ${step.rv}`],
        });
      }
    });
    if (!observed) return notChecked('no objects were observed on any watch');
    return result(violations, checks);
  },
};
