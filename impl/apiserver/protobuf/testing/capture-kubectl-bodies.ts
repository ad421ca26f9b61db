// Re-records the fixtures in ../fixtures: runs real `kubectl create ...` commands against a
// throwaway HTTP server on 127.0.0.1 and saves each protobuf POST body byte for byte.
// Run: npx tsx impl/apiserver/protobuf/testing/capture-kubectl-bodies.ts
// It needs the kubectl dispatcher on PATH (it picks kubectl 1.32 from the /version answer).

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Fixture file name → kubectl arguments. */
const COMMANDS: Record<string, string[]> = {
  'kubectl-1.32-create-deployment-first-app.pb': ['create', 'deployment', 'first-app', '--image=busybox', '--replicas=3'],
  'kubectl-1.32-create-deployment-web-port-command.pb': ['create', 'deployment', 'web', '--image=nginx', '--port=80', '--', 'sh', '-c', 'echo hi'],
  'kubectl-1.32-create-namespace-x.pb': ['create', 'namespace', 'x'],
  'kubectl-1.32-create-service-clusterip.pb': ['create', 'service', 'clusterip', 'my-svc', '--tcp=80:8080'],
  'kubectl-1.32-create-service-nodeport.pb': ['create', 'service', 'nodeport', 'np', '--tcp=80:web'],
  'kubectl-1.32-create-configmap.pb': ['create', 'configmap', 'cm1', '--from-literal=a=b'],
  'kubectl-1.32-create-secret-generic.pb': ['create', 'secret', 'generic', 's1', '--from-literal=k=v'],
};

const fixtures = new URL('../fixtures/', import.meta.url);

async function main(): Promise<void> {
  // POST bodies, appended by the server's handler and drained after each command.
  const posts: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST') posts.push(body);
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const home = mkdtempSync(join(tmpdir(), 'kubeprop-capture-'));
  try {
    for (const [file, args] of Object.entries(COMMANDS)) {
      await run(['--server', `http://127.0.0.1:${port}`, '--cache-dir', join(home, 'cache'), ...args], home);
      const body = posts.pop();
      posts.length = 0;
      if (body === undefined) throw new Error(`kubectl ${args.join(' ')} sent no POST`);
      writeFileSync(new URL(file, fixtures), body);
      console.log(`${file}: ${body.length} bytes`);
    }
  } finally {
    server.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Runs kubectl asynchronously, so this process's server keeps answering meanwhile. */
function run(args: string[], home: string): Promise<void> {
  const env = { ...process.env, HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
  return new Promise((resolve, reject) => {
    execFile('kubectl', args, { env, timeout: 60_000 }, (error) => (error ? reject(error) : resolve()));
  });
}

/** Just enough of an API server for `kubectl create`: the version, and a 201 echoing a name. */
function answer(req: IncomingMessage, res: ServerResponse): void {
  const send = (code: number, body: unknown): void => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (path === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
  if (req.method === 'POST') {
    const [apiVersion, kind] = kindOf(path);
    return send(201, { apiVersion, kind, metadata: { name: 'x', namespace: 'default', uid: 'u', resourceVersion: '1' } });
  }
  send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
}

function kindOf(path: string): [string, string] {
  const resource = path.split('/').pop() ?? '';
  const kinds: Record<string, [string, string]> = {
    deployments: ['apps/v1', 'Deployment'],
    namespaces: ['v1', 'Namespace'],
    services: ['v1', 'Service'],
    configmaps: ['v1', 'ConfigMap'],
    secrets: ['v1', 'Secret'],
  };
  return kinds[resource] ?? ['v1', 'Status'];
}

await main();
