// Conformance of the reference API server to @kubernetes/client-node (1.4, the last line that
// runs on Node 20), the client the `kube`
// target and operators in TypeScript use: typed CRUD, merge and strategic merge patches,
// optimistic concurrency (409 on a stale resourceVersion), watches from a list's
// resourceVersion and an informer, against a fresh server on the embedded store and on etcd.
//
// Each test works in its own namespace, so one can be run alone with `-t`.

import type { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObject, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApiServer, type TestApiServer, type TestStore } from '../support/apiserver.js';
import { labelSpec } from '../../reports/spec-labels.js';
import { etcdAvailable } from '../support/etcd-server.js';

import * as clientNode from '@kubernetes/client-node';

const k8s = clientNode;

const STORES: readonly TestStore[] = ['memory', 'etcd'];
const WAIT = { timeout: 10_000, interval: 25 } as const;

function pod(name: string, labels: Record<string, string> = { app: name }): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] },
  };
}

function deployment(name: string, replicas: number): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] },
      },
    },
  };
}

// client-node 2.x sends a patch as a JSON patch unless a middleware sets its Content-Type.
/** Call options for a JSON merge patch (RFC 7386). */
const mergePatch = () => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
/** Call options for a strategic merge patch. */
const strategicMergePatch = () => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);

/** The HTTP code and Status reason of a failed call; fails the test if the call succeeded. */
async function failure(call: Promise<unknown>): Promise<{ code: number; reason: string | undefined; message: string | undefined }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof k8s.ApiException)) throw error;
    const body: unknown = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
    const status = body as { kind?: string; reason?: string; message?: string; code?: number } | undefined;
    expect(status?.kind, `not a Status: ${String(error.body)}`).toBe('Status');
    expect(status?.code).toBe(error.code);
    return { code: error.code, reason: status?.reason, message: status?.message };
  }
  throw new Error('the call succeeded; it should have failed');
}

