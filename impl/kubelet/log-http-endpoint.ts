// Live mode's kubelet endpoint: an HTTP server on loopback that answers upstream's
// GET /containerLogs/{namespace}/{pod}/{container}?follow&tailLines&previous by passing the
// request to the kubelet's log server at kubelet/<node> on the same process's Env network.
// Its port goes into the Node's status (daemonEndpoints.kubeletEndpoint.Port), where the API
// server's log source finds it. Loopback only and unauthenticated: nothing else listens here.

import type { Env } from '../env/env.js';
import type { ApiResponse } from '../env/http.js';
import { serveHttp, type HttpServing } from '../env/http-server.js';
import { isStreamReply, type RemoteStream } from '../env/network.js';
import { kubeletAddress, parseContainerLogsPath, type ContainerLogReply } from './log-protocol.js';

const TIMEOUT_MS = 30_000;

function text(status: number, body: string): ApiResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

function isRemoteStream(value: unknown): value is RemoteStream<string> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value && typeof (value as { close?: unknown }).close === 'function' && !isStreamReply(value);
}

/** Serves node `node`'s logs over HTTP on 127.0.0.1:`port` (0: any free port); `env` must be in the kubelet's world. */
export function serveKubeletHttp(env: Env, node: string, options: { port: number; host?: string }): Promise<HttpServing> {
  return serveHttp(
    async (req) => {
      const request = req.method === 'GET' ? parseContainerLogsPath(req.path, req.query) : undefined;
      if (!request) return text(404, '404 page not found\n');
      let reply: unknown;
      try {
        reply = await env.network.call(kubeletAddress(node), request, { timeoutMs: TIMEOUT_MS });
      } catch (e) {
        return text(503, `the kubelet of node ${node} is not serving logs: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (isRemoteStream(reply)) {
        const stream = reply;
        return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, stream: { [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](), close: () => stream.close() } };
      }
      const answer = reply as ContainerLogReply;
      return answer.ok ? text(200, answer.text) : text(answer.code, answer.message);
    },
    { port: options.port, host: options.host ?? '127.0.0.1', maxBodyBytes: 64 * 1024 },
  );
}
