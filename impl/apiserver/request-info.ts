// Turns a request path and method into upstream's RequestInfo: is it a resource request,
// which verb, group, version, namespace, resource, name and subresource. Authorization,
// audit and routing all read this one description.

import type { ApiRequest } from '../env/http.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequestInfo {
  readonly isResourceRequest: true;
  readonly verb: Verb;
  readonly group: string;
  readonly version: string;
  readonly namespace?: string;
  readonly resource: string;
  readonly name?: string;
  readonly subresource?: string;
  readonly path: string;
}

export interface NonResourceRequestInfo {
  readonly isResourceRequest: false;
  /** Lower-case HTTP method, as upstream uses for non-resource verbs. */
  readonly verb: string;
  readonly path: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

function isTrue(v: string | undefined): boolean {
  return v === 'true' || v === '1';
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function requestInfo(req: ApiRequest): RequestInfo {
  const path = req.path;
  const nonResource: NonResourceRequestInfo = { isResourceRequest: false, verb: req.method.toLowerCase(), path };
  const parts = path.split('/').filter((p) => p.length > 0);
  let i = 0;
  let group: string;
  if (parts[0] === 'api') {
    group = '';
    i = 1;
  } else if (parts[0] === 'apis') {
    if (parts.length < 3) return nonResource;
    group = parts[1] ?? '';
    i = 2;
  } else {
    return nonResource;
  }
  const version = parts[i];
  if (version === undefined || parts.length <= i + 1) return nonResource;
  const decoded = parts.slice(i + 1).map(decodeSegment);
  // A malformed percent-escape names nothing served (and must not throw out of the server).
  if (decoded.some((s) => s === undefined)) return nonResource;
  let rest = decoded as string[];
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // /namespaces/{ns}/{resource}... — but /namespaces/{name} and /namespaces/{name}/status are the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
    namespace = rest[1];
    rest = rest.slice(2);
    // Namespaces are not namespaced: /namespaces/{ns}/namespaces is no route (upstream 404).
    if (rest[0] === 'namespaces') return nonResource;
  }
  const [resource, name, subresource] = rest;
  if (resource === undefined || rest.length > 3) return nonResource;
  if (resource === 'namespaces' && name !== undefined) namespace = name;
  const method = req.method.toUpperCase();
  // /watch/... paths serve GET only; anything else there is no route (upstream 405).
  if (watchPath && method !== 'GET' && method !== 'HEAD') return nonResource;
  let verb: Verb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watchPath || isTrue(req.query.watch)) verb = 'watch';
      else verb = name === undefined ? 'list' : 'get';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      return nonResource;
  }
  return {
    isResourceRequest: true,
    verb,
    group,
    version,
    ...(namespace !== undefined ? { namespace } : {}),
    resource,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    path,
  };
}
