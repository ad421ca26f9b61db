// Whether a pod's tolerations tolerate a node's taint: core/v1 Toleration.ToleratesTaint.
// Shared by the filters that reason about taints (TaintToleration, NodeUnschedulable,
// NodeReady), so that "tolerates" means one thing everywhere.

import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

/** The taint a cordoned node carries (spec.unschedulable). */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
/** The taint of a node whose Ready condition is False. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** The taint of a node whose Ready condition is Unknown (its kubelet stopped reporting). */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** Toleration.ToleratesTaint: effect (empty tolerates all), key (empty with Exists tolerates all), then value. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The reason TaintToleration gives for a taint the pod does not tolerate (upstream since 1.25). */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}
