// How the API server asks a kubelet for a container's log: in sim (and in-process) a call to
// the network address kubelet/<node>; in live mode the same request arrives over HTTP at
// GET /containerLogs/{namespace}/{pod}/{container} (upstream's kubelet path) and is bridged
// to that address. A followed log comes back as a stream of text chunks.

/** The network address at which node `node`'s kubelet answers log requests. */
export function kubeletAddress(node: string): string {
  return `kubelet/${node}`;
}

export interface ContainerLogRequest {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly follow: boolean;
  readonly tailLines?: number;
  readonly previous: boolean;
}

/** The answer when it is not a stream: the log text, or why there is none (an HTTP status and message). */
export type ContainerLogReply = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly code: number; readonly message: string };

/** The HTTP path of a log request, as upstream's kubelet serves it. */
export function containerLogsPath(r: ContainerLogRequest): { path: string; query: Record<string, string> } {
  const path = `/containerLogs/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.pod)}/${encodeURIComponent(r.container)}`;
  const query: Record<string, string> = {};
  if (r.follow) query.follow = 'true';
  if (r.previous) query.previous = 'true';
  if (r.tailLines !== undefined) query.tailLines = String(r.tailLines);
  return { path, query };
}

/** The request an HTTP path and query stand for, or undefined when the path is not a log path. */
export function parseContainerLogsPath(path: string, query: Readonly<Record<string, string>>): ContainerLogRequest | undefined {
  const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  const tail = query.tailLines !== undefined ? Number(query.tailLines) : undefined;
  return {
    namespace: decodeURIComponent(m[1]!),
    pod: decodeURIComponent(m[2]!),
    container: decodeURIComponent(m[3]!),
    follow: query.follow === 'true',
    previous: query.previous === 'true',
    ...(tail !== undefined && Number.isInteger(tail) && tail >= 0 ? { tailLines: tail } : {}),
  };
}
