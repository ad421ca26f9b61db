// node-lifecycle: what the node lifecycle and taint eviction controllers owe a node whose
// kubelet falls silent, and the pods on it.
//
// 1. Silent nodes are marked. A kubelet's heartbeat is the renewal of its Lease in
//    kube-node-lease (every write of the lease's key in the store log), or a write of its
//    Node that the audit log shows the kubelet itself made (a status post). When none comes for
//    longer than the grace period (upstream --node-monitor-grace-period; the history says the
//    target's, else upstream's default of 50 s), the node lifecycle controller marks the
//    node's Ready condition Unknown ("Kubelet stopped posting node status.") and the node
//    gets the node.kubernetes.io/unreachable:NoExecute taint. The checker allows the grace
//    period plus 10 s (upstream's node-monitor-period of 5 s for the next pass, and the
//    controller's cache, its writes and the taint sync) after the last renewal; a fault that
//    can blind or stop the controller (any fault not aimed at a node or a workload: an API
//    server or controller-manager restart, a watch drop, a slow network, a compaction)
//    restarts that allowance from its heal, since upstream gives a node a full grace period
//    from the moment a restarted controller first sees it. Only silences the store log
//    shows, and only up to the end of the history, are judged.
// 2. tolerationSeconds holds. A pod on a node with NoExecute taints is evicted (deleted) by
//    the taint eviction controller at once when it does not tolerate one of them, never when
//    it tolerates them all without a limit, and otherwise only once the shortest
//    tolerationSeconds of a tolerated taint has passed since the taint was added (its
//    timeAdded, else the revision it appeared at). A deletion of such a pod is a violation
//    when no version of the node the controller could have acted on (any up to the deletion)
//    justified it, and nothing else explains it: a user's delete of the pod or its owners,
//    its ReplicaSet having more active pods than spec.replicas (at some version since the
//    pod was created), an owner being deleted or gone (garbage collection), the pod being
//    finished, or the node being gone (pod GC). The pod is judged with its first version's
//    tolerations: they can only be added to, so that is what a stale cache held at most.

import type { History, ObjectSummary, TaintSummary, Time } from '../history/history.js';
import { TAINT_NODE_UNREACHABLE, toleratesTaint } from '../../impl/api/tolerations.js';
import { at, nameOf, seconds, taintText } from './describe.js';
import { allVersions, faultWindows, isActive, isTerminal, parseTarget, revisionTimes, storeKey, type FaultWindow, type Version } from './history-views.js';
import { result, type Invariant, type Violation } from './invariant.js';

const NAME = 'node-lifecycle';

/** Upstream's --node-monitor-grace-period since Kubernetes 1.29. */
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
/** After the grace period: the controller's next monitor pass (5 s upstream) and its writes. */
export const MARK_SLACK_MS = 10_000;
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** Fault kinds that hit nodes or workloads only: they cannot keep the controller from marking a node. */
const NODE_SIDE_FAULTS = new Set(['node-loss', 'node-partition', 'node-restart', 'kubelet-restart', 'node-add', 'container-kill', 'container-crash', 'duplicate-create', 'stale-update', 'scheduler-restart']);

function sameTaint(a: TaintSummary, b: TaintSummary): boolean {
  return a.key === b.key && (a.value ?? '') === (b.value ?? '') && a.effect === b.effect;
}

const noExecute = (n: ObjectSummary): TaintSummary[] => (n.taints ?? []).filter((t) => t.effect === 'NoExecute');

class Views {
  readonly all: Version[];
  readonly timeOf: (rv: number) => Time | undefined;
  /** Versions of each object by uid, in resourceVersion order. */
  readonly byUid = new Map<string, Version[]>();
  readonly violations: Violation[] = [];
  checks = 0;

  constructor(readonly history: History) {
    this.all = allVersions(history.watches);
    this.timeOf = revisionTimes(history);
    for (const v of this.all) this.byUid.set(v.object.uid, [...(this.byUid.get(v.object.uid) ?? []), v]);
  }

  time(v: Version): Time {
    return this.timeOf(v.rv) ?? v.time;
  }

  /** The versions (up to `rv`) of the node named so that exists at `rv`, or undefined if none does. */
  nodeAt(name: string, rv: number): Version[] | undefined {
    for (const list of this.byUid.values()) {
      if (list[0]?.object.kind !== 'Node' || list[0].object.name !== name) continue;
      const upTo = list.filter((v) => v.rv <= rv);
      const last = upTo[upTo.length - 1];
      if (last && !last.deleted) return upTo;
    }
    return undefined;
  }

