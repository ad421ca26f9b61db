// rollout-strategy: a Deployment with strategy Recreate never runs old and new pods side by
// side. Upstream's rolloutRecreate scales every old ReplicaSet to 0, then waits until
// oldPodsRunning is false — no old ReplicaSet reports status.replicas and no pod of an old
// ReplicaSet is in a non-terminal phase (terminating pods count: they may still run) — and
// only then scales the new ReplicaSet up. So when a pod of the new ReplicaSet (the one whose
// template is the Deployment's current one) is created, no pod of another ReplicaSet of the
// Deployment may be in a non-terminal phase.
//
// Judged at each pod's creation, on the state at that revision. Excused, as races the
// Deployment controller cannot see through its caches (upstream has them too):
// - old pods created after the Deployment's template last changed (an old ReplicaSet's
//   create already in flight when the rollout began, landing after the controller looked);
// - pods of ReplicaSets the Deployment adopted after it last scaled the new ReplicaSet up
//   (the decision to scale up was made before they were its own).
// The RollingUpdate strategy's bounds are safety's (maxSurge, maxUnavailable).

import type { History, ObjectSummary } from '../history/history.js';
import { at, nameOf } from './describe.js';
import { isTerminal } from './history-views.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';
import { replayRevisions, type ReplayState } from './revision-replay.js';

const NAME = 'rollout-strategy';

/** What the replay remembers about each Deployment and ReplicaSet. */
interface Memory {
  /** Deployment uid → revision at which its template last changed (or it was created). */
  readonly templateSince: Map<string, number>;
  /** ReplicaSet uid → revision at which its spec.replicas last went up (or it was created with replicas). */
  readonly scaledUpAt: Map<string, number>;
  /** `${deployment uid}|${replicaset uid}` → revision at which the ReplicaSet came to be owned by the Deployment. */
  readonly ownedSince: Map<string, number>;
}

function ownerDeployment(rs: ObjectSummary, state: ReplayState): ObjectSummary | undefined {
  for (const uid of rs.ownerUids ?? []) {
    const o = state.get(uid);
    if (o?.kind === 'Deployment') return o;
  }
  return undefined;
}

function remember(memory: Memory, o: ObjectSummary, before: ObjectSummary | undefined, rv: number): void {
  if (o.kind === 'Deployment' && (!before || before.templateDigest !== o.templateDigest)) memory.templateSince.set(o.uid, rv);
  if (o.kind === 'ReplicaSet') {
    if ((o.replicas ?? 1) > (before ? (before.replicas ?? 1) : 0)) memory.scaledUpAt.set(o.uid, rv);
    for (const owner of o.ownerUids ?? []) {
      if (!before?.ownerUids?.includes(owner)) memory.ownedSince.set(`${owner}|${o.uid}`, rv);
    }
  }
}

export const rolloutStrategy: Invariant = {
  name: NAME,
  description: 'a Recreate Deployment creates no pod of its new ReplicaSet while a pod of an old one is still in a non-terminal phase',
  check(history: History) {
    const violations: Violation[] = [];
    let checks = 0;
    const memory: Memory = { templateSince: new Map(), scaledUpAt: new Map(), ownedSince: new Map() };
    /** New ReplicaSets already reported (one violation per rollout). */
    const reported = new Set<string>();
    const observed = replayRevisions(history, (step, state) => {
      for (const { version, before } of step.changes) if (!version.deleted) remember(memory, version.object, before, step.rv);
      for (const { version, before } of step.changes) {
        const pod = version.object;
        if (pod.kind !== 'Pod' || version.deleted || before || state.created.get(pod.uid)?.rv !== step.rv) continue;
        for (const rsUid of pod.ownerUids ?? []) {
          const rs = state.get(rsUid);
          if (rs?.kind !== 'ReplicaSet') continue;
          const d = ownerDeployment(rs, state);
          if (!d || d.strategy !== 'Recreate') continue;
          // Only the ReplicaSet of the Deployment's current template is the rollout's new one.
          if (d.deleting || rs.deleting || d.templateDigest === undefined || rs.templateDigest !== d.templateDigest) continue;
          const rolloutStart = memory.templateSince.get(d.uid) ?? 0;
          const decided = memory.scaledUpAt.get(rs.uid) ?? 0;
          const running: { pod: ObjectSummary; rs: ObjectSummary }[] = [];
          for (const old of state.ofKind('ReplicaSet')) {
            if (old.uid === rs.uid || !old.ownerUids?.includes(d.uid)) continue;
            if ((memory.ownedSince.get(`${d.uid}|${old.uid}`) ?? 0) > decided) continue;
            for (const p of state.dependentsOf(old.uid)) {
              if (p.kind !== 'Pod' || isTerminal(p)) continue;
              if ((state.created.get(p.uid)?.rv ?? 0) > rolloutStart) continue;
              running.push({ pod: p, rs: old });
            }
          }
          checks++;
          if (running.length === 0 || reported.has(rs.uid)) continue;
          reported.add(rs.uid);
          const first = running[0]!;
          const others = running.length > 1 ? ` (and ${running.length - 1} more old pods)` : '';
          violations.push({
            invariant: NAME,
            message:
              `${nameOf(d)} (strategy Recreate) created ${nameOf(pod)} of its new ${nameOf(rs)} at ${at(step.time)} (resourceVersion ${step.rv}) ` +
              `while ${nameOf(first.pod)} of old ${nameOf(first.rs)} was still ${first.pod.deleting ? 'terminating' : (first.pod.phase ?? 'Pending')}${others}`,
            time: step.time,
            objects: [nameOf(d), nameOf(rs), nameOf(pod), ...running.map((r) => nameOf(r.pod)), `resourceVersion ${step.rv}`],
          });
        }
      }
    });
    if (!observed) return notChecked('no objects were observed on any watch');
    return result(violations, checks);
  },
};
