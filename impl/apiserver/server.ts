// The reference API server's request pipeline, independent of transport: authenticate,
// authorize, route (discovery, OpenAPI, resources and their subresources), answer errors
// as Status, and write one audit record per request with the store revisions it wrote.
// Only this module (and what it constructs) holds the store.

import type { Clock } from '../env/clock.js';
import type { Random } from '../env/random.js';
import type { Timers } from '../env/timers.js';
import type { Store } from '../store/store.js';
import type { AuditSink } from './audit.js';
import type { ApiServerMutants } from './mutants.js';
import type { Authenticator, UserInfo } from './authn.js';
import type { Authorizer } from './authz.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.js';
import type { ApiRequest, ApiResponse, ResponseStream } from '../env/http.js';
import { ObjectStore } from './object-store.js';
import { openapiDocument } from './openapi-routes.js';
import type { Registry } from './registry.js';
import { requestInfo, type ResourceRequestInfo } from './request-info.js';
import type { RequestContext, ServerServices } from './request-context.js';
import { uuid } from './request-context.js';
import { create, deleteCollection, deleteOne, getObject, list, patch, update, withTypeMeta, type Reply } from './rest.js';
import { generateObjectName } from './names.js';
import { serveSubresource } from './subresources.js';
import { ApiError } from './status.js';
import { tableColumns, toTable, wantsTable, type IncludeObject } from './table.js';
import { watch } from './watch.js';
import { apiVersionOf, type KubeObject } from './resource-type.js';

export interface ApiServerOptions {
  readonly store: Store;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  readonly audit: AuditSink;
  /** Largest accepted request body (upstream: 3 MiB). */
  readonly maxBodyBytes?: number;
  readonly bookmarkIntervalMs?: number;
  readonly watchTimeoutMs?: number;
  /** Serves pods/log by asking the pod's kubelet. */
  readonly podLogs?: PodLogSource;
  /** Called after every successful write of an RBAC object, so the authorizer can refresh. */
  readonly onRbacChange?: () => void;
  /** Bug switches for mutation testing; all off in the reference. */
  readonly mutants?: ApiServerMutants;
}

export interface PodLogSource {
  logs(node: string, namespace: string, pod: string, container: string, options: { follow: boolean; tailLines?: number; previous: boolean }): Promise<string | ResponseStream>;
}

const JSON_TYPE = 'application/json';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

function json(status: number, body: unknown, extraHeaders: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...extraHeaders }, body: JSON.stringify(body) };
}

export class ApiServer {
  private readonly services: ServerServices;
  readonly maxBodyBytes: number;

  constructor(private readonly options: ApiServerOptions) {
    const namespaces = options.registry.lookup('', 'v1', 'namespaces');
    if (!namespaces) throw new Error('the registry must serve namespaces');
    this.services = {
      objects: new ObjectStore(options.store),
      clock: options.clock,
      timers: options.timers,
      random: options.random,
      namespaces,
      generateName: generateObjectName,
      mutants: options.mutants ?? {},
    };
    this.maxBodyBytes = options.maxBodyBytes ?? 3 * 1024 * 1024;
  }

  get registry(): Registry {
    return this.options.registry;
  }

  /** Handles one request; never throws (errors become Status responses). */
  async handle(req: ApiRequest): Promise<ApiResponse> {
    const auditID = uuid(this.options.random);
    const info = requestInfo(req);
    const written: number[] = [];
    let user: UserInfo | undefined;
    let response: ApiResponse;
    try {
      user = this.options.authenticator.authenticate(req.path, req.headers.authorization);
      const decision = await this.options.authorizer.authorize({
        user,
        verb: info.verb,
        isResourceRequest: info.isResourceRequest,
        group: info.isResourceRequest ? info.group : '',
        resource: info.isResourceRequest ? info.resource : '',
        path: req.path,
        ...(info.isResourceRequest && info.subresource ? { subresource: info.subresource } : {}),
        ...(info.isResourceRequest && info.namespace !== undefined ? { namespace: info.namespace } : {}),
        ...(info.isResourceRequest && info.name !== undefined ? { name: info.name } : {}),
        ...(req.query.fieldSelector !== undefined ? { fieldSelector: req.query.fieldSelector } : {}),
      });
      if (!decision.allowed) {
        if (info.isResourceRequest) {
          throw ApiError.forbidden(user.name, info.verb, { group: info.group, resource: info.resource }, info.namespace, info.name, info.subresource);
        }
        throw new ApiError(403, 'Forbidden', `forbidden: User "${user.name}" cannot ${info.verb} path "${req.path}"`);
      }
      if (req.body && req.body.length > this.maxBodyBytes) throw ApiError.tooLarge(this.maxBodyBytes);
      response = info.isResourceRequest
        ? await this.resource(req, info, user, written)
        : await this.nonResource(req);
    } catch (e) {
      response = this.errorResponse(e);
    }
    this.options.audit.record({
      auditID,
      time: this.options.clock.now(),
      user: user?.name ?? '',
      groups: user?.groups ?? [],
      verb: info.verb,
      path: req.path,
      ...(info.isResourceRequest
        ? {
            group: info.group,
            resource: info.resource,
            ...(info.subresource ? { subresource: info.subresource } : {}),
            ...(info.namespace !== undefined ? { namespace: info.namespace } : {}),
            ...(info.name !== undefined ? { name: info.name } : {}),
          }
        : {}),
      code: response.status,
      revisions: written,
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
    });
    if (written.length > 0 && info.isResourceRequest && info.group === RBAC_GROUP) this.options.onRbacChange?.();
    return { ...response, headers: { ...response.headers, 'audit-id': auditID } };
  }

