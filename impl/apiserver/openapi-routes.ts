// Serves /openapi/v3 (the index) and /openapi/v3/<group-version> documents from the
// registry, so `kubectl apply -f` leaves validation to the server and `kubectl explain`
// works. /openapi/v2 is not served (kubectl treats its 404 as "no schema").

import type { ApiResponse } from '../env/http.js';
import { openapiV3GroupVersion, openapiV3Root, type ServedResource } from '../api/schema/index.js';
import type { Registry } from './registry.js';
import { ApiError } from './status.js';

function served(registry: Registry): ServedResource[] {
  return registry.types.map((t) => ({
    group: t.group,
    version: t.version,
    kind: t.kind,
    plural: t.plural,
    namespaced: t.namespaced,
    subresources: [...t.subresources],
    verbs: [...t.verbs],
  }));
}

/** The response for an /openapi path, or undefined when the path is not one. */
export function openapiDocument(registry: Registry, path: string, _query: Readonly<Record<string, string>>): ApiResponse | undefined {
  if (path === '/openapi/v3') {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(openapiV3Root(served(registry))) };
  }
  const m = /^\/openapi\/v3\/(api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (m) {
    const gv = m[2] !== undefined ? { group: '', version: m[2] } : { group: m[3] ?? '', version: m[4] ?? '' };
    if (!registry.hasGroupVersion(gv.group, gv.version)) throw ApiError.pathNotFound(path);
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'public, immutable' },
      body: JSON.stringify(openapiV3GroupVersion(gv, served(registry))),
    };
  }
  return undefined;
}
