// graceful-termination: deleting a pod with a grace period gives its running containers that
// long to stop. Upstream: a graceful delete sets deletionTimestamp and
// deletionGracePeriodSeconds (the request's gracePeriodSeconds, by default the pod's
// terminationGracePeriodSeconds, 30 s); the kubelet then stops each container through the
// runtime with that timeout (CRI StopContainer): SIGTERM, and SIGKILL only once the grace
// period has passed — unless the container exits on its own first. A later delete may
// shorten the period, and a pod removed from the API at once (gracePeriodSeconds 0, as
// pod GC does) may be killed from then on.
//
// Judged on the runtime's signal records against the store's commit times: for each pod
// deleted with a grace period G > 0, every container instance running (and not already
// being stopped) when the deletion was committed must not get a SIGKILL on behalf of a
// stop before commit + G (the earliest such deadline over the pod's deleting versions and
// its removal). A SIGKILL sent directly (`docker kill`, a container-kill fault) is no
// stop and is not judged. Commit times are lower bounds taken from the store's log (the
// first write to the pod's key after the version before), so a missed watch event makes the
// deadline earlier, never later.

import type { History, StoreWrite, Time } from '../history/history.js';
import { at, seconds } from './describe.js';
import { containerRuns, type ContainerRun } from './container-runs.js';
import { storeKey, versionsByUid, type Version } from './history-views.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';

const NAME = 'graceful-termination';

const SIGKILL = 9;

interface Deadline {
  /** When the deletion (with a grace period) was committed, at the earliest. */
  readonly deletedAt: Time;
  readonly graceSeconds: number;
  /** SIGKILLs of a stop before this time are too early. */
  readonly killableAt: Time;
  readonly rv: number;
}

/** Writes to each store key, in revision order. */
function writesByKey(writes: readonly StoreWrite[]): Map<string, { revision: number; time: Time }[]> {
  const out = new Map<string, { revision: number; time: Time }[]>();
  for (const w of [...writes].sort((a, b) => a.revision - b.revision)) {
    for (const c of w.changes) {
      const list = out.get(c.key) ?? [];
      list.push({ revision: w.revision, time: w.time });
      out.set(c.key, list);
    }
  }
  return out;
}

/**
 * The pod's grace deadline, or undefined when it was never deleted with a grace period.
 * Each version's commit is bounded below by the first write to its key after the version
 * seen before it (the version itself when nothing was missed).
 */
function deadlineOf(versions: readonly Version[], writes: readonly { revision: number; time: Time }[]): Deadline | undefined {
  let deadline: Deadline | undefined;
  let first: { at: Time; grace: number; rv: number } | undefined;
  for (let i = 0; i < versions.length; i++) {
    const v = versions[i]!;
    const before = i > 0 ? versions[i - 1]!.rv : 0;
    const committed = writes.find((w) => w.revision > before)?.time;
    if (committed === undefined) continue;
    const grace = v.object.deletionGracePeriodSeconds;
    const deleting = !v.deleted && v.object.deleting === true && grace !== undefined;
    if (deleting && grace > 0) first ??= { at: committed, grace, rv: v.rv };
    if (!first) continue;
    // From the first graceful deletion on, each shortening (or the removal) may bring the kill forward.
    const end = deleting ? committed + grace * 1000 : v.deleted ? committed : Infinity;
    const killableAt = Math.min(deadline?.killableAt ?? first.at + first.grace * 1000, end);
    deadline = { deletedAt: first.at, graceSeconds: first.grace, killableAt, rv: first.rv };
  }
  return deadline;
}

function check(history: History, runs: readonly ContainerRun[]): { violations: Violation[]; checks: number } {
  const violations: Violation[] = [];
  let checks = 0;
  const writes = writesByKey(history.storeWrites ?? []);
  const byPod = new Map<string, ContainerRun[]>();
  for (const r of runs) {
    const list = byPod.get(r.pod.uid);
    if (list) list.push(r);
    else byPod.set(r.pod.uid, [r]);
  }
  for (const [uid, versions] of versionsByUid(history.watches, 'Pod')) {
    const podRuns = byPod.get(uid);
    if (!podRuns) continue;
    const o = versions[0]!.object;
    const deadline = deadlineOf(versions, writes.get(storeKey('pods', o.namespace, o.name)) ?? []);
    if (!deadline) continue;
    for (const run of podRuns) {
      const runningThen = run.startedAt <= deadline.deletedAt && (run.endedAt === undefined || run.endedAt > deadline.deletedAt);
      if (!runningThen || run.signals.some((s) => s.request === 'stop' && s.time < deadline.deletedAt)) continue;
      checks++;
      const kill = run.signals.find((s) => s.signal === SIGKILL && s.request !== 'kill');
      if (!kill || kill.time >= deadline.killableAt) continue;
      const p = `pod ${run.pod.namespace}/${run.pod.name}`;
      violations.push({
        invariant: NAME,
        message:
          `container ${run.container} (${run.containerId}) of ${p} got SIGKILL on node ${run.node} at ${at(kill.time)}, ` +
          `${seconds(kill.time - deadline.deletedAt)} after the pod's deletion with a grace period of ${deadline.graceSeconds}s at ${at(deadline.deletedAt)} ` +
          `(resourceVersion ${deadline.rv}): it may be killed from ${at(deadline.killableAt)} on, after SIGTERM and the grace period`,
        time: kill.time,
        objects: [p, `node ${run.node}`, run.containerId, `resourceVersion ${deadline.rv}`],
      });
    }
  }
  return { violations, checks };
}

export const gracefulTermination: Invariant = {
  name: NAME,
  description: "a pod deleted with a grace period has its running containers SIGKILLed no sooner than the grace period after the deletion",
  check(history) {
    if (!history.runtime) return notChecked("the target does not record its nodes' runtime events");
    if (!history.storeWrites) return notChecked("the target does not record the store's commits, which time the deletions");
    const { violations, checks } = check(history, containerRuns(history.runtime));
    return result(violations, checks);
  },
};
