import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Namespace, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { isNotFound, type ApiObject } from '../../client/api-client.js';
import { DEPLOYMENTS, NAMESPACES, PODS, REPLICASETS, SERVICES } from '../../client/resources.js';
import { controllersWorld, deploymentManifest, rolloutComplete, waitFor } from '../testing/controllers-world.testing.js';
import { NAMESPACED_RESOURCES } from './namespace-controller.js';

const ROLES = NAMESPACED_RESOURCES.find((r) => r.plural === 'roles')!;

describe('namespace controller', () => {
  it('empties a terminating namespace, waits for graceful pods, then finalizes it', async () => {
    const world = controllersWorld({ seed: 51 });
    world.startControllerManager({ controllers: ['namespace', 'deployment', 'replicaset', 'garbagecollector'] });
    world.startFakeKubelet({ nodes: ['node-a'], stopDelayMs: 4_000 });
    await world.drive(async (env, client) => {
      await client.create<Namespace>(NAMESPACES, undefined, { metadata: { name: 'team' } });
      await client.create(DEPLOYMENTS, 'team', deploymentManifest('web', { replicas: 2, namespace: 'team' }));
      await client.create(SERVICES, 'team', { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }], selector: { app: 'web' } } } as ApiObject);
      await client.create(ROLES, 'team', { metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] } as ApiObject);
      await waitFor(env, 'rollout', async () => (rolloutComplete(await client.get<Deployment>(DEPLOYMENTS, 'team', 'web')) ? true : undefined));

      await client.delete(NAMESPACES, undefined, 'team');
      const terminating = await client.get<Namespace>(NAMESPACES, undefined, 'team');
      expect(terminating.status?.phase).toBe('Terminating');
      expect(terminating.spec?.finalizers).toEqual(['kubernetes']);
      // Bound pods take 4 s to stop: meanwhile the namespace stays, without its other content.
      await env.timers.sleep(2_000);
      expect((await client.get<Namespace>(NAMESPACES, undefined, 'team')).metadata?.deletionTimestamp).toBeDefined();
      expect((await client.list(DEPLOYMENTS, 'team')).items).toEqual([]);
      expect((await client.list(ROLES, 'team')).items).toEqual([]);
      const pods = (await client.list<Pod>(PODS, 'team')).items;
      expect(pods.length).toBe(2);
      expect(pods.every((p) => p.metadata?.deletionTimestamp)).toBe(true);
      await expect(client.create(PODS, 'team', { metadata: { name: 'late' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as ApiObject)).rejects.toThrow(/being terminated/);

      await waitFor(env, 'namespace gone', () => client.get(NAMESPACES, undefined, 'team').then(() => undefined, (e: unknown) => (isNotFound(e) ? true : Promise.reject(e))));
      for (const r of [PODS, REPLICASETS, DEPLOYMENTS, SERVICES, ROLES]) expect((await client.list(r, 'team')).items).toEqual([]);
    });
  });

  it('the finalize subresource replaces spec.finalizers only', async () => {
    const world = controllersWorld({ seed: 52 });
    await world.drive(async (_env, client) => {
      const ns = await client.create<Namespace>(NAMESPACES, undefined, { metadata: { name: 'x', labels: { a: 'b' } } });
      const out = await client.update<Namespace>(NAMESPACES, { ...ns, metadata: { ...ns.metadata, labels: { changed: 'yes' } }, spec: { finalizers: ['kubernetes', 'example.com/other'] } }, 'finalize');
      expect(out.spec?.finalizers).toEqual(['kubernetes', 'example.com/other']);
      expect(out.metadata?.labels).toEqual(ns.metadata?.labels);
      await client.delete(NAMESPACES, undefined, 'x');
      const t = await client.get<Namespace>(NAMESPACES, undefined, 'x');
      await client.update<Namespace>(NAMESPACES, { ...t, spec: { finalizers: [] } }, 'finalize');
      await expect(client.get(NAMESPACES, undefined, 'x')).rejects.toThrow(/not found/);
    });
  });
});
