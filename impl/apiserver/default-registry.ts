// The resources the reference API server serves, in discovery order.

import { deploymentType } from './kinds/deployment.js';
import { eventType } from './kinds/event.js';
import { leaseType } from './kinds/lease.js';
import { namespaceType } from './kinds/namespace.js';
import { nodeType } from './kinds/node.js';
import { podType } from './kinds/pod.js';
import { clusterRoleBindingType, clusterRoleType, roleBindingType, roleType } from './kinds/rbac.js';
import { replicaSetType } from './kinds/replicaset.js';
import { serviceType } from './kinds/service.js';
import { Registry } from './registry.js';

export interface RegistryOptions {
  /** Seconds pods tolerate not-ready/unreachable nodes before eviction (upstream 300). */
  readonly defaultTolerationSeconds?: number;
}

export function defaultRegistry(options: RegistryOptions = {}): Registry {
  return new Registry([
    namespaceType,
    nodeType,
    podType({ defaultTolerationSeconds: options.defaultTolerationSeconds ?? 300 }),
    eventType,
    serviceType,
    deploymentType,
    replicaSetType,
    leaseType,
    clusterRoleType,
    clusterRoleBindingType,
    roleType,
    roleBindingType,
  ]);
}
