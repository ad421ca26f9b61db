// Filter NodeAffinity: the pod's nodeSelector (every label must match) and its
// requiredDuringSchedulingIgnoredDuringExecution node affinity (terms ORed; within a term
// matchExpressions on labels and matchFields on metadata.name ANDed) must both hold.
// Operators as upstream's nodeaffinity package: In, NotIn, Exists, DoesNotExist, Gt, Lt on
// labels; In and NotIn with one value on metadata.name. A term with nothing in it, or with
// an expression upstream would reject, matches no node.

import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import { newRequirement, requirementMatches, type Labels, type SelectionOperator } from '../../api/labels.js';
import type { FilterPlugin } from '../framework.js';

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

const LABEL_OPERATORS: Readonly<Record<string, SelectionOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
  Gt: 'gt',
  Lt: 'lt',
};

function labelExpressionMatches(e: NodeSelectorRequirement, labels: Labels): boolean {
  const op = LABEL_OPERATORS[e.operator];
  if (!op) return false;
  try {
    return requirementMatches(newRequirement(e.key, op, e.values ?? []), labels);
  } catch {
    // An expression NewRequirement rejects makes the whole term fail, as upstream.
    return false;
  }
}

function fieldExpressionMatches(e: NodeSelectorRequirement, node: Node): boolean {
  if (e.key !== 'metadata.name' || e.values?.length !== 1) return false;
  const name = node.metadata?.name ?? '';
  if (e.operator === 'In') return name === e.values[0];
  if (e.operator === 'NotIn') return name !== e.values[0];
  return false;
}

export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  return expressions.every((e) => labelExpressionMatches(e, labels)) && fields.every((e) => fieldExpressionMatches(e, node));
}

export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  filter(pod, node) {
    const spec = pod.pod.spec;
    const labels = node.labels;
    for (const [key, value] of Object.entries(spec?.nodeSelector ?? {})) {
      if (labels[key] !== value) return [ERR_REASON_POD];
    }
    const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required && !required.nodeSelectorTerms.some((t) => nodeSelectorTermMatches(t, node.node))) return [ERR_REASON_POD];
    return [];
  },
};
