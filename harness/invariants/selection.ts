// Whether an object summary falls inside a watch's label and field selectors, three-valued:
// true, false, or undefined when the summary does not carry what the selector asks about
// (then a checker must neither demand nor forbid an event). Kept here rather than borrowed
// from impl/api so checkers judge any target by the documented selector grammar alone.

import type { ObjectSummary, WatchScope } from '../history/history.js';

type Tri = boolean | undefined;

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === undefined || b === undefined) return undefined;
  return true;
}

/** Splits on commas outside parentheses: "a in (x,y),b" → ["a in (x,y)", "b"]. */
function requirements(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  out.push(selector.slice(start));
  return out.map((r) => r.trim()).filter((r) => r.length > 0);
}

function labelRequirement(req: string, labels: Readonly<Record<string, string>>): Tri {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(req);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = list.split(',').map((v) => v.trim());
    const has = key in labels && values.includes(labels[key] ?? '');
    return op === 'in' ? has : !has;
  }
  const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(req);
  if (cmp) {
    const [, key = '', op, value = ''] = cmp;
    return op === '!=' ? labels[key] !== value : labels[key] === value;
  }
  if (/^!\S+$/.test(req)) return !(req.slice(1) in labels);
  if (/^\S+$/.test(req)) return req in labels;
  return undefined;
}

export function matchesLabels(selector: string | undefined, o: ObjectSummary): Tri {
  const reqs = requirements(selector ?? '');
  if (reqs.length === 0) return true;
  // An absent label map may mean "not recorded": say nothing rather than guess.
  if (!o.labels) return undefined;
  const labels = o.labels;
  return reqs.reduce<Tri>((acc, r) => and(acc, labelRequirement(r, labels)), true);
}

/** The fields the summaries carry, as field selectors name them. */
function field(o: ObjectSummary, path: string): string | undefined {
  switch (path) {
    case 'metadata.name':
      return o.name;
    case 'metadata.namespace':
      return o.namespace ?? '';
    case 'spec.nodeName':
      return o.nodeName ?? '';
    case 'status.phase':
      return o.phase;
    case 'spec.unschedulable':
      return o.unschedulable === undefined ? undefined : String(o.unschedulable);
    default:
      return undefined;
  }
}

export function matchesFields(selector: string | undefined, o: ObjectSummary): Tri {
  let acc: Tri = true;
  for (const req of requirements(selector ?? '')) {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(req);
    const value = m ? field(o, m[1] ?? '') : undefined;
    if (!m || value === undefined) acc = and(acc, undefined);
    else acc = and(acc, m[2] === '!=' ? value !== m[3] : value === m[3]);
  }
  return acc;
}

export function inScope(scope: WatchScope, o: ObjectSummary): Tri {
  return and(matchesLabels(scope.labelSelector, o), matchesFields(scope.fieldSelector, o));
}

/** Whether the scope filters beyond resource and namespace. */
export function selective(scope: WatchScope): boolean {
  return requirements(scope.labelSelector ?? '').length > 0 || requirements(scope.fieldSelector ?? '').length > 0;
}
