// The wide columns that Deployments and ReplicaSets share: containers, images, selector.

import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../resource-type.js';
import type { TableColumn } from '../table.js';

interface WithTemplate {
  spec?: { template?: PodTemplateSpec; selector?: LabelSelector };
}

function selectorText(sel: LabelSelector | undefined): string {
  if (!sel) return '<none>';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

const spec = (o: KubeObject) => (o as unknown as WithTemplate).spec;

export const workloadWideColumns: readonly TableColumn[] = [
  { name: 'Containers', type: 'string', description: 'Names of each container in the template.', priority: 1, afterAge: true, cell: (o) => (spec(o)?.template?.spec?.containers ?? []).map((c) => c.name).join(',') },
  { name: 'Images', type: 'string', description: 'Images referenced by each container in the template.', priority: 1, afterAge: true, cell: (o) => (spec(o)?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(',') },
  { name: 'Selector', type: 'string', description: 'Label selector for pods.', priority: 1, afterAge: true, cell: (o) => selectorText(spec(o)?.selector) },
];