  /** The state of the object `uid` just before revision `rv`. */
  before(uid: string, rv: number): ObjectSummary | undefined {
    const list = (this.byUid.get(uid) ?? []).filter((v) => v.rv < rv);
    const last = list[list.length - 1];
    return last && !last.deleted ? last.object : undefined;
  }
}

// ---- 1. silent nodes are marked Unknown and tainted unreachable ----

function checkSilentNodes(views: Views): void {
  const writes = views.history.storeWrites;
  if (!writes) return;
  const grace = views.history.nodeMonitorGracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS;
  const blinding = faultWindows(views.history.faults).filter((w) => !NODE_SIDE_FAULTS.has(w.kind));
  const end = views.history.final?.time ?? Math.max(0, ...writes.map((w) => w.time));
  const prefix = storeKey('leases', NODE_LEASE_NAMESPACE, '');
  const renewals = new Map<string, Time[]>();
  for (const w of writes) {
    for (const c of w.changes) {
      if (c.type !== 'put' || !c.key.startsWith(prefix)) continue;
      const node = c.key.slice(prefix.length);
      renewals.set(node, [...(renewals.get(node) ?? []), w.time]);
    }
  }
  // The kubelet's own writes of its Node (status posts) are heartbeats too: upstream's
  // controller renews a node's probe time whenever its status changes, so a kubelet back
  // from a partition that posts Ready=True before its next lease renewal is alive.
  for (const a of views.history.audit ?? []) {
    if (a.resource !== 'nodes' || !a.name || a.user !== `system:node:${a.name}` || a.code >= 300 || a.revisions.length === 0) continue;
    if (!['update', 'patch', 'create'].includes(a.verb)) continue;
    const list = renewals.get(a.name);
    if (list) list.push(a.time);
  }
  for (const list of renewals.values()) list.sort((a, b) => a - b);
  const nodeVersions = views.all.filter((v) => v.object.kind === 'Node');
  for (const [node, times] of renewals) {
    for (let i = 0; i < times.length; i++) {
      const last = times[i]!;
      const next = times[i + 1] ?? Infinity;
      const deadline = markDeadline(last, grace, blinding);
      if (next <= deadline || deadline > end) continue;
      const upTo = nodeVersions.filter((v) => v.object.name === node && views.time(v) <= deadline);
      const state = upTo[upTo.length - 1];
      if (!state || state.deleted) continue;
      views.checks++;
      const n = state.object;
      const tainted = (n.taints ?? []).some((t) => t.key === TAINT_NODE_UNREACHABLE && t.effect === 'NoExecute');
      if (n.nodeReady === 'Unknown' && tainted) continue;
      const until = next === Infinity ? `the end of the history at ${at(end)}` : at(next);
      const taints = (n.taints ?? []).map(taintText);
      views.violations.push({
        invariant: NAME,
        message:
          `node ${node}'s kubelet last renewed its Lease at ${at(last)} and not again until ${until}, longer than the node monitor grace period of ${seconds(grace)}, ` +
          `but at ${at(deadline)} the node was still Ready=${n.nodeReady ?? 'absent'} with taints [${taints.join(', ')}] (resourceVersion ${n.resourceVersion}), ` +
          `not Ready=Unknown with ${TAINT_NODE_UNREACHABLE}:NoExecute`,
        time: deadline,
        objects: [`node ${node}`, `resourceVersion ${n.resourceVersion}`],
      });
    }
  }
}

/** When a node silent since `last` must be marked: grace and slack after it, restarted by every blinding fault that overlaps. */
export function markDeadline(last: Time, grace: number, blinding: readonly FaultWindow[]): Time {
  let start = last;
  // Each pass moves the start to a later heal, so there are at most as many passes as windows.
  for (let pass = 0; pass <= blinding.length; pass++) {
    const deadline = start + grace + MARK_SLACK_MS;
    const later = blinding.filter((w) => w.start <= deadline && w.end > start).map((w) => w.end);
    if (later.length === 0) return deadline;
    start = Math.max(...later);
    if (!Number.isFinite(start)) return Infinity;
  }
  return start + grace + MARK_SLACK_MS;
}

// ---- 2. pods tolerating NoExecute taints stay for their tolerationSeconds ----

/** When a taint of node version `index` appeared: its timeAdded, else the first version of its unbroken run. */
function taintSince(versions: readonly Version[], index: number, taint: TaintSummary, views: Views): Time {
  if (taint.timeAdded !== undefined) return taint.timeAdded;
  let first = index;
  while (first > 0 && (versions[first - 1]!.object.taints ?? []).some((t) => sameTaint(t, taint))) first--;
  return views.time(versions[first]!);
}

