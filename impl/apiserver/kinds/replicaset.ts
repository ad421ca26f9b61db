// ReplicaSets (apps/v1): defaulting, kubectl's DESIRED / CURRENT / READY columns and
// validation of selector and template.

import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject, ResourceType } from '../resource-type.js';
import { ALL_VERBS } from '../resource-type.js';
import { defaultPodSpec } from './pod-spec-defaults.js';
import { validateReplicaSet } from './validate-workload.js';
import { workloadWideColumns } from './workload-columns.js';

const asReplicaSet = (o: KubeObject) => o as unknown as ReplicaSet;

export const replicaSetType: ResourceType = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  verbs: ALL_VERBS,
  subresources: ['status', 'scale'],
  strategy: {
    defaults(obj) {
      const rs = asReplicaSet(obj);
      rs.spec ??= { selector: {} };
      rs.spec.replicas ??= 1;
      if (rs.spec.template?.spec) defaultPodSpec(rs.spec.template.spec);
    },
    prepareForCreate(obj) {
      delete obj.status;
    },
    validate: (obj, old) => validateReplicaSet(obj, old),
    columns: [
      { name: 'Desired', type: 'integer', description: 'Number of desired pods.', priority: 0, cell: (o) => asReplicaSet(o).spec?.replicas ?? 0 },
      { name: 'Current', type: 'integer', description: 'Replicas is the most recently observed number of replicas.', priority: 0, cell: (o) => asReplicaSet(o).status?.replicas ?? 0 },
      { name: 'Ready', type: 'integer', description: 'The number of ready replicas for this replica set.', priority: 0, cell: (o) => asReplicaSet(o).status?.readyReplicas ?? 0 },
      ...workloadWideColumns,
    ],
  },
};
