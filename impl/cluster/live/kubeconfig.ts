// Kubeconfig files the live control plane writes: one for the admin (what the user gives
// kubectl) and one per component identity, each with the cluster CA and a bearer token.

import { stringify } from 'yaml';

export interface KubeconfigSpec {
  readonly server: string;
  /** PEM CA certificate; absent for plain http. */
  readonly caCert?: string;
  /** Bearer token; absent for plain http. */
  readonly token?: string;
  readonly user: string;
  readonly contextName?: string;
}

export function kubeconfigYaml(spec: KubeconfigSpec): string {
  const context = spec.contextName ?? 'kubeprop';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kubeprop',
        cluster: {
          server: spec.server,
          ...(spec.caCert ? { 'certificate-authority-data': Buffer.from(spec.caCert).toString('base64') } : {}),
        },
      },
    ],
    users: [{ name: spec.user, user: spec.token ? { token: spec.token } : {} }],
    contexts: [{ name: context, context: { cluster: 'kubeprop', user: spec.user, namespace: 'default' } }],
    'current-context': context,
    preferences: {},
  });
}
