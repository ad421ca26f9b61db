// Filter NodeResourcesFit: the pod's effective requests must fit in what the node has left,
// allocatable minus the requests of the pods already on it (bound or assumed). Checked as
// upstream's fitsRequest does: the pod count first ("Too many pods"), then nothing more for
// a pod that requests nothing, then every requested resource ("Insufficient cpu"). A
// resource the pod requests zero of always fits, even on an overcommitted node.

import type { FilterPlugin } from '../framework.js';
import { CPU, MEMORY, PODS } from '../resources.js';

export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';

export function insufficientReason(resource: string): string {
  return `Insufficient ${resource}`;
}

/** cpu and memory first, then the rest by name: the order upstream checks them in. */
function checkOrder(names: Iterable<string>): string[] {
  const rank = (n: string) => (n === CPU ? 0 : n === MEMORY ? 1 : 2);
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(pod, node) {
    const reasons: string[] = [];
    const allowedPods = node.allocatable.get(PODS) ?? 0n;
    if (BigInt(node.pods.length) + 1n > allowedPods) reasons.push(ERR_REASON_TOO_MANY_PODS);
    for (const resource of checkOrder(pod.requests.keys())) {
      if (resource === PODS) continue;
      const wanted = pod.requests.get(resource) ?? 0n;
      if (wanted <= 0n) continue;
      const free = (node.allocatable.get(resource) ?? 0n) - (node.requested.get(resource) ?? 0n);
      if (wanted > free) reasons.push(insufficientReason(resource));
    }
    return reasons;
  },
};
