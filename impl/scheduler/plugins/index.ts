// The default profile: the filters in upstream's order (NodeReady, which upstream does
// through taints, right after TaintToleration), and the score plugins with their weights.

import type { Profile } from '../framework.js';
import { interPodAffinity } from './inter-pod-affinity.js';
import { nodeAffinity } from './node-affinity.js';
import { nodeName } from './node-name.js';
import { nodeReady } from './node-ready.js';
import { nodeResourcesBalancedAllocation } from './node-resources-balanced-allocation.js';
import { nodeResourcesFit } from './node-resources-fit.js';
import { nodeResourcesLeastAllocated } from './node-resources-least-allocated.js';
import { nodeUnschedulable } from './node-unschedulable.js';
import { selectorSpread } from './selector-spread.js';
import { taintToleration, type TaintTolerationOptions } from './taint-toleration.js';

export type ProfileOptions = TaintTolerationOptions;

export function defaultProfile(options: ProfileOptions = {}): Profile {
  return {
    filters: [nodeUnschedulable, nodeName, taintToleration(options), nodeReady, nodeAffinity, nodeResourcesFit, interPodAffinity],
    scores: [nodeResourcesLeastAllocated, nodeResourcesBalancedAllocation, selectorSpread],
  };
}

export {
  interPodAffinity,
  nodeAffinity,
  nodeName,
  nodeReady,
  nodeResourcesBalancedAllocation,
  nodeResourcesFit,
  nodeResourcesLeastAllocated,
  nodeUnschedulable,
  selectorSpread,
  taintToleration,
};