describe.each(STORES)('@kubernetes/client-node against the reference API server on the %s store', (store) => {
  const skip = store === 'etcd' && !etcdAvailable();
  labelSpec({ feature: 'apiserver', story: '@kubernetes/client-node', severity: 'critical', target: `reference API server (${store} store)` });
  let server: TestApiServer;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    if (skip) return;
    server = await startTestApiServer({ store });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });

  afterAll(async () => {
    if (!skip) await server?.stop();
  });

  /** Creates a namespace from a body without kind and apiVersion, as client-node users often write it. */
  async function namespace(name: string): Promise<string> {
    await core.createNamespace({ body: { metadata: { name } } });
    return name;
  }

  describe.skipIf(skip)('calls', () => {
    it('create, read and list a Pod', async () => {
      const ns = await namespace('crud');
      const created = await core.createNamespacedPod({ namespace: ns, body: pod('one') });
      expect(created.metadata).toMatchObject({ name: 'one', namespace: ns });
      expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
      expect(created.spec?.restartPolicy).toBe('Always');
      expect(created.status?.phase).toBe('Pending');

      const read = await core.readNamespacedPod({ namespace: ns, name: 'one' });
      expect(read.metadata?.uid).toBe(created.metadata?.uid);
      expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

      await core.createNamespacedPod({ namespace: ns, body: pod('two', { app: 'other' }) });
      const list = await core.listNamespacedPod({ namespace: ns });
      expect(list.items.map((p) => p.metadata?.name).sort()).toEqual(['one', 'two']);
      expect(Number(list.metadata?.resourceVersion)).toBeGreaterThanOrEqual(Number(read.metadata?.resourceVersion));
      const selected = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=other' });
      expect(selected.items.map((p) => p.metadata?.name)).toEqual(['two']);

      const duplicate = await failure(core.createNamespacedPod({ namespace: ns, body: pod('one') }));
      expect(duplicate).toMatchObject({ code: 409, reason: 'AlreadyExists' });
      const missing = await failure(core.readNamespacedPod({ namespace: ns, name: 'three' }));
      expect(missing).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "three" not found' });
    });

    it('merge patch replaces lists; strategic merge patch merges containers by name', async () => {
      const ns = await namespace('patches');
      await apps.createNamespacedDeployment({ namespace: ns, body: deployment('web', 2) });

      const merged = await apps.patchNamespacedDeployment(
        { namespace: ns, name: 'web', body: { metadata: { labels: { tier: 'front' } }, spec: { replicas: 3 } } },
        mergePatch(),
      );
      expect(merged.metadata?.labels).toEqual({ app: 'web', tier: 'front' });
      expect(merged.spec?.replicas).toBe(3);

      const strategic = await apps.patchNamespacedDeployment(
        { namespace: ns, name: 'web', body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } } } },
        strategicMergePatch(),
      );
      // Merged by name, the live container kept whole. Without a $setElementOrder directive
      // upstream puts the patch's items before the server-only ones (mergeSortedSlice).
      expect(strategic.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['sidecar=busybox:1.36', 'main=busybox']);
      expect(strategic.spec?.template.spec?.containers.find((c) => c.name === 'main')?.command).toEqual(['sleep', '3600']);

      // The same body as a JSON merge patch replaces the whole list.
      const replacedList = await apps.patchNamespacedDeployment(
        { namespace: ns, name: 'web', body: { spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox:1.37' }] } } } } },
        mergePatch(),
      );
      expect(replacedList.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['main=busybox:1.37']);
      expect(replacedList.spec?.template.spec?.containers[0]?.command).toBeUndefined();
      expect(Number(replacedList.metadata?.generation)).toBeGreaterThan(Number(merged.metadata?.generation));

      const read = await apps.readNamespacedDeployment({ namespace: ns, name: 'web' });
      expect(read.metadata?.resourceVersion).toBe(replacedList.metadata?.resourceVersion);
    });

    it('replace with the current resourceVersion succeeds; with a stale one, 409 Conflict', async () => {
      const ns = await namespace('replace');
      const created = await apps.createNamespacedDeployment({ namespace: ns, body: deployment('web', 1) });
      const stale = structuredClone(created);

      const fresh = structuredClone(created);
      fresh.spec!.replicas = 2;
      const replaced = await apps.replaceNamespacedDeployment({ namespace: ns, name: 'web', body: fresh });
      expect(replaced.spec?.replicas).toBe(2);
      expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

      stale.spec!.replicas = 7;
      const conflict = await failure(apps.replaceNamespacedDeployment({ namespace: ns, name: 'web', body: stale }));
      expect(conflict).toMatchObject({ code: 409, reason: 'Conflict' });
      expect(conflict.message).toContain('the object has been modified; please apply your changes to the latest version and try again');
      expect((await apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).spec?.replicas).toBe(2);
    });

    it('delete a Pod; reading it then gives 404', async () => {
      const ns = await namespace('delete');
      await core.createNamespacedPod({ namespace: ns, body: pod('doomed') });
      const deleted = await core.deleteNamespacedPod({ namespace: ns, name: 'doomed' });
      expect(deleted.metadata?.name).toBe('doomed');
      expect(await failure(core.readNamespacedPod({ namespace: ns, name: 'doomed' }))).toMatchObject({ code: 404, reason: 'NotFound' });
      expect((await core.listNamespacedPod({ namespace: ns })).items).toEqual([]);
      expect(await failure(core.deleteNamespacedPod({ namespace: ns, name: 'doomed' }))).toMatchObject({ code: 404, reason: 'NotFound' });
    });

    it('Watch from a list resourceVersion sees ADDED, MODIFIED, DELETED in order', async () => {
      const ns = await namespace('watched');
      await core.createNamespacedPod({ namespace: ns, body: pod('listed') });
      const list = await core.listNamespacedPod({ namespace: ns });
      expect(list.items.map((p) => p.metadata?.name)).toEqual(['listed']);
      const from = list.metadata?.resourceVersion;
      expect(from).toMatch(/^\d+$/);

      const events: { type: string; name: string | undefined; resourceVersion: string | undefined; labels: Record<string, string> | undefined }[] = [];
      let ended: unknown = 'still open';
      const watch = new k8s.Watch(kc);
      const controller = await watch.watch(
        `/api/v1/namespaces/${ns}/pods`,
        { resourceVersion: from },
        (type: string, object: KubernetesObject) => {
          events.push({ type, name: object.metadata?.name, resourceVersion: object.metadata?.resourceVersion, labels: object.metadata?.labels });
        },
        (error: unknown) => {
          ended = error;
        },
      );
      try {
        await core.createNamespacedPod({ namespace: ns, body: pod('w') });
        await core.patchNamespacedPod({ namespace: ns, name: 'w', body: { metadata: { labels: { touched: 'yes' } } } }, mergePatch());
        await core.deleteNamespacedPod({ namespace: ns, name: 'w' });
        await vi.waitFor(() => expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']), WAIT);
        // The object listed before the watch's resourceVersion is not replayed, and the stream is still open.
        expect(ended).toBe('still open');
      } finally {
        controller.abort();
      }
      expect(events.map((e) => e.name)).toEqual(['w', 'w', 'w']);
      expect(events[0]?.labels).toEqual({ app: 'w' });
      expect(events[1]?.labels).toEqual({ app: 'w', touched: 'yes' });
      const versions = events.map((e) => Number(e.resourceVersion));
      expect(versions[0]).toBeGreaterThan(Number(from));
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(3);
    });

    it('an informer lists, watches and sees an add', async () => {
      const ns = await namespace('informed');
      await core.createNamespacedPod({ namespace: ns, body: pod('before') });
      const informer = k8s.makeInformer<V1Pod>(kc, `/api/v1/namespaces/${ns}/pods`, () => core.listNamespacedPod({ namespace: ns }));
      const added: string[] = [];
      const errors: unknown[] = [];
      informer.on('add', (p) => added.push(p.metadata?.name ?? '?'));
      informer.on('error', (error) => errors.push(error));
      await informer.start();
      try {
        await vi.waitFor(() => expect(added).toEqual(['before']), WAIT);
        await core.createNamespacedPod({ namespace: ns, body: pod('after') });
        await vi.waitFor(() => expect(added).toEqual(['before', 'after']), WAIT);
        expect(informer.list(ns).map((p) => p.metadata?.name).sort()).toEqual(['after', 'before']);
        expect(informer.get('after', ns)?.status?.phase).toBe('Pending');
        // Errors while it ran; stop() itself aborts the watch, which client-node 1.x reports as an AbortError.
        expect(errors).toEqual([]);
      } finally {
        await informer.stop();
      }
    });
  });
});
