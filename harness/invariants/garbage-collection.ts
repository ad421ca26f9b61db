// garbage-collection: deletion propagation keeps its promises. When an owner is deleted, the
// API server records how its dependents (the objects whose ownerReferences name it) are to
// be treated as a finalizer on the owner, and upstream's garbage collector acts on it:
//
// 1. Foreground (finalizer foregroundDeletion): the collector deletes the dependents and
//    removes the finalizer only once no dependent whose ownerReference sets
//    blockOwnerDeletion is left, so the owner disappears from the store only after all its
//    blocking dependents are gone. Judged when the owner disappears: no object that still
//    exists at that revision may name it in a blocking ownerReference — unless a user's
//    update removed it (a replace that leaves out the finalizers of an object being deleted
//    drops them, and the API server deletes it at once). Excused, as the collector decides
//    on its caches (upstream's graph has the same blind spot): dependents whose blocking
//    reference appeared (by creation or adoption) less than CACHE_LAG_MS before the owner's
//    removal, and dependents whose reference may not have reached the collector in time
//    because a fault that delays or breaks its view of the API (CACHE_FAULTS) began after the
//    reference appeared (or just before) and had not been over for FAULT_TAIL_MS when the
//    owner was removed.
// 2. Orphan (finalizer orphan): the collector removes the owner's ownerReference from every
//    dependent, then the finalizer; the dependents live on. Judged when a dependent's
//    deletion begins (it gets a deletionTimestamp, or is removed outright) while it still
//    names an owner in orphan deletion: that deletion must be someone else's — a user's
//    delete of that very object, the eviction of a pod from a Node that is not Ready, gone
//    or tainted NoExecute (taint eviction), the removal of a terminated pod, a ReplicaSet's controller deleting pods above
//    its spec.replicas (as many as it has above it), or a Deployment's controller removing
//    an old ReplicaSet scaled to 0 (its revision history clean-up). The collector deleting
//    it is the violation.

import type { History, ObjectSummary, OperationRecord, Time } from '../history/history.js';
import { at, count, nameOf } from './describe.js';
import { faultWindows, isActive, isTerminal, parseTarget, type FaultWindow } from './history-views.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';
import { replayRevisions, type ReplayState } from './revision-replay.js';

const NAME = 'garbage-collection';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** How far behind the store the collector's caches may be without a fault. */
export const CACHE_LAG_MS = 500;

/** How long after such a fault heals the caches may still lag (late events, a resumed watch's backlog). */
export const FAULT_TAIL_MS = 10_000;

/** Faults that delay or break a controller's view of the API: its caches may lag much longer. */
export const CACHE_FAULTS: ReadonlySet<string> = new Set(['message-delay', 'watch-drop', 'controller-manager-restart', 'apiserver-restart', 'store-compaction']);

/** How long after a write a user's request may still be answered (a client's timeout). */
const USER_REQUEST_MS = 10_000;

/** Whether a reference that appeared at `since` may still have been missing from the collector's caches at `at`. */
function mayBeUnseen(windows: readonly FaultWindow[], since: Time, at: Time): boolean {
  if (since > at - CACHE_LAG_MS) return true;
  return windows.some((w) => CACHE_FAULTS.has(w.kind) && since >= w.start - CACHE_LAG_MS && w.start <= at && at <= w.end + FAULT_TAIL_MS);
}

function userDeleted(ops: readonly OperationRecord[], o: ObjectSummary): boolean {
  return ops.some((op) => {
    if (op.op !== 'delete' || (op.kind !== undefined && op.kind !== o.kind)) return false;
    const t = parseTarget(op.target);
    return t.name === o.name && (t.namespace ?? '') === (o.namespace ?? '');
  });
}

/** The smallest spec.replicas among the versions a ReplicaSet's controller may still act on. */
function tolerantMinReplicas(rs: ObjectSummary, versions: readonly ObjectSummary[]): number {
  const observed = rs.status?.observedGeneration;
  const candidates = versions.filter((v) => observed === undefined || v.generation === undefined || v.generation >= observed);
  return Math.min(rs.replicas ?? 1, ...candidates.map((v) => v.replicas ?? 1));
}

class Judge {
  readonly violations: Violation[] = [];
  checks = 0;
  /** uid → when its deletion began (its first version with a deletionTimestamp). */
  private readonly deletionStart = new Map<string, { rv: number; time: Time }>();
  /** `${dependent uid}|${owner uid}` → when the dependent first named the owner in a blocking reference. */
  private readonly blockingSince = new Map<string, Time>();
  /** Owners that were deleted in the foreground at some version. */
  private readonly foreground = new Set<string>();
  /** ReplicaSet uid → its versions so far. */
  private readonly rsVersions = new Map<string, ObjectSummary[]>();
  /** Owners already reported (one violation an owner for each rule). */
  private readonly reported = new Set<string>();

  constructor(
    private readonly history: History,
    private readonly windows: readonly FaultWindow[],
  ) {}

  remember(o: ObjectSummary, deleted: boolean, rv: number, time: Time): void {
    if (o.kind === 'ReplicaSet' && !deleted) this.rsVersions.set(o.uid, [...(this.rsVersions.get(o.uid) ?? []), o]);
    for (const owner of deleted ? [] : (o.blockingOwnerUids ?? [])) if (!this.blockingSince.has(`${o.uid}|${owner}`)) this.blockingSince.set(`${o.uid}|${owner}`, time);
    if (o.deleting && !this.deletionStart.has(o.uid)) this.deletionStart.set(o.uid, { rv, time });
    if (o.deleting && o.finalizers?.includes(FOREGROUND_FINALIZER)) this.foreground.add(o.uid);
  }

