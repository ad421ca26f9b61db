// How controllers match objects by a workload's label selector: an empty selector would
// select everything, which a controller must never take as "adopt every pod", so here it
// selects nothing (as upstream's controllers treat it); an invalid one selects nothing too.

import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { isEmptySelector, labelSelectorAsSelector, selectorMatches } from '../api/labels.js';

export function controllerSelectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  try {
    const s = labelSelectorAsSelector(selector);
    return !isEmptySelector(s) && selectorMatches(s, labels ?? {});
  } catch {
    return false;
  }
}
