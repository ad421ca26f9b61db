// The taints a node's conditions call for, as the node lifecycle controller keeps them:
// Ready False → node.kubernetes.io/not-ready, Ready Unknown → node.kubernetes.io/unreachable
// (both NoSchedule, so nothing new lands there, and NoExecute, so what runs there is evicted
// once its toleration runs out), pressure conditions and spec.unschedulable → NoSchedule.
// Taints the controller does not manage are left as they are.

import type { Node, NodeCondition, Taint } from 'kubernetes-types/core/v1.js';
import { metaTime } from '../../api/meta-time.js';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, TAINT_NODE_UNSCHEDULABLE } from '../../api/tolerations.js';
import type { Millis } from '../../env/clock.js';

export const TAINT_NOT_READY = TAINT_NODE_NOT_READY;
export const TAINT_UNREACHABLE = TAINT_NODE_UNREACHABLE;
export const TAINT_UNSCHEDULABLE = TAINT_NODE_UNSCHEDULABLE;

/** Condition type and status → NoSchedule taint key (upstream's nodeConditionToTaintKeyStatusMap). */
const NO_SCHEDULE_BY_CONDITION: readonly { type: string; status: string; key: string }[] = [
  { type: 'Ready', status: 'False', key: TAINT_NOT_READY },
  { type: 'Ready', status: 'Unknown', key: TAINT_UNREACHABLE },
  { type: 'MemoryPressure', status: 'True', key: 'node.kubernetes.io/memory-pressure' },
  { type: 'DiskPressure', status: 'True', key: 'node.kubernetes.io/disk-pressure' },
  { type: 'PIDPressure', status: 'True', key: 'node.kubernetes.io/pid-pressure' },
  { type: 'NetworkUnavailable', status: 'True', key: 'node.kubernetes.io/network-unavailable' },
];

const MANAGED_NO_SCHEDULE = new Set([...NO_SCHEDULE_BY_CONDITION.map((c) => c.key), TAINT_UNSCHEDULABLE]);
const MANAGED_NO_EXECUTE = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE]);

export function nodeCondition(node: Node, type: string): NodeCondition | undefined {
  return (node.status?.conditions ?? []).find((c) => c.type === type);
}

function isManaged(t: Taint): boolean {
  return (t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key)) || (t.effect === 'NoExecute' && MANAGED_NO_EXECUTE.has(t.key));
}

/** The node's taints as they should be; existing managed taints that stay keep their timeAdded. */
export function desiredTaints(node: Node, now: Millis): Taint[] {
  const wanted: Taint[] = [];
  const conditions = node.status?.conditions ?? [];
  for (const rule of NO_SCHEDULE_BY_CONDITION) {
    if (conditions.some((c) => c.type === rule.type && c.status === rule.status)) wanted.push({ key: rule.key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) wanted.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const ready = nodeCondition(node, 'Ready')?.status;
  if (ready === 'False') wanted.push({ key: TAINT_NOT_READY, effect: 'NoExecute' });
  if (ready === 'Unknown') wanted.push({ key: TAINT_UNREACHABLE, effect: 'NoExecute' });
  const current = node.spec?.taints ?? [];
  const kept = current.filter((t) => !isManaged(t) || wanted.some((w) => w.key === t.key && w.effect === t.effect));
  for (const w of wanted) {
    if (kept.some((t) => t.key === w.key && t.effect === w.effect)) continue;
    // NoExecute taints carry when they appeared: eviction counts tolerationSeconds from it.
    kept.push(w.effect === 'NoExecute' ? { ...w, timeAdded: metaTime(now) } : w);
  }
  return kept;
}

export function taintsEqual(a: readonly Taint[] | undefined, b: readonly Taint[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}
