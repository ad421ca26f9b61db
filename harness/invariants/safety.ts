// safety: what must hold at every moment, not just at the end. The run is replayed in
// resourceVersion order (the union of every observer's versions): a revision defines one
// consistent state of the cluster, whereas arrival times from lagging observers would mix
// states that never coexisted. A violation's time is the revision's commit time (store log)
// or else when it was first observed.
//
// 1. Node capacity: the requests (cpu, memory) of the non-terminal pods bound to a node never
//    exceed its allocatable. A pod created with nodeName already set bypasses the scheduler
//    and is admitted or rejected by the kubelet; it counts once it is Running (the kubelet
//    admitted it), not while it waits for that verdict.
// 2. Rollout surge: per Deployment with a RollingUpdate strategy (maxSurge recorded), the
//    active pods (neither terminal nor deleting, upstream's FilterActivePods) of all its
//    ReplicaSets never exceed spec.replicas + maxSurge. Tolerated: excess the controllers
//    owe after a scale-down (a ReplicaSet's pods above its new spec.replicas, a Deployment's
//    above its new bound) or after adopting existing pods or ReplicaSets, until it is
//    removed; excess created on top of that counts. An excess episode that begins while a
//    fault is active is excused until it ends.
// 3. Rollout availability: when a controller deletes an available pod of a Deployment (the
//    pod was Running, Ready and active at the previous revision), the Deployment's available
//    pods afterwards must be at least spec.replicas − maxUnavailable (maxUnavailable 1 when
//    both fenceposts are 0, as upstream resolves them). Excused: deletions while a fault is
//    active, of pods on a NotReady node (eviction), that a user operation asked for, or of a
//    ReplicaSet or Deployment being deleted; and deletions the controller could justify from
//    the ReplicaSets' status (Σ status.availableReplicas minus available pods deleted since
//    each status was written still meets the floor — upstream decides on status, which may
//    lag a pod that just crashed); and deletions by a ReplicaSet scaled down for a scaling
//    event of its Deployment (spec.replicas lowered while the controller had not yet observed
//    the new generation: upstream resizes the ReplicaSets in proportion then, oldest first,
//    without regard to availability), as many as it was scaled down by and only of pods above
//    its new spec.replicas; and deletions by a ReplicaSet scaled down by no more than the
//    replicas its status then called unavailable (upstream's cleanupUnhealthyReplicas removes
//    pods it believes unavailable, but the ReplicaSet's controller picks which pod goes, and
//    with a lagging status one that has just become available may be it), as many as it was
//    scaled down by and only of pods above its new spec.replicas. The floor is the lowest over
//    the Deployment's versions since status.observedGeneration, since the controller may
//    still act on any of them.
//    Deployments merely created or scaled up trigger nothing: the check fires on deletions,
//    so a controller that deletes old pods before new ones are available is caught.

import type { History, ObjectSummary } from '../history/history.js';
import { at, count, nameOf, qualified } from './describe.js';
import { activeFault, allVersions, faultWindows, isActive, isAvailable, isTerminal, parseTarget, revisionTimes, type FaultWindow, type Version } from './history-views.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';

const NAME = 'safety';

function cpu(m: number): string {
  return `${m}m`;
}

