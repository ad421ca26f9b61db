// The garbage collector: deleting an owner deletes its dependents (the objects whose
// ownerReferences name its uid), by the propagation policy the delete asked for:
// - Background (default): the owner goes at once; its dependents, now pointing at a uid that
//   no longer exists, are deleted afterwards.
// - Foreground: the owner stays with the foregroundDeletion finalizer; its dependents are
//   deleted first, and the finalizer is removed once no dependent with blockOwnerDeletion
//   remains.
// - Orphan: the owner stays with the orphan finalizer until its dependents' references to it
//   are removed; the dependents live on.
// sync(key) handles one object: its own finalizers if it is being deleted, else its owners.
// The caches say when to act; before deleting anything, fresh reads confirm the owners are
// really gone, so a lagging cache never costs a live object.

import type { ApiObject } from '../../client/api-client.js';
import { ApiClient, isNotFound } from '../../client/api-client.js';
import type { ControllerLoop } from '../../client/controller-loop.js';
import type { Informer } from '../../client/informer.js';
import { objectKey } from '../../client/informer.js';
import type { ResourceRef } from '../../client/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Env } from '../../env/env.js';
import { keyOf, splitKey } from '../controller-ref.js';
import { mutantOn, type ControllerMutants } from '../mutants.js';
import { OwnerGraph, type GraphNode, type OwnerReference } from './owner-graph.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

export interface GarbageCollectorOptions {
  readonly retryMaxMs?: number;
  readonly mutants?: ControllerMutants;
}

/** A watched resource and its informer. */
export interface MonitoredResource {
  readonly resource: ResourceRef;
  readonly informer: Informer<ApiObject>;
}

type OwnerState = 'solid' | 'dangling' | 'waiting';

function resourceId(r: ResourceRef): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function finalizersOf(obj: ApiObject): string[] {
  return obj.metadata?.finalizers ?? [];
}

function waitingForDependents(obj: ApiObject): boolean {
  return !!obj.metadata?.deletionTimestamp && finalizersOf(obj).includes(FOREGROUND_FINALIZER);
}

export class GarbageCollector implements ControllerLoop {
  readonly name = 'garbage-collector';
  /** Keys "<resource>:<namespace>/<name>" of objects whose owners or finalizers need a look. */
  readonly queue: WorkQueue<string>;
  sync: (key: string) => Promise<void> = (key) => this.syncObject(key);
  readonly graph = new OwnerGraph();
  private readonly monitored = new Map<string, MonitoredResource>();

  constructor(
    env: Env,
    private readonly client: ApiClient,
    resources: readonly MonitoredResource[],
    private readonly options: GarbageCollectorOptions = {},
  ) {
    this.queue = new WorkQueue<string>(env.timers, { maxMs: options.retryMaxMs ?? 60_000 });
    for (const m of resources) {
      this.monitored.set(resourceId(m.resource), m);
      m.informer.on({
        add: (obj) => this.changed(m.resource, undefined, obj),
        update: (old, obj) => {
          if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.changed(m.resource, old, obj);
        },
        delete: (obj) => this.deleted(obj),
      });
    }
  }

  private keyOf(resource: ResourceRef, key: string): string {
    return `${resourceId(resource)}:${key}`;
  }

  private enqueueNode(node: GraphNode): void {
    this.queue.add(this.keyOf(node.resource, node.key));
  }

  /** Owners that wait in foreground deletion: a change to one of their dependents may release them. */
  private enqueueWaitingOwners(owners: readonly OwnerReference[]): void {
    for (const ref of owners) {
      const owner = this.graph.get(ref.uid);
      if (owner) this.enqueueNode(owner);
    }
  }

  private changed(resource: ResourceRef, old: ApiObject | undefined, obj: ApiObject): void {
    const before = this.graph.upsert(resource, obj);
    const uid = obj.metadata?.uid ?? '';
    if (before) {
      const now = new Set((obj.metadata?.ownerReferences ?? []).map((r) => `${r.uid}/${String(r.blockOwnerDeletion)}`));
      this.enqueueWaitingOwners(before.owners.filter((r) => !now.has(`${r.uid}/${String(r.blockOwnerDeletion)}`)));
    }
    const m = obj.metadata ?? {};
    const finalizing = !!m.deletionTimestamp && (finalizersOf(obj).includes(FOREGROUND_FINALIZER) || finalizersOf(obj).includes(ORPHAN_FINALIZER));
    if (finalizing || (m.ownerReferences ?? []).length > 0) this.queue.add(this.keyOf(resource, objectKey(obj)));
    // An owner that just entered foreground deletion: its dependents go first.
    if (waitingForDependents(obj) && !(old && waitingForDependents(old))) for (const d of this.graph.dependentsOf(uid)) this.enqueueNode(d);
  }

