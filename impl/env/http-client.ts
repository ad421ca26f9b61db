// The live HTTPS client transport: sends ApiRequests to a real API server (ours or anyone's)
// with a CA certificate and bearer token, and returns streamed bodies as text chunks.

import http from 'node:http';
import https from 'node:https';
import type { ApiRequest, ApiResponse, ResponseStream } from './http.js';

export interface HttpClientOptions {
  /** e.g. https://127.0.0.1:6443 */
  readonly server: string;
  readonly caCert?: string;
  readonly token?: string;
  readonly insecureSkipTlsVerify?: boolean;
  readonly timeoutMs?: number;
}

function queryString(query: Readonly<Record<string, string>>): string {
  const q = new URLSearchParams(query).toString();
  return q ? `?${q}` : '';
}

export class HttpClientTransport {
  private readonly agent: http.Agent;

  constructor(private readonly options: HttpClientOptions) {
    const secure = options.server.startsWith('https:');
    this.agent = secure
      ? new https.Agent({ keepAlive: true, ...(options.caCert ? { ca: options.caCert } : {}), rejectUnauthorized: !options.insecureSkipTlsVerify })
      : new http.Agent({ keepAlive: true });
  }

  send(req: ApiRequest): Promise<ApiResponse> {
    const url = new URL(req.path + queryString(req.query), this.options.server);
    const lib = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...req.headers };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (req.body) headers['content-length'] = String(req.body.length);
    const streaming = req.query.watch === 'true' || req.query.follow === 'true';
    return new Promise((resolve, reject) => {
      const r = lib.request(url, { method: req.method, headers, agent: this.agent, ...(streaming ? {} : { timeout: this.options.timeoutMs ?? 30_000 }) }, (res) => {
        const responseHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
        const status = res.statusCode ?? 0;
        if (streaming && status === 200) {
          res.setEncoding('utf8');
          const stream: ResponseStream = {
            [Symbol.asyncIterator]: () => res[Symbol.asyncIterator]() as AsyncIterator<string>,
            close: () => {
              res.destroy();
              r.destroy();
            },
          };
          resolve({ status, headers: responseHeaders, stream });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      r.on('timeout', () => r.destroy(new Error(`request to ${url.pathname} timed out`)));
      r.on('error', reject);
      if (req.body) r.write(req.body);
      r.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
