// Filter TaintToleration: a node's NoSchedule and NoExecute taints keep off every pod that
// does not tolerate them (PreferNoSchedule only matters to scoring, which is not done here).
// The reason names the first untolerated taint, as upstream does.

import type { Taint } from 'kubernetes-types/core/v1.js';
import type { FilterPlugin } from '../framework.js';
import { repelsNewPods, tolerationsTolerateTaint } from '../../api/tolerations.js';
import { untoleratedTaintReason } from '../tolerations.js';

export interface TaintTolerationOptions {
  /** Mutant switch: let pods onto tainted nodes. */
  readonly ignoreTaints?: boolean;
}

export function taintToleration(options: TaintTolerationOptions = {}): FilterPlugin {
  return {
    name: 'TaintToleration',
    filter(pod, node) {
      if (options.ignoreTaints) return [];
      const untolerated = (node.node.spec?.taints ?? []).find(
        (t: Taint) => repelsNewPods(t) && !tolerationsTolerateTaint(pod.pod.spec?.tolerations, t),
      );
      return untolerated ? [untoleratedTaintReason(untolerated)] : [];
    },
  };
}