  private deleted(obj: ApiObject): void {
    const uid = obj.metadata?.uid ?? '';
    const node = this.graph.remove(uid);
    // Its dependents now point at nothing.
    for (const d of this.graph.dependentsOf(uid)) this.enqueueNode(d);
    if (node) this.enqueueWaitingOwners(node.owners);
  }

  // ---- sync ----

  private async syncObject(key: string): Promise<void> {
    const colon = key.indexOf(':');
    const monitored = this.monitored.get(key.slice(0, colon));
    const obj = monitored?.informer.get(key.slice(colon + 1));
    if (!monitored || !obj) return;
    const finalizers = finalizersOf(obj);
    if (obj.metadata?.deletionTimestamp) {
      if (finalizers.includes(ORPHAN_FINALIZER)) await this.orphanDependents(monitored.resource, obj);
      else if (finalizers.includes(FOREGROUND_FINALIZER)) await this.processDeletingDependents(monitored.resource, obj);
      return;
    }
    if ((obj.metadata?.ownerReferences ?? []).length > 0) await this.attemptToDelete(monitored.resource, obj);
  }

  /** Orphan propagation: remove every dependent's reference to the owner, then the finalizer. */
  private async orphanDependents(resource: ResourceRef, owner: ApiObject): Promise<void> {
    const uid = owner.metadata?.uid ?? '';
    const dependents = this.graph.dependentsOf(uid);
    if (mutantOn(this.options.mutants, 'gc-ignore-orphan')) {
      await Promise.all(dependents.map((d) => this.deleteNode(d, 'Background')));
    } else {
      await Promise.all(dependents.map((d) => this.removeOwnerRefs(d, new Set([uid]))));
    }
    await this.removeFinalizer(resource, owner, ORPHAN_FINALIZER);
  }

  /** Foreground propagation: delete the dependents; drop the finalizer once no blocking one is left. */
  private async processDeletingDependents(resource: ResourceRef, owner: ApiObject): Promise<void> {
    const uid = owner.metadata?.uid ?? '';
    const dependents = this.graph.dependentsOf(uid);
    const blocking = dependents.filter((d) => d.owners.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blocking.length === 0 || mutantOn(this.options.mutants, 'gc-skip-foreground-wait')) {
      await this.removeFinalizer(resource, owner, FOREGROUND_FINALIZER);
      return;
    }
    // Each dependent's own sync sees its owner waiting and deletes itself.
    for (const d of dependents) this.enqueueNode(d);
  }

