// Leases (coordination.k8s.io/v1): node heartbeats in kube-node-lease and leader election.

import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject, ResourceType } from '../resource-type.js';
import { ALL_VERBS } from '../resource-type.js';
import { validateMetadata } from './validate-common.js';

export const leaseType: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: ALL_VERBS,
  subresources: [],
  strategy: {
    defaults() {},
    validate: (obj) => validateMetadata(obj, { nameRule: 'subdomain', namespaced: true }),
    // Renewals are not generations.
    specChanged: () => false,
    columns: [{ name: 'Holder', type: 'string', description: 'The holder of the lease', priority: 0, cell: (o: KubeObject) => (o as unknown as Lease).spec?.holderIdentity ?? '' }],
  },
};
