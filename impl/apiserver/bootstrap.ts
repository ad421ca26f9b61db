// What a fresh cluster holds before anyone asks: the namespaces default, kube-system,
// kube-public and kube-node-lease, the "kubernetes" Service, and the bootstrap RBAC policy
// (cluster-admin for system:masters, discovery for everyone authenticated, roles for the
// scheduler and controller-manager). Written through the API server itself as the
// system:apiserver user, so every store revision is audited like any other.

import type { ApiRequest } from '../env/http.js';
import type { PolicyRule } from './authz.js';

/** The identity bootstrap requests carry; the server's authenticator must know it. */
export const BOOTSTRAP_USER = { name: 'system:apiserver', uid: '', groups: ['system:masters', 'system:authenticated'] } as const;

interface BootstrapObject {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

const namespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function clusterRole(name: string, rules: PolicyRule[]): BootstrapObject {
  return {
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules },
  };
}

function clusterRoleBinding(name: string, role: string, subjects: { kind: 'User' | 'Group'; name: string }[]): BootstrapObject {
  return {
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: subjects.map((s) => ({ apiGroup: 'rbac.authorization.k8s.io', ...s })),
    },
  };
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

export function bootstrapObjects(): BootstrapObject[] {
  return [
    ...namespaces.map((name) => ({ path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } })),
    {
      path: '/api/v1/namespaces/default/services',
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
      },
    },
    clusterRole('cluster-admin', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]),
    clusterRole('system:discovery', [
      { nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*', '/version', '/version/', '/healthz', '/livez', '/readyz'], verbs: ['get'] },
    ]),
    clusterRole('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
    clusterRole('system:kube-scheduler', [
      { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: READ },
      { apiGroups: [''], resources: ['pods/binding'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: ['apps'], resources: ['replicasets', 'deployments'], verbs: READ },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: [...READ, ...WRITE] },
    ]),
    clusterRole('system:kube-controller-manager', [
      { apiGroups: ['', 'apps', 'coordination.k8s.io'], resources: ['*'], verbs: [...READ, ...WRITE, 'deletecollection'] },
      { apiGroups: ['', 'apps'], resources: ['*/status', '*/scale', 'namespaces/finalize'], verbs: ['get', 'update', 'patch'] },
      // The namespace controller empties a terminating namespace of its RBAC objects too.
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['list', 'delete'] },
    ]),
    clusterRoleBinding('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
    clusterRoleBinding('system:discovery', 'system:discovery', [{ kind: 'Group', name: 'system:authenticated' }]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
      { kind: 'Group', name: 'system:authenticated' },
      { kind: 'Group', name: 'system:unauthenticated' },
    ]),
    clusterRoleBinding('system:kube-scheduler', 'system:kube-scheduler', [{ kind: 'User', name: 'system:kube-scheduler' }]),
    clusterRoleBinding('system:kube-controller-manager', 'system:kube-controller-manager', [{ kind: 'User', name: 'system:kube-controller-manager' }]),
  ];
}

/** The create requests that bootstrap a cluster; an AlreadyExists answer means it was done before. */
export function bootstrapRequests(token: string): ApiRequest[] {
  return bootstrapObjects().map((o) => ({
    method: 'POST',
    path: o.path,
    query: {},
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'user-agent': 'kubeprop-apiserver/bootstrap' },
    body: new TextEncoder().encode(JSON.stringify(o.body)),
  }));
}
