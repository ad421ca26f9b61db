// How a component reaches the API server: one `send` for every request. In sim mode it is
// a call over the Env network to the API server's address; in live mode HTTPS with a
// bearer token (impl/env/http-client.ts). Streamed responses (watch, log -f) arrive as an
// AsyncIterable of text chunks that the caller may close.

import type { ApiRequest, ApiResponse, ResponseStream } from '../env/http.js';
import type { Network, RemoteStream } from '../env/network.js';
import { isStreamReply, streamReply, type StreamReply } from '../env/network.js';

export interface Transport {
  send(req: ApiRequest): Promise<ApiResponse>;
}

/** The network address the API server serves in sim mode. */
export const APISERVER_ADDRESS = 'apiserver';

/** The head of a streamed reply over the sim network: status and headers, before the chunks. */
interface StreamHead {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** Serves an API handler on the sim network; streamed responses become StreamReplies. */
export function serveOnNetwork(network: Network, handler: (req: ApiRequest) => Promise<ApiResponse>, address = APISERVER_ADDRESS): () => void {
  const listener = network.serve(address, async (request, from) => {
    const req = { ...(request as ApiRequest), remote: from };
    const res = await handler(req);
    if (!res.stream) return res;
    const stream = res.stream;
    const head: StreamHead = { status: res.status, headers: res.headers };
    async function* items(): AsyncGenerator<unknown> {
      yield head;
      yield* stream;
    }
    const reply: StreamReply = streamReply(items(), () => stream.close());
    return reply;
  });
  return () => listener.close();
}

/** Requests over the Env network (sim mode, or in-process live wiring). */
export class NetworkTransport implements Transport {
  constructor(
    private readonly network: Network,
    /** Sent as the Authorization header: the component's identity. */
    private readonly token: string | undefined,
    private readonly address = APISERVER_ADDRESS,
    // As a real kubelet's client: a request unanswered for 10 s is given up and retried.
    private readonly timeoutMs = 10_000,
  ) {}

  async send(req: ApiRequest): Promise<ApiResponse> {
    const headers = this.token ? { ...req.headers, authorization: `Bearer ${this.token}` } : req.headers;
    const reply = await this.network.call<unknown>(this.address, { ...req, headers }, { timeoutMs: this.timeoutMs });
    if (isRemoteStream(reply)) {
      const iterator = reply[Symbol.asyncIterator]();
      const first = await iterator.next();
      if (first.done) throw new Error('the API server closed a stream before its head');
      const head = first.value as StreamHead;
      const stream: ResponseStream = {
        [Symbol.asyncIterator]: () => ({
          next: async () => iterator.next() as Promise<IteratorResult<string>>,
          return: async () => {
            reply.close();
            return { value: undefined, done: true };
          },
        }),
        close: () => reply.close(),
      };
      return { status: head.status, headers: head.headers, stream };
    }
    return reply as ApiResponse;
  }
}

function isRemoteStream(value: unknown): value is RemoteStream<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value && typeof (value as { close?: unknown }).close === 'function' && !isStreamReply(value);
}