function mem(bytes: number): string {
  return bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)}Mi` : `${bytes}`;
}

/** Upstream's fenceposts: both zero means one may be unavailable, so a rollout can progress. */
function floorOf(d: ObjectSummary): number | undefined {
  if (d.maxUnavailable === undefined) return undefined;
  const unavailable = d.maxUnavailable === 0 && (d.maxSurge ?? 0) === 0 ? 1 : d.maxUnavailable;
  return (d.replicas ?? 1) - unavailable;
}

class Replay {
  /** Live objects by uid: the state at the revision being replayed. */
  readonly state = new Map<string, ObjectSummary>();
  /** Pods whose first version already had nodeName without PodScheduled: not the scheduler's binding. */
  readonly presetBound = new Set<string>();
  readonly seenPods = new Set<string>();
  /** Per ReplicaSet uid: pods above its spec.replicas its controller owes deleting. */
  readonly rsAllowance = new Map<string, number>();
  /** Per Deployment uid: pods above its bound its controllers owe removing. */
  readonly deploymentAllowance = new Map<string, number>();
  readonly lastBound = new Map<string, number>();
  /** Every version of each Deployment, for the tolerant availability floor. */
  readonly deploymentVersions = new Map<string, ObjectSummary[]>();
  /** Per ReplicaSet uid: revisions at which one of its available pods was deleted. */
  readonly availableDeletions = new Map<string, number[]>();
  /** Per ReplicaSet uid: deletions its scale-down for a Deployment scaling event still accounts for. */
  readonly scaleEventDeletions = new Map<string, number>();
  /** Per ReplicaSet uid: deletions its scale-down of replicas its status called unavailable still accounts for. */
  readonly unhealthyCleanups = new Map<string, number>();
  readonly overcommitted = new Set<string>();
  readonly surging = new Set<string>();
  readonly violations: Violation[] = [];
  checks = 0;

  constructor(
    private readonly history: History,
    private readonly windows: readonly FaultWindow[],
  ) {}

  private objects(kind: string): ObjectSummary[] {
    return [...this.state.values()].filter((o) => o.kind === kind);
  }

  private podsOf(rs: ObjectSummary): ObjectSummary[] {
    return this.objects('Pod').filter((p) => p.ownerUids?.includes(rs.uid));
  }

  private replicaSetsOf(d: ObjectSummary): ObjectSummary[] {
    return this.objects('ReplicaSet').filter((r) => r.ownerUids?.includes(d.uid));
  }

  private deploymentOf(rs: ObjectSummary): ObjectSummary | undefined {
    for (const owner of rs.ownerUids ?? []) {
      const d = this.state.get(owner);
      if (d?.kind === 'Deployment') return d;
    }
    return undefined;
  }

  private counts(pod: ObjectSummary): boolean {
    if (!pod.nodeName || isTerminal(pod)) return false;
    return !this.presetBound.has(pod.uid) || pod.phase === 'Running';
  }

  apply(rv: number, time: number, group: readonly Version[]): void {
    const nodes = new Set<string>();
    const deployments = new Set<string>();
    const rsPrevSpec = new Map<string, number | undefined>();
    const adoptedPods = new Map<string, number>();
    const adoptedRs = new Map<string, string[]>();
    const deleted: { pod: ObjectSummary; rs: string[] }[] = [];
    const touchRs = (rsUid: string) => {
      const rs = this.state.get(rsUid);
      const d = rs ? this.deploymentOf(rs) : undefined;
      if (d) deployments.add(d.uid);
    };
    for (const v of group) {
      const o = v.object;
      const prev = this.state.get(o.uid);
      if (o.kind === 'Pod') {
        if (!this.seenPods.has(o.uid)) {
          this.seenPods.add(o.uid);
          if (o.nodeName && o.scheduledCondition !== true) this.presetBound.add(o.uid);
        }
        if (prev?.nodeName) nodes.add(prev.nodeName);
        if (o.nodeName) nodes.add(o.nodeName);
        if (prev && isAvailable(prev) && (v.deleted || o.deleting)) deleted.push({ pod: prev, rs: [...(prev.ownerUids ?? [])] });
        for (const owner of o.ownerUids ?? []) {
          if (prev && !prev.ownerUids?.includes(owner)) adoptedPods.set(owner, (adoptedPods.get(owner) ?? 0) + 1);
        }
        for (const owner of [...(prev?.ownerUids ?? []), ...(o.ownerUids ?? [])]) touchRs(owner);
      } else if (o.kind === 'ReplicaSet') {
        rsPrevSpec.set(o.uid, prev?.replicas);
        if (prev && !v.deleted) this.noteScaleEvent(prev, o);
        if (prev && !v.deleted) this.noteUnhealthyCleanup(prev, o);
        for (const owner of o.ownerUids ?? []) {
          deployments.add(owner);
          if (prev && !prev.ownerUids?.includes(owner)) adoptedRs.set(owner, [...(adoptedRs.get(owner) ?? []), o.uid]);
        }
        for (const owner of prev?.ownerUids ?? []) deployments.add(owner);
      } else if (o.kind === 'Deployment') {
        deployments.add(o.uid);
        if (!v.deleted) this.deploymentVersions.set(o.uid, [...(this.deploymentVersions.get(o.uid) ?? []), o]);
      } else if (o.kind === 'Node') {
        nodes.add(o.name);
      }
      if (v.deleted) this.state.delete(o.uid);
      else this.state.set(o.uid, o);
    }
    for (const { rs } of deleted) {
      for (const r of rs) this.availableDeletions.set(r, [...(this.availableDeletions.get(r) ?? []), rv]);
    }
    for (const node of nodes) this.checkNode(node, rv, time);
    for (const uid of deployments) {
      const d = this.state.get(uid);
      if (d?.kind === 'Deployment') this.checkSurge(d, rv, time, rsPrevSpec, adoptedPods, adoptedRs.get(uid) ?? []);
    }
    for (const del of deleted) this.checkDeletion(del.pod, del.rs, rv, time);
  }

  private checkNode(name: string, rv: number, time: number): void {
    const node = this.objects('Node').find((n) => n.name === name);
    if (!node?.allocatable) return;
    const pods = this.objects('Pod').filter((p) => p.nodeName === name && this.counts(p));
    const resources = [
      { what: 'cpu', of: (p: ObjectSummary) => p.requests?.cpuMilli ?? 0, limit: node.allocatable.cpuMilli, show: cpu },
      { what: 'memory', of: (p: ObjectSummary) => p.requests?.memoryBytes ?? 0, limit: node.allocatable.memoryBytes, show: mem },
    ];
    for (const r of resources) {
      const key = `${name}|${r.what}`;
      const total = pods.reduce((n, p) => n + r.of(p), 0);
      this.checks++;
      if (total <= r.limit) {
        this.overcommitted.delete(key);
        continue;
      }
      if (this.overcommitted.has(key)) continue;
      this.overcommitted.add(key);
      const list = pods.map((p) => `${qualified(p.namespace, p.name)} (${r.show(r.of(p))})`).join(', ');
      this.violations.push({
        invariant: NAME,
        message: `node ${name} is overcommitted at ${at(time)} (resourceVersion ${rv}): pods ${list} request ${r.show(total)} ${r.what} of ${r.show(r.limit)} allocatable`,
        time,
        objects: [`node ${name}`, ...pods.map(nameOf), `resourceVersion ${rv}`],
      });
    }
  }

  private checkSurge(d: ObjectSummary, rv: number, time: number, rsPrevSpec: ReadonlyMap<string, number | undefined>, adoptedPods: ReadonlyMap<string, number>, adoptedRs: readonly string[]): void {
    if (d.maxSurge === undefined || d.deleting) return;
    let active = 0;
    let owed = 0;
    // Pods the ReplicaSets stand for: their active pods, or their spec.replicas when their
    // controllers have yet to create pods for it.
    let committed = 0;
    for (const rs of this.replicaSetsOf(d)) {
      const n = this.podsOf(rs).filter(isActive).length;
      committed += Math.max(n, rs.replicas ?? 1);
      const excess = Math.max(0, n - (rs.replicas ?? 1));
      const prevSpec = rsPrevSpec.get(rs.uid);
      let allowance = this.rsAllowance.get(rs.uid) ?? 0;
      // A scale-down makes everything above the new spec.replicas a deletion its controller owes.
      if (prevSpec !== undefined && (rs.replicas ?? 1) < prevSpec) allowance = excess;
      allowance = Math.min(allowance + (adoptedPods.get(rs.uid) ?? 0), excess);
      this.rsAllowance.set(rs.uid, allowance);
      active += n;
      owed += allowance;
    }
    const bound = (d.replicas ?? 1) + d.maxSurge;
    // When the bound drops (a scale-down of the Deployment), what its ReplicaSets were already
    // sized for under the old bound is owed too: a ReplicaSet scaled up just before still gets
    // its pods from its own controller, and the Deployment controller then scales it back.
    // Only ReplicaSet sizes set after the drop (or pods beyond them) count against the bound.
    const owedAtMost = Math.max(0, committed - owed - bound);
    const prevBound = this.lastBound.get(d.uid);
    this.lastBound.set(d.uid, bound);
    let allowance = this.deploymentAllowance.get(d.uid) ?? 0;
    if (prevBound !== undefined && bound < prevBound) allowance = owedAtMost;
    for (const rsUid of adoptedRs) {
      const rs = this.state.get(rsUid);
      if (rs) allowance += this.podsOf(rs).filter(isActive).length;
    }
    allowance = Math.min(allowance, owedAtMost);
    this.deploymentAllowance.set(d.uid, allowance);
    const counted = active - owed - allowance;
    this.checks++;
    if (counted <= bound) {
      this.surging.delete(d.uid);
      return;
    }
    if (this.surging.has(d.uid)) return;
    this.surging.add(d.uid);
    if (activeFault(this.windows, time)) return;
    const rss = this.replicaSetsOf(d).map((r) => `${r.name} ${this.podsOf(r).filter(isActive).length}/${r.replicas ?? 1}`);
    this.violations.push({
      invariant: NAME,
      message: `${nameOf(d)} runs ${count(active, 'active pod')} at ${at(time)} (resourceVersion ${rv}), above spec.replicas + maxSurge = ${d.replicas ?? 1} + ${d.maxSurge}${owed + allowance > 0 ? ` even forgiving ${owed + allowance} owed by scale-downs` : ''} (replicasets, active/spec: ${rss.join(', ')})`,
      time,
      objects: [nameOf(d), ...this.replicaSetsOf(d).map(nameOf), `resourceVersion ${rv}`],
    });
  }

  private userDeleted(pod: ObjectSummary): boolean {
    return this.history.operations.some((op) => {
      if (op.op !== 'delete' || (op.kind !== undefined && op.kind !== 'Pod')) return false;
      const t = parseTarget(op.target);
      return t.name === pod.name && (t.namespace ?? '') === (pod.namespace ?? '');
    });
  }

  /** Whether the Deployment is being scaled down: spec.replicas lower than at a version since the generation its controller last observed. */
  private scalingDown(d: ObjectSummary): boolean {
    const observed = d.status?.observedGeneration;
    if (observed === undefined || d.generation === undefined || observed >= d.generation) return false;
    return (this.deploymentVersions.get(d.uid) ?? []).some((v) => (v.generation ?? 0) >= observed && (v.replicas ?? 1) > (d.replicas ?? 1));
  }

  /** A ReplicaSet scaled down while its Deployment is being scaled down: its deletions are the scaling event's. */
  private noteScaleEvent(prev: ObjectSummary, rs: ObjectSummary): void {
    const before = prev.replicas ?? 1;
    const after = rs.replicas ?? 1;
    if (after > before) this.scaleEventDeletions.delete(rs.uid);
    if (after >= before) return;
    const d = this.deploymentOf(rs);
    if (d && this.scalingDown(d)) this.scaleEventDeletions.set(rs.uid, (this.scaleEventDeletions.get(rs.uid) ?? 0) + before - after);
  }

  /** Whether the scaling event of `rs` accounts for this deletion (and if so, one fewer from now on). */
  private scaleEventDeletion(rs: ObjectSummary): boolean {
    const owed = this.scaleEventDeletions.get(rs.uid) ?? 0;
    // Only pods above the new spec.replicas are the scale-down's to delete.
    if (owed <= 0 || this.podsOf(rs).filter(isActive).length < (rs.replicas ?? 1)) return false;
    this.scaleEventDeletions.set(rs.uid, owed - 1);
    return true;
  }

  /**
   * A ReplicaSet scaled down by no more than the replicas its status (as the Deployment
   * controller saw it: the version the scale replaced) called unavailable: upstream's
   * cleanupUnhealthyReplicas, which removes pods it believes unavailable. The ReplicaSet's
   * controller picks which pod goes, and with a status that lags, one that has just become
   * available may be it.
   */
  private noteUnhealthyCleanup(prev: ObjectSummary, rs: ObjectSummary): void {
    const before = prev.replicas ?? 1;
    const after = rs.replicas ?? 1;
    if (after > before) this.unhealthyCleanups.delete(rs.uid);
    if (after >= before) return;
    const unavailable = Math.max(0, before - (prev.status?.availableReplicas ?? 0));
    const cleaned = Math.min(before - after, unavailable);
    if (cleaned > 0) this.unhealthyCleanups.set(rs.uid, (this.unhealthyCleanups.get(rs.uid) ?? 0) + cleaned);
  }

  /** Whether a cleanup of unavailable replicas of `rs` accounts for this deletion (and if so, one fewer from now on). */
  private unhealthyCleanupDeletion(rs: ObjectSummary): boolean {
    const owed = this.unhealthyCleanups.get(rs.uid) ?? 0;
    if (owed <= 0 || this.podsOf(rs).filter(isActive).length < (rs.replicas ?? 1)) return false;
    this.unhealthyCleanups.set(rs.uid, owed - 1);
    return true;
  }

  private checkDeletion(pod: ObjectSummary, owners: readonly string[], rv: number, time: number): void {
    for (const rsUid of owners) {
      const rs = this.state.get(rsUid);
      if (rs?.kind !== 'ReplicaSet' || rs.deleting) continue;
      const d = this.deploymentOf(rs);
      if (!d || d.deleting) continue;
      const floor = this.tolerantFloor(d);
      if (floor === undefined) continue;
      const node = pod.nodeName ? this.objects('Node').find((n) => n.name === pod.nodeName) : undefined;
      if (node?.nodeReady !== undefined && node.nodeReady !== 'True') continue;
      if (this.userDeleted(pod) || activeFault(this.windows, time)) continue;
      if (this.scaleEventDeletion(rs) || this.unhealthyCleanupDeletion(rs)) continue;
      const rss = this.replicaSetsOf(d);
      const available = rss.reduce((n, r) => n + this.podsOf(r).filter(isAvailable).length, 0);
      this.checks++;
      if (available >= floor) continue;
      const view = this.statusView(rss, rv);
      if (view !== undefined && view >= floor) continue;
      this.violations.push({
        invariant: NAME,
        message:
          `${nameOf(d)} fell to ${count(available, 'available pod')}, below spec.replicas − maxUnavailable = ${floor}, when available ${nameOf(pod)} of ${nameOf(rs)} was deleted at ${at(time)} (resourceVersion ${rv})` +
          (view !== undefined ? `; its ReplicaSets' status allowed at most ${view} available after the deletion` : ''),
        time,
        objects: [nameOf(d), nameOf(rs), nameOf(pod), `resourceVersion ${rv}`],
      });
    }
  }

  /** The lowest floor over the versions the Deployment controller may still be acting on. */
  private tolerantFloor(d: ObjectSummary): number | undefined {
    const current = floorOf(d);
    if (current === undefined) return undefined;
    const observed = d.status?.observedGeneration;
    if (observed === undefined || d.generation === undefined) return current;
    const floors = (this.deploymentVersions.get(d.uid) ?? []).filter((v) => (v.generation ?? Infinity) >= observed).map(floorOf);
    return Math.min(current, ...floors.filter((f): f is number => f !== undefined));
  }

  /** What the ReplicaSets' status says is available, less available pods deleted since each status. */
  private statusView(rss: readonly ObjectSummary[], rv: number): number | undefined {
    let total = 0;
    for (const r of rss) {
      if (!r.status) return undefined;
      const since = (this.availableDeletions.get(r.uid) ?? []).filter((x) => x > r.resourceVersion && x <= rv).length;
      total += (r.status.availableReplicas ?? 0) - since;
    }
    return total;
  }
}

export const safety: Invariant = {
  name: NAME,
  description:
    'at every revision: bound pods\' requests fit each node\'s allocatable; rollouts stay within spec.replicas + maxSurge active pods and ' +
    'controllers delete no available pod below spec.replicas − maxUnavailable',
  check(history) {
    const versions = allVersions(history.watches);
    if (versions.length === 0) return notChecked('no objects were observed on any watch');
    const timeOf = revisionTimes(history);
    const replay = new Replay(history, faultWindows(history.faults));
    // One revision at a time: a transaction's objects change together.
    const byRevision = new Map<number, Version[]>();
    for (const v of versions) byRevision.set(v.rv, [...(byRevision.get(v.rv) ?? []), v]);
    for (const [rv, group] of byRevision) replay.apply(rv, timeOf(rv) ?? Math.min(...group.map((v) => v.time)), group);
    return result(replay.violations, replay.checks);
  },
};
