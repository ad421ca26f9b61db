// Filter NodeUnschedulable: a cordoned node (spec.unschedulable) takes no new pods, unless
// the pod tolerates the unschedulable taint (as DaemonSet pods do).

import type { FilterPlugin } from '../framework.js';
import { tolerationsTolerateTaint } from '../../api/tolerations.js';
import { TAINT_NODE_UNSCHEDULABLE } from '../tolerations.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod, node) {
    if (!node.node.spec?.unschedulable) return [];
    const tolerated = tolerationsTolerateTaint(pod.pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
    return tolerated ? [] : [ERR_REASON_UNSCHEDULABLE];
  },
};
