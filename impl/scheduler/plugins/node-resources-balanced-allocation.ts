// Score NodeResourcesBalancedAllocation: prefer the node where, after placing the pod, the
// fractions of cpu and memory requested are closest to each other, so one resource is not
// exhausted while the other sits idle. Upstream's formula: (1 - std of the fractions) * 100,
// each fraction capped at 1, with the pods' actual requests (not the non-zero defaults).

import { MAX_NODE_SCORE, type ScorePlugin } from '../framework.js';
import { CPU, MEMORY } from '../resources.js';

export const nodeResourcesBalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(pod, node) {
    const fractions: number[] = [];
    for (const resource of [CPU, MEMORY]) {
      const allocatable = node.allocatable.get(resource) ?? 0n;
      if (allocatable === 0n) continue;
      const requested = (node.requested.get(resource) ?? 0n) + (pod.requests.get(resource) ?? 0n);
      fractions.push(Math.min(1, Number(requested) / Number(allocatable)));
    }
    let std = 0;
    if (fractions.length === 2) std = Math.abs(((fractions[0] as number) - (fractions[1] as number)) / 2);
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  },
};
