// Conformance of the reference API server to the real kubectl (1.32, picked by the dispatcher
// from our /version): every command a user of the seed walkthroughs types, run through execa
// against a freshly started server on the embedded store and on a private etcd, asserting on
// kubectl's own output.
//
// Each test makes its own objects (distinct names, or its own namespace), so one can be run
// alone with `-t`. No controllers, scheduler or kubelet run here: Pods stay Pending and
// Deployments report no ready replicas, which the assertions expect.

import { execa, type ResultPromise } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { generateServingCerts } from '../../impl/env/certs.js';
import { startTestApiServer, type TestApiServer, type TestStore } from '../support/apiserver.js';
import { labelSpec, stepped } from '../../reports/spec-labels.js';
import { etcdAvailable } from '../support/etcd-server.js';
import { hasExecutable, realPart } from '../support/real-parts.js';

const STORES: readonly TestStore[] = ['memory', 'etcd'];
/** One kubectl call; they take 100–300 ms, a generous bound keeps a hang from eating the file's budget. */
const KUBECTL_TIMEOUT_MS = 20_000;

/**
 * kubectl's words for a 401: the Status's message ("Unauthorized") when discovery is cached,
 * client-go's own when discovery itself got the 401 (a test run alone, with an empty cache).
 */
const LOGGED_OUT = /^error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)$/m;

const kubectlPresent = realPart('kubectl', hasExecutable('kubectl', ['version', '--client']), 'the kubectl dispatcher (see DESIGN.md, Real parts)');
const curlPresent = realPart('curl', hasExecutable('curl'), 'apt-get install curl');

