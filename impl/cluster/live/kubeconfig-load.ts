// Reads a kubeconfig (the file kubectl uses) into what our HTTPS transport needs: server,
// CA certificate and bearer token of the current (or named) context.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { HttpClientTransport } from '../../env/http-client.js';

export interface ClusterAccess {
  readonly server: string;
  readonly caCert?: string;
  readonly token?: string;
  readonly insecureSkipTlsVerify?: boolean;
  readonly namespace?: string;
}

interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

export function loadKubeconfig(path: string, contextName?: string): ClusterAccess {
  const doc = parse(readFileSync(path, 'utf8')) as {
    clusters?: Named<Record<string, unknown>>[];
    users?: Named<Record<string, unknown>>[];
    contexts?: Named<Record<string, unknown>>[];
    'current-context'?: string;
  };
  const ctxName = contextName ?? doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`${path}: no context "${ctxName ?? ''}"`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string') throw new Error(`${path}: context "${ctxName}" names no cluster with a server`);
  const user = doc.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const base = dirname(resolve(path));
  let caCert: string | undefined;
  if (typeof cluster['certificate-authority-data'] === 'string') caCert = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  else if (typeof cluster['certificate-authority'] === 'string') caCert = readFileSync(resolve(base, cluster['certificate-authority']), 'utf8');
  let token: string | undefined;
  if (typeof user.token === 'string') token = user.token;
  else if (typeof user.tokenFile === 'string') token = readFileSync(resolve(base, user.tokenFile), 'utf8').trim();
  return {
    server: cluster.server,
    ...(caCert ? { caCert } : {}),
    ...(token ? { token } : {}),
    ...(cluster['insecure-skip-tls-verify'] === true ? { insecureSkipTlsVerify: true } : {}),
    ...(typeof ctx.namespace === 'string' ? { namespace: ctx.namespace } : {}),
  };
}

export function transportFor(access: ClusterAccess): HttpClientTransport {
  return new HttpClientTransport({
    server: access.server,
    ...(access.caCert ? { caCert: access.caCert } : {}),
    ...(access.token ? { token: access.token } : {}),
    ...(access.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
  });
}
