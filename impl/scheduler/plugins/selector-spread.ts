// Score SelectorSpread: spread the pods of one controller across nodes. A node scores
// higher the fewer pods of the pod's controller (its controller ownerReference: the
// ReplicaSet of a Deployment's pod) it already runs, bound or assumed, so 3 replicas on 3
// equal nodes land one per node and a 4th goes to any of them (2/1/1).
//
// Upstream's SelectorSpread counts the pods that the selectors of the Services,
// ReplicaSets and StatefulSets selecting the pod also select, and weighs zones; here the
// controller's uid stands for its selector (a ReplicaSet's pods are exactly the ones it
// owns once adopted), which needs no informers for those kinds, and zones are not weighed.
// Pods being deleted do not count, as upstream. A pod without a controller scores 0 everywhere.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework.js';

function controllerUid(pod: Pod): string | undefined {
  return pod.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
}

export const selectorSpread: ScorePlugin = {
  name: 'SelectorSpread',
  weight: 1,
  score(pod, node) {
    const owner = controllerUid(pod.pod);
    if (!owner) return 0;
    return node.pods.filter((p) => p.namespace === pod.namespace && !p.pod.metadata?.deletionTimestamp && controllerUid(p.pod) === owner).length;
  },
  normalize(counts) {
    // Raw scores are counts; the emptiest node gets 100, the fullest 0.
    const max = Math.max(0, ...counts);
    return counts.map((c) => (max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max - c)) / max)));
  },
};
