// Transport-neutral HTTP request and response. The HTTPS adapter (live) and the simulated
// network (sim) both carry these, so the API server answers both alike.

export interface ApiRequest {
  readonly method: string;
  /** Path without the query string, e.g. /apis/apps/v1/namespaces/default/deployments. */
  readonly path: string;
  /** Query parameters; a repeated parameter keeps its first value. */
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** Who sent it: the peer address (live) or process name (sim), for audit only. */
  readonly remote?: string;
}

/** A complete response, or a stream of chunks (watch, log -f) when `stream` is set. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly stream?: ResponseStream;
}

export type HttpHandler = (req: ApiRequest) => Promise<ApiResponse>;

/** Chunks of a streamed response; `close()` is called when the client goes away. */
export interface ResponseStream extends AsyncIterable<string> {
  close(): void;
}

export function parseQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) if (!(k in out)) out[k] = v;
  return out;
}
