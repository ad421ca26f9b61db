// Runs the reference API server as a live process: opens the store, creates (once) the CA,
// serving certificate and token file in its data directory, serves HTTPS on loopback (or
// plain http without auth, on request), appends audit records as JSON lines, and writes the
// admin kubeconfig.

import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateServingCerts, type ServingCerts } from '../../env/certs.js';
import { serveHttp, type HttpServing } from '../../env/http-server.js';
import type { LiveEnv } from '../../env/live.js';
import type { AuditRecord, AuditSink } from '../../apiserver/audit.js';
import { formatTokenFile, parseTokenFile, type TokenEntry } from '../../apiserver/authn.js';
import { createReferenceApiServer, type ReferenceApiServer } from '../../apiserver/reference-apiserver.js';
import type { PodLogSource } from '../../apiserver/server.js';
import type { Store } from '../../store/store.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { openStore } from './open-store.js';
import { HttpPodLogSource } from './http-pod-log-source.js';
import type { Node } from 'kubernetes-types/core/v1.js';

export interface ApiServerProcessOptions {
  readonly env: LiveEnv;
  readonly port: number;
  /** memory | file:DIR | etcd:URL */
  readonly store: string;
  /** Certificates, tokens, audit log and kubeconfigs live here. */
  readonly dataDir: string;
  /** Where to write the admin kubeconfig (default DATA_DIR/admin.kubeconfig). */
  readonly kubeconfig?: string;
  /** Plain http without authentication. */
  readonly insecureHttp?: boolean;
  /** Extra identities to mint tokens for (e.g. system:node:node-1). */
  readonly identities?: readonly { name: string; groups: string[] }[];
  readonly defaultTolerationSeconds?: number;
  readonly podLogs?: PodLogSource;
}

export interface ApiServerProcess {
  readonly url: string;
  readonly kubeconfigPath: string;
  readonly caCert?: string;
  readonly tokens: readonly TokenEntry[];
  readonly api: ReferenceApiServer;
  readonly store: Store;
  /** A kubeconfig for one identity from the token file. */
  kubeconfigFor(user: string): string;
  close(): Promise<void>;
}

class FileAuditSink implements AuditSink {
  constructor(private readonly path: string) {}

  record(r: AuditRecord): void {
    appendFileSync(this.path, `${JSON.stringify(r)}\n`);
  }
}

function token(): string {
  return randomBytes(24).toString('base64url');
}

const COMPONENTS = [
  { name: 'admin', groups: ['system:masters'] },
  { name: 'system:kube-scheduler', groups: [] },
  { name: 'system:kube-controller-manager', groups: [] },
  { name: 'nobody', groups: [] },
];

/** The token file, created on first start; identities missing from it are added. */
function loadTokens(path: string, identities: readonly { name: string; groups: string[] }[]): TokenEntry[] {
  const existing = existsSync(path) ? parseTokenFile(readFileSync(path, 'utf8')) : [];
  const names = new Set(existing.map((e) => e.user.name));
  const added = identities
    .filter((i) => !names.has(i.name))
    .map((i) => ({ token: token(), user: { name: i.name, uid: '', groups: [...i.groups, 'system:authenticated'] } }));
  const all = [...existing, ...added];
  if (added.length > 0 || !existsSync(path)) writeFileSync(path, formatTokenFile(all), { mode: 0o600 });
  return all;
}

async function loadCerts(dir: string): Promise<ServingCerts> {
  const paths = { caCert: join(dir, 'ca.crt'), cert: join(dir, 'apiserver.crt'), key: join(dir, 'apiserver.key') };
  if (existsSync(paths.caCert) && existsSync(paths.cert) && existsSync(paths.key)) {
    return { caCert: readFileSync(paths.caCert, 'utf8'), cert: readFileSync(paths.cert, 'utf8'), key: readFileSync(paths.key, 'utf8') };
  }
  const certs = await generateServingCerts();
  writeFileSync(paths.caCert, certs.caCert);
  writeFileSync(paths.cert, certs.cert);
  writeFileSync(paths.key, certs.key, { mode: 0o600 });
  return certs;
}

export async function startApiServerProcess(options: ApiServerProcessOptions): Promise<ApiServerProcess> {
  mkdirSync(options.dataDir, { recursive: true });
  const env = options.env;
  const store = await openStore(options.store, env);
  const insecure = options.insecureHttp ?? false;
  const tokens = insecure ? [] : loadTokens(join(options.dataDir, 'tokens.csv'), [...COMPONENTS, ...(options.identities ?? [])]);
  const certs = insecure ? undefined : await loadCerts(options.dataDir);
  // kubectl logs: the API server asks the pod's kubelet, found through the Node's status.
  // The log source reads Nodes through this API server, which exists only once created below.
  const self: { api?: ReferenceApiServer } = {};
  const admin = tokens.find((t) => t.user.name === 'admin');
  const podLogs =
    options.podLogs ??
    new HttpPodLogSource(async (name) => {
      if (!self.api) return undefined;
      const res = await self.api.handle({
        method: 'GET',
        path: `/api/v1/nodes/${encodeURIComponent(name)}`,
        query: {},
        headers: { accept: 'application/json', ...(admin ? { authorization: `Bearer ${admin.token}` } : {}) },
      });
      return res.status === 200 && res.body ? (JSON.parse(res.body) as Node) : undefined;
    });
  const api = await createReferenceApiServer({
    store,
    clock: env.clock,
    timers: env.timers,
    random: env.random,
    auth: insecure ? { mode: 'insecure' } : { mode: 'token', tokens },
    auditSinks: [new FileAuditSink(join(options.dataDir, 'audit.jsonl'))],
    ...(options.defaultTolerationSeconds !== undefined ? { defaultTolerationSeconds: options.defaultTolerationSeconds } : {}),
    podLogs,
  });
  self.api = api;
  const serving: HttpServing = await serveHttp((req) => api.handle(req), {
    port: options.port,
    maxBodyBytes: api.server.maxBodyBytes,
    ...(certs ? { tls: { cert: certs.cert, key: certs.key } } : {}),
  });
  const kubeconfigFor = (user: string): string => {
    const entry = tokens.find((t) => t.user.name === user);
    if (!insecure && !entry) throw new Error(`no token for ${user}`);
    return kubeconfigYaml({
      server: serving.url,
      user,
      ...(certs ? { caCert: certs.caCert } : {}),
      ...(entry ? { token: entry.token } : {}),
    });
  };
  const kubeconfigPath = options.kubeconfig ?? join(options.dataDir, 'admin.kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfigFor('admin'), { mode: 0o600 });
  // One kubeconfig per component identity, for `kubeprop up` and the single-component commands.
  const componentDir = join(options.dataDir, 'kubeconfigs');
  mkdirSync(componentDir, { recursive: true });
  for (const t of tokens) {
    writeFileSync(join(componentDir, `${t.user.name.replace(/[^a-zA-Z0-9.-]/g, '_')}.kubeconfig`), kubeconfigFor(t.user.name), { mode: 0o600 });
  }
  return {
    url: serving.url,
    kubeconfigPath,
    ...(certs ? { caCert: certs.caCert } : {}),
    tokens,
    api,
    store,
    kubeconfigFor,
    close: async () => {
      await serving.close();
      await store.close();
    },
  };
}
