// Filter NodeName: a pod that names its node (spec.nodeName) fits only there. The scheduler
// queues only pods without a nodeName, so this filter rejects nothing in practice; it is
// kept so the filter list reads as upstream's and a pod created with nodeName never lands
// elsewhere if that ever changes.

import type { FilterPlugin } from '../framework.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(pod, node) {
    const wanted = pod.pod.spec?.nodeName;
    return !wanted || wanted === node.name ? [] : [ERR_REASON_NODE_NAME];
  },
};
