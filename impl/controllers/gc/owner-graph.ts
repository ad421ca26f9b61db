// The garbage collector's picture of ownership: every object it watches, by uid, with its
// owner references, and the reverse index from an owner's uid to its dependents. Built from
// informer events only; an owner that is not (or no longer) in the graph is simply a uid
// its dependents point at, which is how the collector notices owners that are gone.

import type { ApiObject, ObjectMeta } from '../../client/api-client.js';
import { objectKey } from '../../client/informer.js';
import type { ResourceRef } from '../../client/resources.js';

export type OwnerReference = NonNullable<ObjectMeta['ownerReferences']>[number];

export interface GraphNode {
  readonly resource: ResourceRef;
  /** namespace/name (or name), as the informer keys it. */
  readonly key: string;
  readonly uid: string;
  readonly owners: readonly OwnerReference[];
}

export class OwnerGraph {
  private readonly byUid = new Map<string, GraphNode>();
  /** Owner uid → uids of the objects that name it in ownerReferences. */
  private readonly dependentsByOwner = new Map<string, Set<string>>();

  /** Records the object's current owners; returns what it had before (undefined if new). */
  upsert(resource: ResourceRef, obj: ApiObject): GraphNode | undefined {
    const uid = obj.metadata?.uid ?? '';
    const before = this.byUid.get(uid);
    if (before) this.unlink(before);
    const node: GraphNode = { resource, key: objectKey(obj), uid, owners: [...(obj.metadata?.ownerReferences ?? [])] };
    this.byUid.set(uid, node);
    for (const ref of node.owners) {
      let deps = this.dependentsByOwner.get(ref.uid);
      if (!deps) this.dependentsByOwner.set(ref.uid, (deps = new Set()));
      deps.add(uid);
    }
    return before;
  }

  /** Forgets the object; the dependents that name it stay indexed under its uid. */
  remove(uid: string): GraphNode | undefined {
    const node = this.byUid.get(uid);
    if (node) {
      this.unlink(node);
      this.byUid.delete(uid);
    }
    return node;
  }

  private unlink(node: GraphNode): void {
    for (const ref of node.owners) {
      const deps = this.dependentsByOwner.get(ref.uid);
      deps?.delete(node.uid);
      if (deps?.size === 0) this.dependentsByOwner.delete(ref.uid);
    }
  }

  get(uid: string): GraphNode | undefined {
    return this.byUid.get(uid);
  }

  dependentsOf(ownerUid: string): GraphNode[] {
    return [...(this.dependentsByOwner.get(ownerUid) ?? [])].flatMap((uid) => {
      const n = this.byUid.get(uid);
      return n ? [n] : [];
    });
  }
}
