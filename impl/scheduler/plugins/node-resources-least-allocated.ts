// Score NodeResourcesLeastAllocated (upstream: NodeResourcesFit with the LeastAllocated
// strategy): prefer the node with the most cpu and memory left after placing the pod,
// counting requests with the non-zero defaults (100m cpu, 200Mi memory for containers that
// state none) so pods without requests still spread by count. Integer arithmetic as upstream:
// per resource (allocatable - requested) * 100 / allocatable, then the weighted mean.

import { MAX_NODE_SCORE, type ScorePlugin } from '../framework.js';
import { CPU, MEMORY } from '../resources.js';

function leastRequestedScore(requested: bigint, allocatable: bigint): bigint {
  if (allocatable === 0n || requested > allocatable) return 0n;
  return ((allocatable - requested) * BigInt(MAX_NODE_SCORE)) / allocatable;
}

export const nodeResourcesLeastAllocated: ScorePlugin = {
  name: 'NodeResourcesLeastAllocated',
  weight: 1,
  score(pod, node) {
    const resources = [
      { allocatable: node.allocatable.get(CPU) ?? 0n, requested: node.nonZeroRequested.cpu + pod.nonZeroRequests.cpu },
      { allocatable: node.allocatable.get(MEMORY) ?? 0n, requested: node.nonZeroRequested.memory + pod.nonZeroRequests.memory },
    ];
    let score = 0n;
    let weights = 0n;
    for (const r of resources) {
      if (r.allocatable === 0n) continue;
      score += leastRequestedScore(r.requested, r.allocatable);
      weights += 1n;
    }
    return weights === 0n ? 0 : Number(score / weights);
  },
};
