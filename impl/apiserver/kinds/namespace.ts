// Namespaces: created Active with the "kubernetes" finalizer; deleting one marks it
// Terminating until the namespace controller has removed its content and finalized it.

import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject, ResourceType } from '../resource-type.js';
import { validateMetadata } from './validate-common.js';

const asNamespace = (o: KubeObject) => o as unknown as Namespace;

export const namespaceType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  categories: [],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status', 'finalize'],
  strategy: {
    defaults(obj) {
      const ns = asNamespace(obj);
      ns.spec ??= {};
      ns.spec.finalizers ??= ['kubernetes'];
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name ?? '' };
    },
    prepareForCreate(obj) {
      asNamespace(obj).status = { phase: 'Active' };
    },
    validate: (obj) => validateMetadata(obj, { nameRule: 'label', namespaced: false }),
    selectableFields: ['status.phase'],
    fieldValue: (obj, field) => (field === 'status.phase' ? (asNamespace(obj).status?.phase ?? '') : undefined),
    columns: [{ name: 'Status', type: 'string', description: 'The status of the namespace', priority: 0, cell: (o) => asNamespace(o).status?.phase ?? '' }],
  },
};
