// The live HTTP(S) transport: a node:https (or plain http, on request) server on loopback
// that turns requests into ApiRequest values for a handler and writes its ApiResponse back,
// streaming chunked bodies (watch, log -f) with a flush per chunk.

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { parseQuery, type ApiRequest, type HttpHandler } from './http.js';

export interface HttpServeOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** PEM certificate and key; without them the server speaks plain http. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Bodies larger than this are refused with 413 before they are read in full. */
  readonly maxBodyBytes: number;
}

export interface HttpServing {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const TOO_LARGE = Symbol('too large');

function readBody(req: http.IncomingMessage, limit: number): Promise<Uint8Array | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    req.on('error', reject);
  });
}

function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

/**
 * The path and query of a request target exactly as sent. Not WHATWG URL parsing: that
 * resolves "." and ".." segments (turning DELETE .../pods/web/.. into a collection delete)
 * and fails on "//x"; upstream's Go server keeps the path as it came.
 */
function requestTarget(target: string): { path: string; search: string } {
  if (!target.startsWith('/')) {
    // Absolute form (a proxy-style request line), or garbage: take what a URL parser can.
    try {
      const url = new URL(target);
      return { path: url.pathname, search: url.search };
    } catch {
      return { path: '/', search: '' };
    }
  }
  const q = target.indexOf('?');
  return q < 0 ? { path: target, search: '' } : { path: target.slice(0, q), search: target.slice(q) };
}

export async function serveHttp(handler: HttpHandler, options: HttpServeOptions): Promise<HttpServing> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<import('node:net').Socket>();
  const listener = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    try {
      const url = requestTarget(req.url ?? '/');
      const body = await readBody(req, options.maxBodyBytes);
      if (body === TOO_LARGE) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end(statusBody(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${options.maxBodyBytes}`));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      const apiReq: ApiRequest = {
        method: req.method ?? 'GET',
        path: url.path,
        query: parseQuery(url.search),
        headers,
        ...(body.length > 0 ? { body } : {}),
        remote: `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? ''}`,
      };
      const out = await handler(apiReq);
      if (out.stream) {
        const stream = out.stream;
        res.writeHead(out.status, { ...out.headers, 'cache-control': 'no-cache, private' });
        res.flushHeaders();
        const closed = () => stream.close();
        res.on('close', closed);
        try {
          for await (const chunk of stream) {
            if (res.destroyed) break;
            res.write(chunk);
          }
        } finally {
          res.off('close', closed);
          stream.close();
          if (!res.destroyed) res.end();
        }
        return;
      }
      res.writeHead(out.status, out.headers);
      res.end(req.method === 'HEAD' ? undefined : out.body);
    } catch (e) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(statusBody(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`));
      } else res.destroy();
    }
  };
  const server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, (q, s) => void listener(q, s))
    : http.createServer((q, s) => void listener(q, s));
  // A request Node's parser refuses (a method it does not know, a malformed line or header)
  // is still answered with a Status, not Node's bare 400.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: import('node:stream').Duplex) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const body = statusBody(400, 'BadRequest', `malformed HTTP request (${err.code ?? err.message})`);
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
