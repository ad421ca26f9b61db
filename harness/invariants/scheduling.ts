// scheduling: the scheduler binds no pod to a node whose taints repel it. Upstream's
// TaintToleration filter rejects a node with a NoSchedule or NoExecute taint the pod does
// not tolerate (core/v1 Toleration.ToleratesTaint, impl/api/tolerations.ts); PreferNoSchedule
// only lowers the node's score.
//
// The scheduler decides on its informer cache, which may hold any version of the node up to
// the binding: a taint added after the version it looked at does not make the binding wrong
// (upstream accepts the race; the taint eviction controller deals with NoExecute ones). So a
// binding is a violation only when no version the scheduler could have decided on lacked an
// untolerated repelling taint: every version of the node from its creation up to the
// binding's revision carries one. That needs the history to hold each of those versions: the
// node's creation (an ADDED event that is not synthetic list state) and every write of the
// node's key in between (the store log says which revisions wrote it; without a store log,
// one watch stream that saw the creation and lived past the binding saw them all). A binding
// the history cannot judge so is not checked.
//
// Pods are judged by the tolerations they carry at the binding: tolerations can only be
// added, so the version the scheduler read tolerated no more. A pod created with nodeName set
// bypasses the scheduler and is not judged here (the kubelet admits or rejects it); a pod
// first seen bound counts as the scheduler's when its PodScheduled condition is True.

import { repelsNewPods, tolerationsTolerateTaint } from '../../impl/api/tolerations.js';
import type { History, ObjectSummary, TaintSummary } from '../history/history.js';
import { at, nameOf, taintText } from './describe.js';
import { allVersions, revisionTimes, storeKey, type Version } from './history-views.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';

const NAME = 'scheduling';

/** The node's NoSchedule and NoExecute taints the pod does not tolerate. */
export function untoleratedTaints(node: ObjectSummary, pod: ObjectSummary): TaintSummary[] {
  return (node.taints ?? []).filter((t) => repelsNewPods(t) && !tolerationsTolerateTaint(pod.tolerations, t));
}

/** The version at which the scheduler's binding of the pod is known to have happened, if it bound it. */
function bindingOf(versions: readonly Version[]): Version | undefined {
  let previous: Version | undefined;
  for (const v of versions) {
    if (v.deleted) return undefined;
    if (v.object.nodeName) {
      if (previous) return previous.object.nodeName ? undefined : v;
      // First seen bound: the scheduler's only if it says it scheduled the pod.
      return v.object.scheduledCondition === true ? v : undefined;
    }
    previous = v;
  }
  return undefined;
}

/** Every version of a node, by uid, in resourceVersion order, and which uids' creations were observed (rv). */
class Nodes {
  readonly versions = new Map<string, Version[]>();
  readonly created = new Map<string, number>();
  /** Per stream: the node uids it saw created, and the last resourceVersion it delivered. */
  private readonly streams = new Map<string, { created: Set<string>; last: number }>();

  constructor(private readonly history: History) {
    for (const v of allVersions(history.watches)) {
      if (v.object.kind !== 'Node') continue;
      this.versions.set(v.object.uid, [...(this.versions.get(v.object.uid) ?? []), v]);
    }
    for (const w of history.watches) {
      const s = this.streams.get(w.stream) ?? { created: new Set<string>(), last: 0 };
      s.last = Math.max(s.last, w.object.resourceVersion);
      if (w.object.kind === 'Node' && w.type === 'ADDED' && !w.initial) {
        s.created.add(w.object.uid);
        const seen = this.created.get(w.object.uid);
        if (seen === undefined || w.object.resourceVersion < seen) this.created.set(w.object.uid, w.object.resourceVersion);
      }
      this.streams.set(w.stream, s);
    }
  }

  /** The node named so that existed at `rv`. */
  at(name: string, rv: number): ObjectSummary[] | undefined {
    for (const list of this.versions.values()) {
      const upTo = list.filter((v) => v.rv <= rv);
      const last = upTo[upTo.length - 1];
      if (last && !last.deleted && last.object.name === name) return upTo.map((v) => v.object);
    }
    return undefined;
  }

  /**
   * Every version of node `uid` from its creation up to `rv`, or undefined when the history
   * may lack one of them.
   */
  complete(uid: string, name: string, rv: number): ObjectSummary[] | undefined {
    const created = this.created.get(uid);
    if (created === undefined) return undefined;
    const versions = (this.versions.get(uid) ?? []).filter((v) => v.rv >= created && v.rv <= rv && !v.deleted);
    const seen = new Set(versions.map((v) => v.rv));
    const writes = this.history.storeWrites;
    if (writes) {
      const key = storeKey('nodes', undefined, name);
      const missed = writes.some((w) => w.revision >= created && w.revision <= rv && w.changes.some((c) => c.key === key) && !seen.has(w.revision));
      return missed ? undefined : versions.map((v) => v.object);
    }
    const whole = [...this.streams.values()].some((s) => s.created.has(uid) && s.last >= rv);
    return whole ? versions.map((v) => v.object) : undefined;
  }
}

export const scheduling: Invariant = {
  name: NAME,
  description: 'the scheduler binds no pod to a node whose NoSchedule or NoExecute taints it does not tolerate, in any version it could have decided on',
  check(history) {
    const all = allVersions(history.watches);
    if (!all.some((v) => v.object.kind === 'Node')) return notChecked('no Node was observed');
    const nodes = new Nodes(history);
    const timeOf = revisionTimes(history);
    const pods = new Map<string, Version[]>();
    for (const v of all) if (v.object.kind === 'Pod') pods.set(v.object.uid, [...(pods.get(v.object.uid) ?? []), v]);
    const violations: Violation[] = [];
    let checks = 0;
    for (const versions of pods.values()) {
      const binding = bindingOf(versions);
      const name = binding?.object.nodeName;
      if (!binding || !name) continue;
      const known = nodes.at(name, binding.rv);
      const node = known?.[known.length - 1];
      if (!node) continue;
      const seen = nodes.complete(node.uid, name, binding.rv);
      if (!seen || seen.length === 0) continue;
      checks++;
      const pod = binding.object;
      if (!seen.every((n) => untoleratedTaints(n, pod).length > 0)) continue;
      const taints = untoleratedTaints(node, pod).map(taintText);
      const time = timeOf(binding.rv) ?? binding.time;
      violations.push({
        invariant: NAME,
        message:
          `${nameOf(pod)} was bound to node ${name} at ${at(time)} (resourceVersion ${binding.rv}), but the node had taint ${taints.join(', ')}, which the pod does not tolerate, ` +
          `and every version of the node since its creation (resourceVersions ${seen[0]?.resourceVersion}–${node.resourceVersion}) carried an untolerated NoSchedule or NoExecute taint: no cache the scheduler could have decided on showed the node open to it`,
        time,
        objects: [nameOf(pod), `node ${name}`, `resourceVersion ${binding.rv}`],
      });
    }
    return result(violations, checks);
  },
};