interface Output {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A Deployment manifest for `apply -f`; `image` and `replicas` are what the third apply changes. */
function deploymentYaml(name: string, image: string, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: main
        image: ${image}
        command: ["sleep", "3600"]
`;
}

function podYaml(name: string, image = 'busybox'): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  containers:
  - name: main
    image: ${image}
    command: ["sleep", "3600"]
`;
}

/** A table printed by kubectl, as header → cell per row (columns split on runs of two or more spaces). */
function table(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trimEnd().split('\n');
  const columns = (header ?? '').trim().split(/\s{2,}/);
  return rows.map((row) => {
    const cells = row.trim().split(/\s{2,}/);
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

describe.skipIf(!kubectlPresent)('kubectl against the reference API server', () => {
  describe.each(STORES)('on the %s store', (store) => {
    const skip = store === 'etcd' && !etcdAvailable();
    labelSpec({ feature: 'apiserver', story: 'kubectl', severity: 'critical', target: `reference API server (${store} store)` });
    let server: TestApiServer;
    let workDir: string;
    let cacheDir: string;

    /**
     * Runs kubectl with its own discovery cache and the given kubeconfig (admin's by default).
     * stdin is closed, as in CI: kubectl must never wait for input.
     */
    function start(args: readonly string[], options: { kubeconfig?: string; timeout?: number } = {}): ResultPromise<{ reject: false; stdin: 'ignore' }> {
      return execa('kubectl', ['--kubeconfig', options.kubeconfig ?? server.kubeconfigPath, '--cache-dir', cacheDir, ...args], {
        reject: false,
        stdin: 'ignore',
        timeout: options.timeout ?? KUBECTL_TIMEOUT_MS,
        env: { KUBECONFIG: '' },
      });
    }

    async function kubectl(args: readonly string[], options: { kubeconfig?: string } = {}): Promise<Output> {
      return stepped(`kubectl ${args.join(' ')}`, async () => {
        const result = await start(args, options);
        return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
      });
    }

    /** kubectl that must succeed; its stdout. */
    async function ok(args: readonly string[], options: { kubeconfig?: string } = {}): Promise<string> {
      const out = await kubectl(args, options);
      expect(out.exitCode, `kubectl ${args.join(' ')} failed:\n${out.stderr}`).toBe(0);
      return out.stdout;
    }

    /** kubectl that must fail; its stderr. */
    async function fails(args: readonly string[], options: { kubeconfig?: string } = {}): Promise<string> {
      const out = await kubectl(args, options);
      expect(out.exitCode, `kubectl ${args.join(' ')} should have failed; stdout:\n${out.stdout}`).not.toBe(0);
      return out.stderr;
    }

    async function manifest(name: string, text: string): Promise<string> {
      const path = join(workDir, name);
      await writeFile(path, text);
      return path;
    }

    async function kubeconfigFile(name: string, text: string): Promise<string> {
      const path = join(workDir, name);
      await writeFile(path, text, { mode: 0o600 });
      return path;
    }

    beforeAll(async () => {
      if (skip) return;
      server = await startTestApiServer({ store });
      workDir = await mkdtemp(join(tmpdir(), 'kubeprop-kubectl-'));
      cacheDir = join(workDir, 'cache');
    });

    afterAll(async () => {
      if (skip) return;
      await server?.stop();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    describe.skipIf(skip)('commands', () => {
      it('version reports server v1.32', async () => {
        const out = await ok(['version']);
        expect(out).toMatch(/^Server Version: v1\.32\.\d+/m);
      });

      it('api-resources lists pods and deployments with their short names', async () => {
        const rows = table(await ok(['api-resources']));
        const byName = new Map(rows.map((r) => [r.NAME, r]));
        expect(byName.get('pods')).toMatchObject({ SHORTNAMES: 'po', APIVERSION: 'v1', NAMESPACED: 'true', KIND: 'Pod' });
        expect(byName.get('deployments')).toMatchObject({ SHORTNAMES: 'deploy', APIVERSION: 'apps/v1', NAMESPACED: 'true', KIND: 'Deployment' });
        expect(byName.get('namespaces')).toMatchObject({ SHORTNAMES: 'ns', NAMESPACED: 'false', KIND: 'Namespace' });
        expect(byName.get('replicasets')).toMatchObject({ SHORTNAMES: 'rs', APIVERSION: 'apps/v1' });
      });

      it('get namespaces shows the four system namespaces, Active', async () => {
        const rows = table(await ok(['get', 'namespaces']));
        for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
          expect(rows.find((r) => r.NAME === name), name).toMatchObject({ STATUS: 'Active' });
        }
      });

      it('create namespace, then get it', async () => {
        expect(await ok(['create', 'namespace', 'team-a'])).toBe('namespace/team-a created');
        expect(table(await ok(['get', 'namespace', 'team-a']))).toEqual([expect.objectContaining({ NAME: 'team-a', STATUS: 'Active' })]);
      });

      it('create -f pod.yaml, then get pods shows it Pending', async () => {
        const path = await manifest('pod-pending.yaml', podYaml('pending-pod'));
        expect(await ok(['create', '-f', path])).toBe('pod/pending-pod created');
        const rows = table(await ok(['get', 'pods']));
        expect(rows.find((r) => r.NAME === 'pending-pod')).toMatchObject({ READY: '0/1', STATUS: 'Pending', RESTARTS: '0' });
      });

      it('create deployment, then get deployments shows READY UP-TO-DATE AVAILABLE', async () => {
        expect(await ok(['create', 'deployment', 'first-app', '--image=busybox', '--replicas=3'])).toBe('deployment.apps/first-app created');
        const out = await ok(['get', 'deployments']);
        expect(out.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
        // No controller runs here: nothing is ready, updated or available yet.
        expect(table(out).find((r) => r.NAME === 'first-app')).toMatchObject({ READY: '0/3', 'UP-TO-DATE': '0', AVAILABLE: '0' });
        const spec = JSON.parse(await ok(['get', 'deployment', 'first-app', '-o', 'json'])) as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
        expect(spec.spec.replicas).toBe(3);
        expect(spec.spec.template.spec.containers[0]?.image).toBe('busybox');
      });

      it('apply -f: created, unchanged, then configured after a change', async () => {
        const path = await manifest('applied.yaml', deploymentYaml('applied', 'busybox', 2));
        expect(await ok(['apply', '-f', path])).toBe('deployment.apps/applied created');
        expect(await ok(['apply', '-f', path])).toBe('deployment.apps/applied unchanged');
        await writeFile(path, deploymentYaml('applied', 'busybox:1.36', 4));
        expect(await ok(['apply', '-f', path])).toBe('deployment.apps/applied configured');
        const got = await ok(['get', 'deployment', 'applied', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}']);
        expect(got).toBe('4 busybox:1.36');
      });

      it('scale --replicas=5 sets spec.replicas', async () => {
        await ok(['create', 'deployment', 'scaled', '--image=busybox', '--replicas=3']);
        expect(await ok(['scale', 'deployment', 'scaled', '--replicas=5'])).toBe('deployment.apps/scaled scaled');
        expect(await ok(['get', 'deployment', 'scaled', '-o', 'jsonpath={.spec.replicas}'])).toBe('5');
      });

      it('get pods -o yaml prints a List with the pod, defaulted, Pending', async () => {
        await ok(['create', 'namespace', 'yaml-out']);
        await ok(['create', '-n', 'yaml-out', '-f', await manifest('pod-yaml.yaml', podYaml('yaml-pod'))]);
        const list = parse(await ok(['get', 'pods', '-n', 'yaml-out', '-o', 'yaml'])) as {
          apiVersion: string;
          kind: string;
          items: { apiVersion: string; kind: string; metadata: { name: string; namespace: string; uid: string; resourceVersion: string }; spec: { restartPolicy: string; containers: { image: string }[] }; status: { phase: string } }[];
        };
        expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
        expect(list.items).toHaveLength(1);
        const [pod] = list.items;
        expect(pod).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'yaml-pod', namespace: 'yaml-out' }, spec: { restartPolicy: 'Always' }, status: { phase: 'Pending' } });
        expect(pod?.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
        expect(pod?.metadata.resourceVersion).toMatch(/^\d+$/);
      });

      it('get pods -w prints ADDED, then MODIFIED for a created, then relabelled pod', async () => {
        await ok(['create', 'namespace', 'watched']);
        let lines = '';
        let errors = '';
        // --request-timeout bounds the watch if the kill below is never reached.
        const watch = start(['get', 'pods', '-n', 'watched', '-w', '--output-watch-events', '--request-timeout=30s'], { timeout: 40_000 });
        watch.stdout?.setEncoding('utf8');
        watch.stdout?.on('data', (chunk: string) => (lines += chunk));
        watch.stderr?.setEncoding('utf8');
        watch.stderr?.on('data', (chunk: string) => (errors += chunk));
        try {
          // The watch starts from the list's resourceVersion, so once the server has answered
          // the list (its audit record is there), nothing created afterwards can be missed.
          const listed = () => server.api.audit.records.some((r) => r.verb === 'list' && r.resource === 'pods' && r.namespace === 'watched' && r.code === 200);
          await vi.waitFor(() => expect(listed(), `kubectl get -w never listed; stderr:\n${errors}`).toBe(true), { timeout: 10_000, interval: 25 });
          await ok(['create', '-n', 'watched', '-f', await manifest('pod-watched.yaml', podYaml('watched-pod'))]);
          await vi.waitFor(() => expect(lines).toMatch(/^ADDED\s+watched-pod\s+0\/1\s+Pending\s+0\s/m), { timeout: 10_000, interval: 50 });
          await ok(['label', '-n', 'watched', 'pod', 'watched-pod', 'touched=yes']);
          await vi.waitFor(() => expect(lines).toMatch(/^MODIFIED\s+watched-pod\s+0\/1\s+Pending\s+0\s/m), { timeout: 10_000, interval: 50 });
        } finally {
          watch.kill();
          await watch;
        }
        const events = lines.split('\n').filter((l) => l.trim() !== '').map((l) => l.split(/\s+/).slice(0, 2).join(' '));
        expect(events).toEqual(['EVENT NAME', 'ADDED watched-pod', 'MODIFIED watched-pod']);
      });

      it('delete pod removes it', async () => {
        await ok(['create', '-f', await manifest('pod-deleted.yaml', podYaml('deleted-pod'))]);
        expect(await ok(['delete', 'pod', 'deleted-pod'])).toBe('pod "deleted-pod" deleted');
        expect(await fails(['get', 'pod', 'deleted-pod'])).toBe('Error from server (NotFound): pods "deleted-pod" not found');
      });

      it('describe pod shows its image, status and no events', async () => {
        await ok(['create', '-f', await manifest('pod-described.yaml', podYaml('described-pod', 'busybox:1.36'))]);
        const out = await ok(['describe', 'pod', 'described-pod']);
        expect(out).toMatch(/^Name:\s+described-pod$/m);
        expect(out).toMatch(/^Namespace:\s+default$/m);
        expect(out).toMatch(/^Labels:\s+app=described-pod$/m);
        expect(out).toMatch(/^Status:\s+Pending$/m);
        expect(out).toMatch(/^Node:\s+<none>$/m);
        expect(out).toMatch(/^\s+Image:\s+busybox:1\.36$/m);
        expect(out).toMatch(/^Events:\s+<none>$/m);
      });

      it('the same create twice fails with AlreadyExists', async () => {
        const path = await manifest('pod-twice.yaml', podYaml('twice-pod'));
        await ok(['create', '-f', path]);
        expect(await fails(['create', '-f', path])).toBe(`Error from server (AlreadyExists): error when creating "${path}": pods "twice-pod" already exists`);
      });

      it('an invalid manifest is refused as "is invalid", naming the field', async () => {
        const path = await manifest('pod-invalid.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: invalid-pod
spec:
  containers:
  - name: main
`);
        const err = await fails(['create', '-f', path]);
        expect(err).toContain('The Pod "invalid-pod" is invalid');
        expect(err).toContain('spec.containers[0].image: Required value');
        await fails(['get', 'pod', 'invalid-pod']);
      });

      it('no credentials at all: Unauthorized', async () => {
        // With TLS and a user entry that cannot identify anyone (`user: {}`), client-go's
        // interactive loader prompts for a basic-auth username on stdin even when stdin is
        // not a terminal, and fails with EOF before any request reaches the server:
        const anonymous = await kubeconfigFile('anonymous.kubeconfig', kubeconfigWithUser(server, {}));
        const prompted = await kubectl(['get', 'pods'], { kubeconfig: anonymous });
        expect(prompted.exitCode).not.toBe(0);
        expect(prompted.stdout).toContain('Please enter Username');
        // So the user presents a client certificate instead. That stops the prompt, and since
        // our server never asks for client certificates in the TLS handshake, the certificate
        // is never sent: the requests carry no credentials at all.
        const throwaway = await generateServingCerts();
        const withUnusedCert = await kubeconfigFile(
          'unused-cert.kubeconfig',
          kubeconfigWithUser(server, {
            'client-certificate-data': Buffer.from(throwaway.cert).toString('base64'),
            'client-key-data': Buffer.from(throwaway.key).toString('base64'),
          }),
        );
        const err = await fails(['get', 'pods'], { kubeconfig: withUnusedCert });
        expect(err).toMatch(LOGGED_OUT);
      });

      it('a wrong token: Unauthorized', async () => {
        const err = await fails(['get', 'pods', '--token=not-a-token']);
        expect(err).toMatch(LOGGED_OUT);
      });

      it('a token without rights: Forbidden', async () => {
        const nobody = await kubeconfigFile('nobody.kubeconfig', server.kubeconfigFor('nobody'));
        const err = await fails(['get', 'pods'], { kubeconfig: nobody });
        expect(err).toBe('Error from server (Forbidden): pods is forbidden: User "nobody" cannot list resource "pods" in API group "" in the namespace "default"');
        const createErr = await fails(['create', 'namespace', 'not-allowed'], { kubeconfig: nobody });
        expect(createErr).toContain('Error from server (Forbidden): namespaces is forbidden: User "nobody" cannot create resource "namespaces" in API group ""');
        await fails(['get', 'namespace', 'not-allowed']);
      });

      it('explain deployment.spec.replicas', async () => {
        const out = await ok(['explain', 'deployment.spec.replicas']);
        expect(out).toMatch(/^GROUP:\s+apps$/m);
        expect(out).toMatch(/^KIND:\s+Deployment$/m);
        expect(out).toMatch(/^VERSION:\s+v1$/m);
        expect(out).toMatch(/^FIELD: replicas <integer>$/m);
        expect(out).toContain('Number of desired pods');
      });

      it('cluster-info names the control plane URL', async () => {
        const out = await ok(['cluster-info']);
        expect(out).toContain(`Kubernetes control plane is running at ${server.url}`);
      });

      it.skipIf(!curlPresent)('curl with the token lists namespaces and creates one; without a token, a 401 Status', async () => {
        const caFile = join(server.dataDir, 'ca.crt');
        const url = `${server.url}/api/v1/namespaces`;
        const withToken = await execa('curl', ['-sS', '--fail-with-body', '--cacert', caFile, '-H', `Authorization: Bearer ${server.tokenOf('admin')}`, url]);
        const list = JSON.parse(withToken.stdout) as { kind: string; apiVersion: string; metadata: { resourceVersion?: string }; items: { metadata: { name: string } }[] };
        expect(list).toMatchObject({ kind: 'NamespaceList', apiVersion: 'v1' });
        expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
        expect(list.items.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
        // A body without kind and apiVersion takes them from the URL, as upstream's decoder does.
        const created = await execa('curl', ['-sS', '--fail-with-body', '--cacert', caFile, '-H', `Authorization: Bearer ${server.tokenOf('admin')}`, '-H', 'Content-Type: application/json', '-d', '{"metadata":{"name":"curl-made"}}', url]);
        expect(JSON.parse(created.stdout)).toMatchObject({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'curl-made' } });
        expect(table(await ok(['get', 'namespace', 'curl-made']))).toEqual([expect.objectContaining({ NAME: 'curl-made', STATUS: 'Active' })]);
        const anonymous = await execa('curl', ['-sS', '--cacert', caFile, '-w', '\n%{http_code}', url]);
        const [body = '', code] = anonymous.stdout.split(/\n(?=\d+$)/);
        expect(code).toBe('401');
        expect(JSON.parse(body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
      });
    });
  });
});

/** The admin kubeconfig with its user entry replaced. */
function kubeconfigWithUser(server: TestApiServer, user: Record<string, string>): string {
  const config = parse(server.kubeconfigFor('admin')) as { users: { name: string; user: Record<string, string> }[] };
  config.users = config.users.map((u) => ({ ...u, user }));
  return JSON.stringify(config);
}
