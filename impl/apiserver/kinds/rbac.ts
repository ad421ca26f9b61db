// RBAC kinds (rbac.authorization.k8s.io/v1): Roles, ClusterRoles and their bindings, which
// the authorizer reads.

import type { KubeObject, ResourceType } from '../resource-type.js';
import { ALL_VERBS } from '../resource-type.js';
import { validateMetadata } from './validate-common.js';

function rbacType(kind: string, plural: string, namespaced: boolean, binding: boolean): ResourceType {
  return {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
    strategy: {
      defaults() {},
      validate: (obj) => validateMetadata(obj, { nameRule: 'path', namespaced }),
      ...(binding
        ? {
            columns: [
              {
                name: 'Role',
                type: 'string' as const,
                description: 'RoleRef references a Role or ClusterRole.',
                priority: 0 as const,
                cell: (o: KubeObject) => {
                  const ref = o.roleRef as { kind?: string; name?: string } | undefined;
                  return `${ref?.kind ?? ''}/${ref?.name ?? ''}`;
                },
              },
            ],
          }
        : {}),
    },
  };
}

export const roleType = rbacType('Role', 'roles', true, false);
export const clusterRoleType = rbacType('ClusterRole', 'clusterroles', false, false);
export const roleBindingType = rbacType('RoleBinding', 'rolebindings', true, true);
export const clusterRoleBindingType = rbacType('ClusterRoleBinding', 'clusterrolebindings', false, true);