  private errorResponse(e: unknown): ApiResponse {
    if (e instanceof ApiError) {
      const headers: Record<string, string> = e.code === 401 ? { 'www-authenticate': 'Bearer realm="kubeprop"' } : {};
      return json(e.code, e.toStatus(), headers);
    }
    // An unexpected failure is still answered as a Status; the message says what broke.
    const message = e instanceof Error ? e.message : String(e);
    return json(500, ApiError.internal(message).toStatus());
  }

  private async nonResource(req: ApiRequest): Promise<ApiResponse> {
    const method = req.method.toUpperCase();
    const path = req.path.replace(/\/+$/, '') || '/';
    if (method !== 'GET' && method !== 'HEAD') throw ApiError.methodNotAllowed();
    switch (path) {
      case '/version':
        return json(200, SERVER_VERSION);
      case '/healthz':
      case '/livez':
      case '/readyz':
        return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };
      case '/api':
        return json(200, apiVersions());
      case '/apis':
        return json(200, apiGroupList(this.registry));
    }
    const doc = openapiDocument(this.registry, path, req.query);
    if (doc !== undefined) return doc;
    const parts = path.split('/').filter((p) => p);
    if (parts[0] === 'api' && parts.length === 2) {
      if (parts[1] !== 'v1') throw ApiError.pathNotFound(path);
      return json(200, apiResourceList(this.registry, '', 'v1'));
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = apiGroup(this.registry, parts[1]!);
      if (!g) throw ApiError.pathNotFound(path);
      return json(200, g);
    }
    if (parts[0] === 'apis' && parts.length === 3 && this.registry.hasGroupVersion(parts[1]!, parts[2]!)) {
      return json(200, apiResourceList(this.registry, parts[1]!, parts[2]!));
    }
    throw ApiError.pathNotFound(path);
  }

  private async resource(req: ApiRequest, info: ResourceRequestInfo, user: UserInfo, written: number[]): Promise<ApiResponse> {
    const type = this.registry.lookup(info.group, info.version, info.resource);
    if (!type) throw ApiError.pathNotFound(req.path);
    if (type.namespaced === false && info.namespace !== undefined && info.resource !== 'namespaces') throw ApiError.pathNotFound(req.path);
    const ctx: RequestContext = { req, info, user, type, services: this.services, written, warnings: [] };
    const table = wantsTable(req.headers.accept);
    const reply = await this.dispatch(ctx, table);
    if ('stream' in reply) {
      return { status: 200, headers: { 'content-type': JSON_TYPE, 'transfer-encoding': 'chunked' }, stream: reply.stream };
    }
    if ('raw' in reply) return reply.raw;
    const headers: Record<string, string> = {};
    if (ctx.warnings.length > 0) headers.warning = ctx.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ');
    return json(reply.status, reply.body, headers);
  }

  private async dispatch(ctx: RequestContext, table: boolean): Promise<Reply | { stream: ResponseStream } | { raw: ApiResponse }> {
    const { info, type } = ctx;
    if (info.subresource) return serveSubresource(ctx, info.subresource, this.options.podLogs);
    if (type.namespaced && info.namespace === undefined && !['list', 'watch'].includes(info.verb) && info.resource !== 'namespaces') {
      throw ApiError.pathNotFound(ctx.req.path);
    }
    const include: IncludeObject = ctx.req.query.includeObject === 'Object' ? 'Object' : ctx.req.query.includeObject === 'None' ? 'None' : 'Metadata';
    switch (info.verb) {
      case 'get': {
        const found = await getObject(ctx, info.name ?? '');
        if (table) {
          return { status: 200, body: toTable([found.object], tableColumns(type.strategy), { now: this.services.clock.now() }, { include, withColumns: true, resourceVersion: found.object.metadata.resourceVersion ?? '' }) };
        }
        return { status: 200, body: withTypeMeta(type, found.object) };
      }
      case 'list': {
        const r = await list(ctx);
        if (table) {
          return {
            status: 200,
            body: toTable(r.items, tableColumns(type.strategy), { now: this.services.clock.now() }, {
              include,
              withColumns: true,
              resourceVersion: r.resourceVersion,
              ...(r.continue ? { continue: r.continue } : {}),
            }),
          };
        }
        return {
          status: 200,
          body: {
            kind: `${type.kind}List`,
            apiVersion: apiVersionOf(type),
            metadata: {
              resourceVersion: r.resourceVersion,
              ...(r.continue ? { continue: r.continue } : {}),
              ...(r.remainingItemCount !== undefined ? { remainingItemCount: r.remainingItemCount } : {}),
            },
            items: r.items.map(stripTypeMeta),
          },
        };
      }
      case 'watch':
        return {
          stream: await watch(ctx, {
            table,
            bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 60_000,
            defaultTimeoutMs: this.options.watchTimeoutMs ?? 30 * 60_000,
          }),
        };
      case 'create':
        // POST names a collection; an item has no POST route (upstream 405), whatever the body says.
        if (info.name !== undefined) throw ApiError.methodNotAllowed();
        return create(ctx);
      case 'update':
        return update(ctx, info.name ?? '');
      case 'patch':
        return patch(ctx, info.name ?? '');
      case 'delete':
        return deleteOne(ctx, info.name ?? '');
      case 'deletecollection':
        return deleteCollection(ctx);
    }
  }
}

/** Items of a list carry no apiVersion/kind, as upstream serialises them. */
function stripTypeMeta(o: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest as KubeObject;
}
