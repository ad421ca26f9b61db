// The namespace controller: a Namespace being deleted (deletionTimestamp set, still holding
// the "kubernetes" finalizer in spec.finalizers) is emptied of every namespaced object, and
// once a fresh list finds nothing left, the finalizer is removed through the finalize
// subresource, which lets the API server delete the Namespace. Pods that terminate
// gracefully keep the namespace waiting until their kubelets are done.

import type { Namespace } from 'kubernetes-types/core/v1.js';
import { ApiClient, isConflict, isNotFound, type ApiObject } from '../../client/api-client.js';
import type { ControllerLoop } from '../../client/controller-loop.js';
import type { Informer } from '../../client/informer.js';
import { DEPLOYMENTS, EVENTS, LEASES, NAMESPACES, PODS, REPLICASETS, SERVICES, type ResourceRef } from '../../client/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Env } from '../../env/env.js';

export const KUBERNETES_FINALIZER = 'kubernetes';

const rbac = (plural: string, kind: string): ResourceRef => ({ group: 'rbac.authorization.k8s.io', version: 'v1', plural, kind, namespaced: true });

/**
 * The namespaced resources of the reference API server. Upstream discovers them; a fixed
 * list is enough for a server whose resources are fixed, and a caller serving more passes
 * its own.
 */
export const NAMESPACED_RESOURCES: readonly ResourceRef[] = [DEPLOYMENTS, REPLICASETS, PODS, SERVICES, LEASES, rbac('roles', 'Role'), rbac('rolebindings', 'RoleBinding'), EVENTS];

export interface NamespaceControllerOptions {
  readonly resources?: readonly ResourceRef[];
  /** How long to wait before looking again at a namespace whose content is still terminating. */
  readonly pollMs?: number;
  readonly retryMaxMs?: number;
}

export class NamespaceController implements ControllerLoop {
  readonly name = 'namespace-controller';
  /** Names of namespaces that may be terminating. */
  readonly queue: WorkQueue<string>;
  sync: (key: string) => Promise<void> = (key) => this.syncNamespace(key);

  constructor(
    env: Env,
    private readonly client: ApiClient,
    private readonly namespaces: Informer<Namespace>,
    private readonly options: NamespaceControllerOptions = {},
  ) {
    this.queue = new WorkQueue<string>(env.timers, { maxMs: options.retryMaxMs ?? 60_000 });
    const enqueue = (ns: Namespace) => {
      if (ns.metadata?.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    };
    namespaces.on({ add: enqueue, update: (_old, ns) => enqueue(ns) });
  }

  private get resources(): readonly ResourceRef[] {
    return this.options.resources ?? NAMESPACED_RESOURCES;
  }

  private async syncNamespace(name: string): Promise<void> {
    const ns = this.namespaces.get(name);
    if (!ns?.metadata?.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)) return;
    // Delete everything, then check with fresh lists: deletes of graceful pods or of objects
    // with finalizers leave them in place for a while.
    await Promise.all(this.resources.map((r) => this.deleteAll(r, name)));
    let remaining = 0;
    for (const r of this.resources) remaining += (await this.client.list(r, name)).items.length;
    if (remaining > 0) {
      this.queue.addAfter(name, this.options.pollMs ?? 1000);
      return;
    }
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER);
    try {
      await this.client.update<ApiObject>(NAMESPACES, { ...ns, spec: { ...ns.spec, finalizers } } as ApiObject, 'finalize');
    } catch (e) {
      if (isNotFound(e)) return;
      // A newer version of the namespace: its update event brings it back here.
      if (isConflict(e)) return;
      throw e;
    }
  }

  private async deleteAll(resource: ResourceRef, namespace: string): Promise<void> {
    const { items } = await this.client.list(resource, namespace);
    await Promise.all(
      items
        .filter((o) => !o.metadata?.deletionTimestamp)
        .map(async (o) => {
          try {
            await this.client.delete(resource, namespace, o.metadata?.name ?? '', { preconditions: { uid: o.metadata?.uid ?? '' } });
          } catch (e) {
            if (!isNotFound(e) && !isConflict(e)) throw e;
          }
        }),
    );
  }
}
