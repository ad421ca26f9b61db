// Which pods a ReplicaSet deletes first when it has too many, as upstream's
// ActivePodsWithRanks: the cheapest to lose go first. Unscheduled before scheduled, Pending
// before Unknown before Running, not Ready before Ready, lower pod-deletion-cost first, pods
// doubled up on a node with other pods of the same workload first, the most recently Ready
// first, more container restarts first, the newest first. (Upstream's LogarithmicScaleDown
// buckets ages by powers of two and breaks ties by a random uid; here ties fall to the exact
// times and then the name, so the order is the same on every replay.)

import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady, podReadySince } from '../pod-readiness.js';

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** The annotation that lets users rank pods for deletion (lower goes first). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

function deletionCost(pod: Pod): number {
  const v = Number(pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION] ?? 0);
  return Number.isInteger(v) ? v : 0;
}

function maxRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

function created(pod: Pod): number | undefined {
  const t = pod.metadata?.creationTimestamp;
  return t ? Date.parse(t) : undefined;
}

/** Later (or unknown) first: upstream's afterOrZero. */
function laterFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return b - a;
}

/**
 * Orders pods for deletion, first to delete first. `rank` is, per pod, how many pods of the
 * same workload share its node (upstream counts pods of every ReplicaSet of the same owner).
 */
export function compareForDeletion(a: Pod, b: Pod, rank: (p: Pod) => number): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  const ka = rank(a);
  const kb = rank(b);
  if (ka !== kb) return kb - ka;
  if (ra && rb) {
    const byReady = laterFirst(podReadySince(a), podReadySince(b));
    if (byReady !== 0) return byReady;
  }
  const restarts = maxRestarts(b) - maxRestarts(a);
  if (restarts !== 0) return restarts;
  const byAge = laterFirst(created(a), created(b));
  if (byAge !== 0) return byAge;
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The `count` pods to delete from `pods`, given the pods of the same workload (for ranks). */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], count: number): Pod[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node) onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const rank = (p: Pod) => onNode.get(p.spec?.nodeName ?? '') ?? 0;
  return [...pods].sort((a, b) => compareForDeletion(a, b, rank)).slice(0, count);
}
