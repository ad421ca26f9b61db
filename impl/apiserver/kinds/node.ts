// Nodes: registered by kubelets; kubectl's STATUS (Ready, NotReady, Unknown when there is no Ready condition,
// SchedulingDisabled), ROLES and VERSION columns and the wide ones.

import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject, ResourceType } from '../resource-type.js';
import { ALL_VERBS } from '../resource-type.js';
import { validateMetadata } from './validate-common.js';

const asNode = (o: KubeObject) => o as unknown as Node;

export function nodeStatusText(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  // Upstream's printNode: "Not"+type for any status but True (Unknown too); "Unknown" only without the condition.
  const parts = [!ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function roles(node: Node): string {
  const r = Object.keys(node.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length));
  return r.length ? r.sort().join(',') : '<none>';
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

export const nodeType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  categories: [],
  verbs: ALL_VERBS,
  subresources: ['status'],
  strategy: {
    defaults() {},
    validate: (obj) => validateMetadata(obj, { nameRule: 'subdomain', namespaced: false }),
    selectableFields: ['spec.unschedulable'],
    fieldValue: (obj, field) => (field === 'spec.unschedulable' ? String(asNode(obj).spec?.unschedulable ?? false) : undefined),
    // A node's spec (taints, unschedulable) changes are not generations.
    specChanged: () => false,
    columns: [
      { name: 'Status', type: 'string', description: 'The status of the node', priority: 0, cell: (o) => nodeStatusText(asNode(o)) },
      { name: 'Roles', type: 'string', description: 'The roles of the node', priority: 0, cell: (o) => roles(asNode(o)) },
      { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.', priority: 0, afterAge: true, cell: (o) => asNode(o).status?.nodeInfo?.kubeletVersion ?? '' },
      { name: 'Internal-IP', type: 'string', description: 'List of internal IPs.', priority: 1, afterAge: true, cell: (o) => address(asNode(o), 'InternalIP') },
      { name: 'External-IP', type: 'string', description: 'List of external IPs.', priority: 1, afterAge: true, cell: (o) => address(asNode(o), 'ExternalIP') },
      { name: 'OS-Image', type: 'string', description: 'OS Image reported by the node.', priority: 1, afterAge: true, cell: (o) => asNode(o).status?.nodeInfo?.osImage ?? '<unknown>' },
      { name: 'Kernel-Version', type: 'string', description: 'Kernel Version reported by the node.', priority: 1, afterAge: true, cell: (o) => asNode(o).status?.nodeInfo?.kernelVersion ?? '<unknown>' },
      { name: 'Container-Runtime', type: 'string', description: 'Container Runtime Version reported by the node.', priority: 1, afterAge: true, cell: (o) => asNode(o).status?.nodeInfo?.containerRuntimeVersion ?? '<unknown>' },
    ],
  },
};
