// Filter NodeReady: only nodes whose Ready condition is True take new pods.
//
// Upstream has no such filter: the kubelet registers a node with the not-ready taint and
// the node lifecycle controller keeps node.kubernetes.io/not-ready / unreachable NoSchedule
// taints in step with the Ready condition, so TaintToleration does the job. Here a node may
// be seen before anyone has tainted it (a kubelet's first registration, a node controller
// that has not caught up), and a pod bound there would sit on a node that cannot run it.
// So this filter acts as if those taints were present: a node whose Ready condition is
// False or missing counts as tainted not-ready, Unknown as unreachable, both NoSchedule.
// A pod that tolerates the taint (a DaemonSet-like pod) may still go there, and the reason
// is worded as TaintToleration would word it, so the FailedScheduling message reads as
// upstream's does once the taint is present.

import type { Taint } from 'kubernetes-types/core/v1.js';
import type { FilterPlugin } from '../framework.js';
import { tolerationsTolerateTaint } from '../../api/tolerations.js';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, untoleratedTaintReason } from '../tolerations.js';

export const nodeReady: FilterPlugin = {
  name: 'NodeReady',
  filter(pod, node) {
    const ready = (node.node.status?.conditions ?? []).find((c) => c.type === 'Ready');
    if (ready?.status === 'True') return [];
    const taint: Taint = { key: ready?.status === 'Unknown' ? TAINT_NODE_UNREACHABLE : TAINT_NODE_NOT_READY, effect: 'NoSchedule' };
    return tolerationsTolerateTaint(pod.pod.spec?.tolerations, taint) ? [] : [untoleratedTaintReason(taint)];
  },
};