/** The earliest time node version `index` lets the taint eviction controller delete a pod with these tolerations (Infinity: never). */
function evictableFrom(versions: readonly Version[], index: number, tolerations: ObjectSummary['tolerations'], views: Views): Time {
  let earliest = Infinity;
  for (const taint of noExecute(versions[index]!.object)) {
    const matching = (tolerations ?? []).filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return -Infinity;
    const limit = Math.min(...matching.map((t) => t.tolerationSeconds ?? Infinity));
    if (limit === Infinity) continue;
    earliest = Math.min(earliest, taintSince(versions, index, taint, views) + Math.max(0, limit) * 1000);
  }
  return earliest;
}

function userDeleted(history: History, names: readonly ObjectSummary[]): boolean {
  return history.operations.some((op) => {
    if (op.op !== 'delete') return false;
    const t = parseTarget(op.target);
    return names.some((o) => o.name === t.name && (t.namespace === undefined || t.namespace === (o.namespace ?? '')));
  });
}

/** Whether something other than taint eviction explains deleting `pod` (its state before) at `rv`. */
function otherwiseExplained(views: Views, pod: ObjectSummary, rv: number): boolean {
  const owners: ObjectSummary[] = [];
  for (const uid of pod.ownerUids ?? []) {
    const owner = views.before(uid, rv);
    // An owner gone or going: the garbage collector deletes its dependents.
    if (!owner || owner.deleting) return true;
    owners.push(owner);
    for (const up of owner.ownerUids ?? []) {
      const grand = views.before(up, rv);
      if (!grand || grand.deleting) return true;
      owners.push(grand);
    }
    if (owner.kind === 'ReplicaSet' && surplus(views, owner, pod, rv)) return true;
  }
  return userDeleted(views.history, [pod, ...owners]);
}

/** Whether the ReplicaSet had more active pods before `rv` than some spec.replicas it had since `pod` was created. */
function surplus(views: Views, rs: ObjectSummary, pod: ObjectSummary, rv: number): boolean {
  const created = views.byUid.get(pod.uid)?.[0]?.rv ?? 0;
  const active = [...views.byUid.values()].filter((list) => {
    const o = list[0]?.object;
    if (o?.kind !== 'Pod' || !o.ownerUids?.includes(rs.uid)) return false;
    const state = views.before(o.uid, rv);
    return state !== undefined && isActive(state);
  }).length;
  const sizes = (views.byUid.get(rs.uid) ?? []).filter((v) => v.rv >= created && v.rv < rv && !v.deleted).map((v) => v.object.replicas ?? 1);
  return sizes.length > 0 ? active > Math.min(...sizes) : active > (rs.replicas ?? 1);
}

function checkEvictions(views: Views): void {
  for (const versions of views.byUid.values()) {
    if (versions[0]?.object.kind !== 'Pod') continue;
    const i = versions.findIndex((v) => v.deleted || v.object.deleting);
    if (i <= 0) continue;
    const gone = versions[i]!;
    const pod = versions[i - 1]!.object;
    const nodeName = pod.nodeName;
    if (!nodeName || isTerminal(pod)) continue;
    const node = views.nodeAt(nodeName, gone.rv);
    const current = node?.[node.length - 1];
    if (!node || !current || noExecute(current.object).length === 0) continue;
    const tolerations = versions[0]!.object.tolerations;
    const when = views.time(gone);
    views.checks++;
    const from = Math.min(...node.map((_, k) => evictableFrom(node, k, tolerations, views)));
    if (from <= when || otherwiseExplained(views, pod, gone.rv)) continue;
    const taints = noExecute(current.object);
    const since = Math.min(...taints.map((t) => taintSince(node, node.length - 1, t, views)));
    const allowed = from === Infinity ? 'tolerates them without a time limit' : `may stay until ${at(from)}`;
    views.violations.push({
      invariant: NAME,
      message:
        `${nameOf(pod)} on node ${nodeName} was deleted at ${at(when)} (resourceVersion ${gone.rv}), ${seconds(Math.max(0, when - since))} after the node got taint ${taints.map(taintText).join(', ')}, ` +
        `but the pod ${allowed} by its tolerations, and neither a user, its ReplicaSet's size nor garbage collection asked for the deletion`,
      time: when,
      objects: [nameOf(pod), `node ${nodeName}`, `resourceVersion ${gone.rv}`],
    });
  }
}

export const nodeLifecycle: Invariant = {
  name: NAME,
  description:
    'a node whose Lease lapses beyond the grace period is marked Ready=Unknown and tainted unreachable:NoExecute in time; ' +
    'pods that tolerate a NoExecute taint are not evicted before their tolerationSeconds ran out',
  check(history) {
    const views = new Views(history);
    checkSilentNodes(views);
    checkEvictions(views);
    return result(views.violations, views.checks);
  },
};
