// The API server's way to a kubelet's logs in live mode: an HTTP GET of upstream's
// /containerLogs path on the node's InternalIP and kubelet port, both read from the Node's
// status. Only loopback addresses are dialled (the project's network rule). The kubelet's
// refusals come back as the API errors kubectl prints.

import http from 'node:http';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { ResponseStream } from '../../env/http.js';
import type { PodLogSource } from '../../apiserver/server.js';
import { ApiError } from '../../apiserver/status.js';
import { containerLogsPath, type ContainerLogRequest } from '../../kubelet/log-protocol.js';
import { statusReasonFor } from '../../kubelet/log-source-sim.js';

export interface KubeletEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Where a Node's kubelet serves: its InternalIP (loopback only) and daemonEndpoints port. */
export function kubeletEndpointOf(node: Node): KubeletEndpoint | undefined {
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  const host = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (!port || !host) return undefined;
  if (!(host.startsWith('127.') || host === '::1')) return undefined;
  return { host, port };
}

export class HttpPodLogSource implements PodLogSource {
  /** `getNode` reads a Node (from the API server's own store, or a client). */
  constructor(private readonly getNode: (name: string) => Promise<Node | undefined>) {}

  async logs(node: string, namespace: string, pod: string, container: string, options: { follow: boolean; tailLines?: number; previous: boolean }): Promise<string | ResponseStream> {
    const found = await this.getNode(node);
    const endpoint = found ? kubeletEndpointOf(found) : undefined;
    if (!endpoint) throw ApiError.internal(`node "${node}" has no loopback kubelet endpoint in its status`);
    const request: ContainerLogRequest = { namespace, pod, container, follow: options.follow, previous: options.previous, ...(options.tailLines !== undefined ? { tailLines: options.tailLines } : {}) };
    const { path, query } = containerLogsPath(request);
    const qs = new URLSearchParams(query).toString();
    const url = `http://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}${path}${qs ? `?${qs}` : ''}`;
    return new Promise((resolve, reject) => {
      const req = http.get(url, (res) => {
        res.setEncoding('utf8');
        const status = res.statusCode ?? 0;
        if (status === 200 && options.follow) {
          resolve({
            [Symbol.asyncIterator]: () => res[Symbol.asyncIterator]() as AsyncIterator<string>,
            close: () => {
              res.destroy();
              req.destroy();
            },
          });
          return;
        }
        let body = '';
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => (status === 200 ? resolve(body) : reject(new ApiError(status, statusReasonFor(status), body.trim()))));
        res.on('error', reject);
      });
      req.on('error', (e) => reject(ApiError.internal(`Get "${url}": ${e.message}`)));
    });
  }
}
