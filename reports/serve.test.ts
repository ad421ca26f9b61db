// `kubeprop report --serve`: the report directory on loopback, nothing outside it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveReport } from './serve.js';

/** GET with the path exactly as given (fetch would normalise ".."): status, body and content type. */
function get(url: string, path: string): Promise<{ status: number; body: string; type: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serving a report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeprop-serve-'));
  writeFileSync(join(dir, 'index.html'), '<html>report</html>');
  writeFileSync(join(dir, 'matrix.html'), '<html>matrix</html>');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the report directory on loopback and nothing outside it', async () => {
    const served = await serveReport(dir);
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await get(served.url, '/')).toEqual({ status: 200, body: '<html>report</html>', type: 'text/html; charset=utf-8' });
      expect((await get(served.url, '/matrix.html')).body).toBe('<html>matrix</html>');
      for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/missing.html', '/%E0%A4%A']) expect((await get(served.url, path)).status).toBeGreaterThanOrEqual(400);
    } finally {
      await served.close();
    }
  });
});