  /** The dependent's side: delete it if all its owners are gone or waiting, else drop references to those. */
  private async attemptToDelete(resource: ResourceRef, cached: ApiObject): Promise<void> {
    const quick = cached.metadata?.ownerReferences ?? [];
    const states = quick.map((r) => this.cachedOwnerState(r, cached, resource));
    // The caches show every owner alive and not waiting: nothing to do (a delete event will
    // bring this object back here if that changes).
    if (states.every((s) => s === 'solid')) return;
    const m = cached.metadata ?? {};
    let latest: ApiObject;
    try {
      latest = await this.client.get<ApiObject>(resource, m.namespace, m.name ?? '');
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (latest.metadata?.uid !== m.uid || latest.metadata?.deletionTimestamp) return;
    const owners = latest.metadata?.ownerReferences ?? [];
    const live = await Promise.all(owners.map((r) => this.liveOwnerState(r, latest, resource)));
    const solid = owners.filter((_, i) => live[i] === 'solid');
    const gone = new Set(owners.filter((_, i) => live[i] !== 'solid').map((r) => r.uid));
    if (gone.size === 0) return;
    if (solid.length > 0) {
      await this.removeOwnerRefs({ resource, key: objectKey(latest), uid: latest.metadata?.uid ?? '', owners }, gone, latest);
      return;
    }
    const waiting = live.includes('waiting');
    const hasDependents = this.graph.dependentsOf(latest.metadata?.uid ?? '').length > 0;
    // Under an owner in foreground deletion the dependent is deleted in the foreground too,
    // so the owner's wait covers its grandchildren.
    await this.deleteObject(resource, latest, waiting && hasDependents ? 'Foreground' : 'Background');
  }

  /** Where a known owner kind is served: the resource, if this collector watches it. */
  private ownerResource(ref: OwnerReference): MonitoredResource | undefined {
    const group = groupOf(ref.apiVersion);
    for (const m of this.monitored.values()) if (m.resource.kind === ref.kind && m.resource.group === group) return m;
    return undefined;
  }

  private ownerKey(ref: OwnerReference, owned: ApiObject, ownerResource: ResourceRef, ownedResource: ResourceRef): string | undefined {
    if (!ownerResource.namespaced) return ref.name;
    // A namespaced owner of a cluster-scoped object cannot exist.
    if (!ownedResource.namespaced) return undefined;
    return keyOf(owned.metadata?.namespace, ref.name);
  }

  private cachedOwnerState(ref: OwnerReference, owned: ApiObject, ownedResource: ResourceRef): OwnerState {
    const m = this.ownerResource(ref);
    // An owner kind this collector does not watch cannot be judged: leave the object alone.
    if (!m) return 'solid';
    const key = this.ownerKey(ref, owned, m.resource, ownedResource);
    const owner = key === undefined ? undefined : m.informer.get(key);
    if (!owner || owner.metadata?.uid !== ref.uid) return 'dangling';
    return waitingForDependents(owner) ? 'waiting' : 'solid';
  }

  private async liveOwnerState(ref: OwnerReference, owned: ApiObject, ownedResource: ResourceRef): Promise<OwnerState> {
    const m = this.ownerResource(ref);
    if (!m) return 'solid';
    const key = this.ownerKey(ref, owned, m.resource, ownedResource);
    if (key === undefined) return 'dangling';
    const { namespace, name } = splitKey(key);
    try {
      const owner = await this.client.get<ApiObject>(m.resource, namespace, name);
      if (owner.metadata?.uid !== ref.uid) return 'dangling';
      return waitingForDependents(owner) ? 'waiting' : 'solid';
    } catch (e) {
      if (isNotFound(e)) return 'dangling';
      throw e;
    }
  }

  private async deleteNode(node: GraphNode, policy: 'Background' | 'Foreground'): Promise<void> {
    const obj = this.monitored.get(resourceId(node.resource))?.informer.get(node.key);
    if (obj) await this.deleteObject(node.resource, obj, policy);
  }

  private async deleteObject(resource: ResourceRef, obj: ApiObject, policy: 'Background' | 'Foreground'): Promise<void> {
    const m = obj.metadata ?? {};
    try {
      await this.client.delete(resource, m.namespace, m.name ?? '', { propagationPolicy: policy, preconditions: { uid: m.uid ?? '' } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Drops the references to the given owner uids (resourceVersion precondition: a conflict retries). */
  private async removeOwnerRefs(node: GraphNode, uids: ReadonlySet<string>, fresh?: ApiObject): Promise<void> {
    const obj = fresh ?? this.monitored.get(resourceId(node.resource))?.informer.get(node.key);
    if (!obj) return;
    const m = obj.metadata ?? {};
    const refs = (m.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
    if (refs.length === (m.ownerReferences ?? []).length) return;
    try {
      await this.client.patch(node.resource, m.namespace, m.name ?? '', 'merge', { metadata: { resourceVersion: m.resourceVersion, ownerReferences: refs.length > 0 ? refs : null } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  private async removeFinalizer(resource: ResourceRef, obj: ApiObject, finalizer: string): Promise<void> {
    const m = obj.metadata ?? {};
    const rest = finalizersOf(obj).filter((f) => f !== finalizer);
    try {
      await this.client.patch(resource, m.namespace, m.name ?? '', 'merge', { metadata: { resourceVersion: m.resourceVersion, finalizers: rest.length > 0 ? rest : null } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
