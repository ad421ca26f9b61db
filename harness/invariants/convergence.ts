// convergence: after the last fault heals and a quiet period, desired state = actual state.
// Judged on history.final (objects, the runtimes' real containers, the machines still alive)
// and on how long after history.healedAt the target got there. A target that cannot see its
// nodes' runtimes leaves the containers out; the runtime part is then reported not checked.
//
// What "desired" can mean is bounded by what is feasible: a pod whose image does not exist
// or whose command crashes can never become ready, and a pod the scheduler reported as
// unschedulable may have nowhere to go. Such pods are excused from readiness (and a
// Deployment blocked by one is excused from finishing its rollout), but nothing else is:
// a pod that is simply not ready, never looked at by the scheduler, or stuck creating is a
// violation. minReadySeconds is not in the summaries; after a quiet period longer than it,
// available equals ready, which is what this checker assumes.

import type { FinalState, History, ObjectSummary } from '../history/history.js';
import { at, count, nameOf, seconds } from './describe.js';
import { isActive, isAvailable, isTerminal, ownedBy } from './history-views.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';

const NAME = 'convergence';

/** Container waiting reasons that mean "cannot run as specified", not "not yet". */
const CANNOT_RUN = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CrashLoopBackOff',
  'CreateContainerError',
  'CreateContainerConfigError',
  'RunContainerError',
]);

/** Why a pod is legitimately not ready, or undefined when it should be ready by now. */
function readinessExcuse(pod: ObjectSummary): string | undefined {
  if (!pod.nodeName) return pod.scheduledCondition === false ? 'the scheduler found no node for it' : undefined;
  for (const [container, state] of Object.entries(pod.containerStates ?? {})) {
    const [kind, reason] = state.split(':', 2);
    if (kind === 'terminated') return `container ${container} exited (${state})`;
    if (kind === 'waiting' && reason !== undefined && CANNOT_RUN.has(reason)) return `container ${container} is ${state}`;
  }
  return undefined;
}

function describeUnready(pod: ObjectSummary): string {
  const states = Object.entries(pod.containerStates ?? {}).map(([c, s]) => `${c}=${s}`);
  const where = pod.nodeName ? `on node ${pod.nodeName}` : pod.scheduledCondition === undefined ? 'unbound and never considered by the scheduler' : 'unbound';
  return `${nameOf(pod)} is not ready (phase ${pod.phase ?? 'unknown'}, ${where}${states.length ? `, containers ${states.join(' ')}` : ''})`;
}

/** status.<field>, with upstream's omitempty: an absent count is 0. */
function statusCount(o: ObjectSummary, field: string): number {
  return o.status?.[field] ?? 0;
}

/**
 * The ReplicaSet carrying a Deployment's current template: the one with the same template
 * digest when the summaries carry digests, else the one with the highest
 * deployment.kubernetes.io/revision, else the only one, else the only one with the
 * Deployment's image; `decided: false` when no rule applies.
 */
function currentReplicaSet(d: ObjectSummary, owned: readonly ObjectSummary[]): { rs?: ObjectSummary; decided: boolean } {
  if (owned.length === 0) return { decided: true };
  if (d.templateDigest !== undefined && owned.every((r) => r.templateDigest !== undefined)) {
    const rs = owned.find((r) => r.templateDigest === d.templateDigest);
    return rs ? { rs, decided: true } : { decided: true };
  }
  if (owned.length > 0 && owned.every((r) => r.revision !== undefined)) {
    const rs = owned.reduce((a, b) => ((b.revision ?? 0) > (a.revision ?? 0) ? b : a));
    return { rs, decided: true };
  }
  if (owned.length === 1) return { rs: owned[0], decided: true };
  // Scenarios change templates by setting images, and a Deployment keeps one ReplicaSet per
  // template, so a single ReplicaSet with the Deployment's image is its current one.
  const sameImage = d.image === undefined ? [] : owned.filter((r) => r.image === d.image);
  if (sameImage.length === 1) return { rs: sameImage[0], decided: true };
  return { decided: false };
}

