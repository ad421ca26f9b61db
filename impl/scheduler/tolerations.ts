// The taints the scheduler's filters reason about (TaintToleration, NodeUnschedulable,
// NodeReady) and how they word a taint a pod does not tolerate. "Tolerates" itself is
// core/v1 Toleration.ToleratesTaint, in impl/api, so it means one thing everywhere.

import type { Taint } from 'kubernetes-types/core/v1.js';

export { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, TAINT_NODE_UNSCHEDULABLE } from '../api/tolerations.js';

/** The reason TaintToleration gives for a taint the pod does not tolerate (upstream since 1.25). */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}
