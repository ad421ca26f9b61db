// Assembles the reference API server from its parts: registry, token authentication (or
// none, for plain http), node authorizer + RBAC over the API's own RBAC objects, audit,
// and the bootstrap of a fresh cluster. Transport-free: the live HTTPS adapter and the
// sim network both call `handle`.

import type { Clock } from '../env/clock.js';
import type { ApiRequest, ApiResponse } from '../env/http.js';
import type { Random } from '../env/random.js';
import type { Timers } from '../env/timers.js';
import type { Store } from '../store/store.js';
import { MemoryAuditSink, TeeAuditSink, type AuditSink } from './audit.js';
import { InsecureAuthenticator, TokenAuthenticator, type TokenEntry } from './authn.js';
import {
  AllowAllAuthorizer,
  ChainAuthorizer,
  NodeAuthorizer,
  RbacAuthorizer,
  type Authorizer,
  type BindingObject,
  type RbacPolicy,
  type RoleObject,
} from './authz.js';
import { BOOTSTRAP_USER, bootstrapRequests } from './bootstrap.js';
import { defaultRegistry } from './default-registry.js';
import { ObjectStore } from './object-store.js';
import type { ApiServerMutants } from './mutants.js';
import { ApiServer, type PodLogSource } from './server.js';

export type AuthMode = { readonly mode: 'token'; readonly tokens: readonly TokenEntry[] } | { readonly mode: 'insecure' };

export interface ReferenceApiServerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  readonly auth: AuthMode;
  /** Extra audit sinks (a file in live mode); records are always kept in memory too. */
  readonly auditSinks?: readonly AuditSink[];
  readonly defaultTolerationSeconds?: number;
  readonly podLogs?: PodLogSource;
  readonly maxBodyBytes?: number;
  readonly bookmarkIntervalMs?: number;
  readonly watchTimeoutMs?: number;
  readonly mutants?: ApiServerMutants;
}

export interface ReferenceApiServer {
  readonly server: ApiServer;
  readonly audit: MemoryAuditSink;
  handle(req: ApiRequest): Promise<ApiResponse>;
}

function randomToken(random: Random): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += random.uint32().toString(16).padStart(8, '0');
  return s;
}

export async function createReferenceApiServer(options: ReferenceApiServerOptions): Promise<ReferenceApiServer> {
  const registry = defaultRegistry({ ...(options.defaultTolerationSeconds !== undefined ? { defaultTolerationSeconds: options.defaultTolerationSeconds } : {}) });
  const audit = new MemoryAuditSink();
  const sink = options.auditSinks?.length ? new TeeAuditSink([audit, ...options.auditSinks]) : audit;
  const objects = new ObjectStore(options.store);
  // The bootstrap identity is known only inside this process.
  const bootstrapToken = randomToken(options.random);
  let authorizer: Authorizer;
  let policy: RbacPolicy | undefined;
  let rbacChanged = () => {};
  if (options.auth.mode === 'insecure') {
    authorizer = new AllowAllAuthorizer();
  } else {
    const types = ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].map((plural) => {
      const t = registry.lookup('rbac.authorization.k8s.io', 'v1', plural);
      if (!t) throw new Error(`registry lacks ${plural}`);
      return t;
    });
    const load = async (): Promise<RbacPolicy> => {
      if (policy) return policy;
      const [roles, clusterRoles, roleBindings, clusterRoleBindings] = await Promise.all(
        types.map(async (t) => (await objects.list(t, undefined, {})).objects.map((o) => o.object)),
      );
      policy = {
        roles: roles as unknown as RoleObject[],
        clusterRoles: clusterRoles as unknown as RoleObject[],
        roleBindings: roleBindings as unknown as BindingObject[],
        clusterRoleBindings: clusterRoleBindings as unknown as BindingObject[],
      };
      return policy;
    };
    rbacChanged = () => {
      policy = undefined;
    };
    const pods = registry.lookup('', 'v1', 'pods');
    if (!pods) throw new Error('registry lacks pods');
    const node = new NodeAuthorizer(async (namespace, name) => {
      const p = await objects.get(pods, namespace, name);
      return (p?.object.spec as { nodeName?: string } | undefined)?.nodeName;
    });
    const rbac = new RbacAuthorizer(load);
    // system:masters is allowed everything before the policy exists (the bootstrap writes it).
    authorizer = {
      authorize: async (a) => (a.user.groups.includes('system:masters') ? { allowed: true } : new ChainAuthorizer(node, rbac).authorize(a)),
    };
  }
  const authenticator =
    options.auth.mode === 'insecure'
      ? new InsecureAuthenticator()
      : new TokenAuthenticator([...options.auth.tokens, { token: bootstrapToken, user: BOOTSTRAP_USER }]);
  const server = new ApiServer({
    store: options.store,
    registry,
    clock: options.clock,
    timers: options.timers,
    random: options.random,
    authenticator,
    authorizer,
    audit: sink,
    onRbacChange: () => rbacChanged(),
    ...(options.podLogs ? { podLogs: options.podLogs } : {}),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
    ...(options.watchTimeoutMs !== undefined ? { watchTimeoutMs: options.watchTimeoutMs } : {}),
    ...(options.mutants ? { mutants: options.mutants } : {}),
  });
  for (const req of bootstrapRequests(bootstrapToken)) {
    const res = await server.handle(req);
    if (res.status !== 201 && res.status !== 409) {
      throw new Error(`bootstrap ${req.path} failed: ${res.status} ${res.body ?? ''}`);
    }
  }
  return { server, audit, handle: (req) => server.handle(req) };
}
