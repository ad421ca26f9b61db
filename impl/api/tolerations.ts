// Whether a pod's tolerations tolerate a node's taint: core/v1 Toleration.ToleratesTaint, the
// one rule the scheduler (TaintToleration, NodeUnschedulable, NodeReady), the taint eviction
// controller and the harness's checkers all mean by "tolerates", and the well-known taints of
// nodes. Pure; plain objects of the API's shape are enough, so checkers can pass the
// summaries they read from a history.

/** The taint of a node whose Ready condition is False (upstream v1.TaintNodeNotReady). */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** The taint of a node whose Ready condition is Unknown: its kubelet stopped reporting (v1.TaintNodeUnreachable). */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** The taint of a cordoned node, spec.unschedulable (v1.TaintNodeUnschedulable). */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** The fields of a core/v1 Taint the rule reads. */
export interface TaintLike {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** The fields of a core/v1 Toleration the rule reads. */
export interface TolerationLike {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/**
 * Toleration.ToleratesTaint: the effect must match unless the toleration names none, the key
 * must match unless it names none (which validation allows only with Exists), then Exists
 * tolerates any value and Equal (or no operator) the taint's value only.
 */
export function toleratesTaint(toleration: TolerationLike, taint: TaintLike): boolean {
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

/** Whether any of the tolerations tolerates the taint (v1helper.TolerationsTolerateTaint). */
export function tolerationsTolerateTaint(tolerations: readonly TolerationLike[] | undefined, taint: TaintLike): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The taint's effect keeps pods off the node (NoSchedule) or evicts them too (NoExecute). */
export function repelsNewPods(taint: TaintLike): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}
