// The API server's way to a kubelet's logs over the Env network (sim, or in-process live
// wiring): pods/log becomes a call to kubelet/<node>; a followed log a stream of chunks.
// The kubelet's refusals come back as the API errors kubectl prints.

import type { ResponseStream } from '../env/http.js';
import { isStreamReply, type Network, type RemoteStream } from '../env/network.js';
import type { PodLogSource } from '../apiserver/server.js';
import { ApiError, type StatusReason } from '../apiserver/status.js';
import { kubeletAddress, type ContainerLogReply, type ContainerLogRequest } from './log-protocol.js';

const TIMEOUT_MS = 30_000;

export function statusReasonFor(code: number): StatusReason {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 503:
      return 'ServiceUnavailable';
    default:
      return 'InternalError';
  }
}

function isRemoteStream(value: unknown): value is RemoteStream<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value && typeof (value as { close?: unknown }).close === 'function' && !isStreamReply(value);
}

export class NetworkPodLogSource implements PodLogSource {
  /** `network`: the API server process's own. */
  constructor(private readonly network: Network) {}

  async logs(node: string, namespace: string, pod: string, container: string, options: { follow: boolean; tailLines?: number; previous: boolean }): Promise<string | ResponseStream> {
    const request: ContainerLogRequest = { namespace, pod, container, follow: options.follow, previous: options.previous, ...(options.tailLines !== undefined ? { tailLines: options.tailLines } : {}) };
    let reply: unknown;
    try {
      reply = await this.network.call(kubeletAddress(node), request, { timeoutMs: TIMEOUT_MS });
    } catch (e) {
      throw ApiError.internal(`Get "https://${node}:10250/containerLogs/${namespace}/${pod}/${container}": ${e instanceof Error ? e.message : String(e)}`);
    }
    if (isRemoteStream(reply)) {
      const stream = reply as RemoteStream<string>;
      return { [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](), close: () => stream.close() };
    }
    const answer = reply as ContainerLogReply;
    if (answer.ok) return answer.text;
    throw new ApiError(answer.code, statusReasonFor(answer.code), answer.message);
  }
}