function checkFinal(history: History, final: FinalState, violations: Violation[]): { checks: number; undecided: string[] } {
  const time = final.time;
  const push = (message: string, objects: string[]) => violations.push({ invariant: NAME, message, time, objects });
  let checks = 0;
  const undecided: string[] = [];
  const pods = final.objects.filter((o) => o.kind === 'Pod');
  const replicaSets = final.objects.filter((o) => o.kind === 'ReplicaSet');
  const deployments = final.objects.filter((o) => o.kind === 'Deployment');
  const podsOf = (rs: ObjectSummary) => pods.filter((p) => ownedBy(p, rs));
  // A container that started or exited moments before the snapshot may not be in its pod's
  // status yet (the kubelet reports on its next sync), nor that pod's readiness in its
  // controllers' status (they count on their next sync): that disagreement is not divergence.
  // Pods whose containers keep crashing are never quiet, so the snapshot can fall in such a moment.
  const RECENT_MS = 10_000;
  const recentRecords = (history.runtime ?? []).filter((r) => r.pod && Math.abs(r.time - time) <= RECENT_MS);
  const recent = new Set(recentRecords.map((r) => `${r.pod?.uid ?? ''}/${r.container ?? ''}`));
  const changedRecently = (uid: string, container: string | undefined) => recent.has(`${uid}/${container ?? ''}`);
  const recentPods = new Set(recentRecords.map((r) => r.pod?.uid ?? ''));
  /** Status fields that count ready or available pods, which lag a pod whose containers just changed. */
  const READINESS_FIELDS = new Set(['readyReplicas', 'availableReplicas', 'unavailableReplicas']);
  const settled = (field: string, counted: readonly ObjectSummary[]) => !READINESS_FIELDS.has(field) || !counted.some((p) => recentPods.has(p.uid));

  // ReplicaSets: the RS controller creates pods up to spec.replicas whether or not they can
  // become ready, so active pods = spec.replicas holds for every RS, blocked or not.
  for (const rs of replicaSets) {
    if (rs.deleting) continue;
    const active = podsOf(rs).filter(isActive);
    const want = rs.replicas ?? 1;
    checks++;
    if (active.length !== want) {
      push(`${nameOf(rs)} wants ${count(want, 'replica')} but has ${count(active.length, 'active pod')} at ${at(time)}`, [nameOf(rs), ...active.map(nameOf)]);
    }
    if (rs.status) {
      const expected: Record<string, number> = {
        replicas: active.length,
        readyReplicas: active.filter((p) => p.ready === true).length,
        availableReplicas: active.filter(isAvailable).length,
      };
      for (const [field, value] of Object.entries(expected)) {
        if (!settled(field, active)) continue;
        checks++;
        if (statusCount(rs, field) !== value) {
          push(`${nameOf(rs)} reports status.${field}=${statusCount(rs, field)} but ${value} of its pods qualify at ${at(time)} (resourceVersion ${rs.resourceVersion})`, [nameOf(rs)]);
        }
      }
      const observed = rs.status.observedGeneration;
      if (observed !== undefined && rs.generation !== undefined) {
        checks++;
        if (observed < rs.generation) push(`${nameOf(rs)} status describes generation ${observed}, not its current generation ${rs.generation}`, [nameOf(rs)]);
      }
    }
  }

  for (const d of deployments) {
    if (d.deleting) continue;
    const want = d.replicas ?? 1;
    const owned = replicaSets.filter((r) => ownedBy(r, d) && !r.deleting);
    const { rs: current, decided } = currentReplicaSet(d, owned);
    if (!decided) {
      undecided.push(nameOf(d));
      continue;
    }
    checks++;
    if (!current) {
      push(`${nameOf(d)} has no ReplicaSet carrying its current template at ${at(time)} (it owns ${count(owned.length, 'replicaset')})`, [nameOf(d), ...owned.map(nameOf)]);
      continue;
    }
    const old = owned.filter((r) => r !== current);
    const activeCurrent = podsOf(current).filter(isActive);
    const activeOld = old.flatMap((r) => podsOf(r).filter(isActive));
    const all = [...activeCurrent, ...activeOld];

    for (const p of activeCurrent) {
      checks++;
      if (current.podTemplateHash !== undefined && p.podTemplateHash !== undefined && p.podTemplateHash !== current.podTemplateHash) {
        push(`${nameOf(p)} is owned by ${nameOf(current)} but carries pod-template-hash ${p.podTemplateHash}, not ${current.podTemplateHash}`, [nameOf(p), nameOf(current)]);
      }
    }
    // Pods that are not ready and have no excuse are stuck, whatever the rollout's state.
    let blocked = false;
    for (const p of all) {
      if (p.ready === true) continue;
      const excuse = readinessExcuse(p);
      checks++;
      if (excuse !== undefined) blocked = true;
      else push(`${describeUnready(p)} at ${at(time)} (resourceVersion ${p.resourceVersion}), ${seconds(time - history.healedAt)} after the last heal`, [nameOf(p), nameOf(d)]);
    }

    if (!blocked) {
      // Rollout complete: spec.replicas ready pods of the current template, old ReplicaSets empty.
      const ready = activeCurrent.filter((p) => p.ready === true).length;
      checks += 3;
      if (ready !== want || activeCurrent.length !== want) {
        push(`${nameOf(d)} wants ${count(want, 'replica')} but has ${ready} ready of ${count(activeCurrent.length, 'active pod')} of its current template (${nameOf(current)}) at ${at(time)}`, [nameOf(d), nameOf(current)]);
      }
      if ((current.replicas ?? 1) !== want) {
        push(`${nameOf(d)} wants ${count(want, 'replica')} but its current ${nameOf(current)} is scaled to ${current.replicas ?? 1} at ${at(time)}`, [nameOf(d), nameOf(current)]);
      }
      for (const r of old) {
        const left = podsOf(r).filter(isActive);
        if ((r.replicas ?? 1) !== 0 || left.length > 0) {
          push(`old ${nameOf(r)} of ${nameOf(d)} is still scaled to ${r.replicas ?? 1} with ${count(left.length, 'active pod')} after the rollout finished, at ${at(time)}`, [nameOf(d), nameOf(r), ...left.map(nameOf)]);
        }
      }
    } else {
      // A rollout blocked by pods that cannot run stays within its surge bound.
      const bound = want + (d.maxSurge ?? 0);
      checks++;
      if (all.length > bound) {
        push(`${nameOf(d)} runs ${count(all.length, 'active pod')} while its rollout is blocked, above spec.replicas + maxSurge = ${bound}, at ${at(time)}`, [nameOf(d), ...owned.map(nameOf)]);
      }
    }

    if (d.status) {
      const allActive = owned.flatMap((r) => podsOf(r).filter(isActive));
      const available = allActive.filter(isAvailable).length;
      const specTotal = owned.reduce((n, r) => n + (r.replicas ?? 1), 0);
      const expected: Record<string, number> = {
        replicas: allActive.length,
        updatedReplicas: activeCurrent.length,
        readyReplicas: allActive.filter((p) => p.ready === true).length,
        availableReplicas: available,
        unavailableReplicas: Math.max(0, specTotal - available),
      };
      for (const [field, value] of Object.entries(expected)) {
        if (!settled(field, allActive)) continue;
        checks++;
        if (statusCount(d, field) !== value) {
          push(`${nameOf(d)} reports status.${field}=${statusCount(d, field)} but its pods say ${value} at ${at(time)} (resourceVersion ${d.resourceVersion})`, [nameOf(d)]);
        }
      }
      const observed = d.status.observedGeneration;
      if (observed !== undefined && d.generation !== undefined) {
        checks++;
        if (observed < d.generation) push(`${nameOf(d)} status describes generation ${observed}, not its current generation ${d.generation}`, [nameOf(d)]);
      }
    }
  }

  // Runtime agreement: what pods claim runs must run on their node, and nothing else may.
  // Without the runtimes' containers (a target that cannot see them) only the nodes are judged.
  const live = new Set(final.liveNodes);
  const podByUid = new Map(pods.map((p) => [p.uid, p]));
  const containers = final.containers;
  for (const p of pods) {
    if (!p.nodeName) continue;
    checks++;
    if (!live.has(p.nodeName)) {
      push(`${nameOf(p)} is still bound to node ${p.nodeName}, which is gone, at ${at(time)} (resourceVersion ${p.resourceVersion})`, [nameOf(p), `node ${p.nodeName}`]);
      continue;
    }
    if (p.phase !== 'Running' || !containers) continue;
    const runtime = containers.filter((c) => c.running && c.node === p.nodeName && c.pod?.uid === p.uid);
    const claimed = p.containerStates ? Object.entries(p.containerStates).filter(([, s]) => s.split(':', 1)[0] === 'running').map(([c]) => c) : undefined;
    const named = runtime.every((c) => c.container !== undefined);
    if (claimed === undefined) {
      checks++;
      if (runtime.length === 0) push(`${nameOf(p)} is Running on node ${p.nodeName} but its runtime runs no container for it at ${at(time)}`, [nameOf(p), `node ${p.nodeName}`]);
    } else if (named) {
      for (const c of claimed) {
        checks++;
        if (!runtime.some((r) => r.container === c) && !changedRecently(p.uid, c)) {
          push(`${nameOf(p)} reports container ${c} running but node ${p.nodeName}'s runtime does not run it at ${at(time)}`, [nameOf(p), `node ${p.nodeName}`]);
        }
      }
      for (const r of runtime) {
        checks++;
        if (r.container !== undefined && !claimed.includes(r.container) && !changedRecently(p.uid, r.container)) {
          push(`node ${p.nodeName}'s runtime runs container ${r.container} (${r.containerId}) of ${nameOf(p)}, whose status says ${p.containerStates?.[r.container] ?? 'no such container'}, at ${at(time)}`, [nameOf(p), `node ${p.nodeName}`]);
        }
      }
    } else {
      checks++;
      if (runtime.length < claimed.length) {
        push(`${nameOf(p)} reports ${count(claimed.length, 'running container')} but node ${p.nodeName}'s runtime runs ${runtime.length} for it at ${at(time)}`, [nameOf(p), `node ${p.nodeName}`]);
      }
    }
  }
  for (const c of containers ?? []) {
    // A container the runtime cannot attribute to a pod is not the kubelet's (nothing to judge).
    if (!c.running || !c.pod) continue;
    const p = podByUid.get(c.pod.uid);
    const label = `container ${c.container ?? c.containerId} on node ${c.node}`;
    const podName = `pod ${c.pod.namespace}/${c.pod.name}`;
    checks++;
    if (!p) push(`orphan ${label} still runs for ${podName} (uid ${c.pod.uid}), which no longer exists, at ${at(time)}`, [podName, `node ${c.node}`]);
    else if (p.nodeName !== c.node) push(`orphan ${label} runs for ${nameOf(p)}, which is bound to ${p.nodeName ? `node ${p.nodeName}` : 'no node'}, at ${at(time)}`, [nameOf(p), `node ${c.node}`]);
    else if (isTerminal(p)) push(`${label} still runs for ${nameOf(p)}, which is ${p.phase}, at ${at(time)}`, [nameOf(p), `node ${c.node}`]);
  }
  return { checks, undecided };
}