  /**
   * Whether a user's write removed the owner: an update that leaves out the finalizers of an
   * object being deleted removes them, and the API server then deletes it (a replace by a
   * manifest without finalizers does that). The operation answered with the removal's
   * resourceVersion, or got no answer around then.
   */
  private removedByUser(owner: ObjectSummary, rv: number, time: Time): boolean {
    return this.history.operations.some((op) => {
      if (op.op === 'delete' || (op.kind !== undefined && op.kind !== owner.kind)) return false;
      const t = parseTarget(op.target);
      if (t.name !== owner.name || (t.namespace ?? '') !== (owner.namespace ?? '')) return false;
      return op.resourceVersion === rv || (op.resourceVersion === undefined && op.time >= time && op.time <= time + USER_REQUEST_MS);
    });
  }

  /** Rule 1, when `owner` disappears at `rv`. */
  ownerRemoved(owner: ObjectSummary, rv: number, time: Time, state: ReplayState): void {
    if (!this.foreground.has(owner.uid) || this.removedByUser(owner, rv, time)) return;
    const began = this.deletionStart.get(owner.uid) ?? { rv, time };
    this.checks++;
    const blocking = [...state.objects.values()].filter((x) => {
      if (!x.blockingOwnerUids?.includes(owner.uid)) return false;
      const since = this.blockingSince.get(`${x.uid}|${owner.uid}`);
      return since !== undefined && !mayBeUnseen(this.windows, since, time);
    });
    if (blocking.length === 0 || this.reported.has(`foreground|${owner.uid}`)) return;
    this.reported.add(`foreground|${owner.uid}`);
    this.violations.push({
      invariant: NAME,
      message:
        `${nameOf(owner)}, deleted in the foreground at ${at(began.time)} (resourceVersion ${began.rv}), disappeared at ${at(time)} (resourceVersion ${rv}) ` +
        `while ${count(blocking.length, 'dependent')} with blockOwnerDeletion still existed: ${blocking.map(nameOf).join(', ')}`,
      time,
      objects: [nameOf(owner), ...blocking.map(nameOf), `resourceVersion ${rv}`],
    });
  }

  /** Rule 2, when the deletion of `x` (its state before: `before`) begins at `rv`. */
  dependentDeleted(x: ObjectSummary, before: ObjectSummary, rv: number, time: Time, state: ReplayState): void {
    for (const uid of before.ownerUids ?? []) {
      const owner = state.get(uid);
      if (!owner?.deleting || !owner.finalizers?.includes(ORPHAN_FINALIZER)) continue;
      this.checks++;
      if (this.someoneElses(before, owner, state)) continue;
      if (this.reported.has(`orphan|${owner.uid}`)) continue;
      this.reported.add(`orphan|${owner.uid}`);
      const began = this.deletionStart.get(owner.uid);
      this.violations.push({
        invariant: NAME,
        message:
          `${nameOf(x)} was deleted at ${at(time)} (resourceVersion ${rv}) while it still named ${nameOf(owner)} as owner, ` +
          `which was being deleted with propagationPolicy Orphan${began ? ` since ${at(began.time)} (resourceVersion ${began.rv})` : ''}: its dependents must be orphaned, not deleted`,
        time,
        objects: [nameOf(x), nameOf(owner), `resourceVersion ${rv}`],
      });
    }
  }

  /** Whether someone other than the garbage collector may have deleted `x` (its last state before the deletion). */
  private someoneElses(x: ObjectSummary, owner: ObjectSummary, state: ReplayState): boolean {
    if (userDeleted(this.history.operations, x)) return true;
    if (x.kind === 'Pod') {
      if (isTerminal(x)) return true;
      const node = x.nodeName ? state.node(x.nodeName) : undefined;
      if (x.nodeName && (!node || node.nodeReady !== 'True' || node.taints?.some((t) => t.effect === 'NoExecute'))) return true;
      if (owner.kind === 'ReplicaSet') {
        // Its controller may still be deleting pods above spec.replicas (a delete in flight
        // when the owner's deletion began): counted with this pod, which was active.
        const active = state.dependentsOf(owner.uid).filter((p) => p.kind === 'Pod' && isActive(p)).length + 1;
        return active > tolerantMinReplicas(owner, this.rsVersions.get(owner.uid) ?? []);
      }
    }
    if (x.kind === 'ReplicaSet' && owner.kind === 'Deployment') return (x.replicas ?? 1) === 0;
    return false;
  }
}

export const garbageCollection: Invariant = {
  name: NAME,
  description:
    'an owner deleted in the foreground outlives its dependents with blockOwnerDeletion; the dependents of an owner deleted with propagationPolicy Orphan are orphaned, not deleted',
  check(history: History) {
    const judge = new Judge(history, faultWindows(history.faults));
    const observed = replayRevisions(history, (step, state) => {
      for (const { version } of step.changes) judge.remember(version.object, version.deleted, step.rv, step.time);
      for (const { version, before } of step.changes) {
        const o = version.object;
        if (version.deleted) judge.ownerRemoved(o, step.rv, step.time, state);
        if (before && !before.deleting && (version.deleted || o.deleting)) judge.dependentDeleted(o, before, step.rv, step.time, state);
      }
    });
    if (!observed) return notChecked('no objects were observed on any watch');
    return result(judge.violations, judge.checks);
  },
};