export const convergence: Invariant = {
  name: NAME,
  description:
    'after the last heal and a quiet period, within the convergence bound: every Deployment has spec.replicas ready pods of its current template, ' +
    'ReplicaSet and Deployment status agree with the pods, Running pods run in their node\'s runtime, no orphan containers, no pods on gone nodes',
  check(history) {
    const final = history.final;
    if (!final) return notChecked('the history has no final state');
    const violations: Violation[] = [];
    // convergedAt is when the target saw the final state; without it, the snapshot's time
    // bounds it from above (stricter, never laxer).
    const reached = history.convergedAt ?? final.time;
    let checks = 1;
    if (reached - history.healedAt > history.convergenceBoundMs) {
      violations.push({
        invariant: NAME,
        message: `did not converge within ${seconds(history.convergenceBoundMs)} of the last heal at ${at(history.healedAt)}: the final state was reached at ${at(reached)}, ${seconds(reached - history.healedAt)} later`,
        time: reached,
      });
    }
    const judged = checkFinal(history, final, violations);
    checks += judged.checks;
    const r = result(violations, checks);
    const notes: string[] = [];
    if (judged.undecided.length > 0) notes.push(`cannot tell the current ReplicaSet of ${judged.undecided.join(', ')} (summaries carry no templateDigest or revision, and images do not tell)`);
    if (!final.containers) notes.push("the target does not see its nodes' runtimes: whether Running pods' containers really run, and orphan containers, not checked");
    return notes.length > 0 && r.ok ? { ...r, notChecked: notes.join('; ') } : r;
  },
};
