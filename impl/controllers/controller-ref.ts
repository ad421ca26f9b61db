// Owner references as controllers use them: the one controllerRef (controller: true) that
// says which controller manages an object, and the references a controller writes when it
// creates or adopts an object (blockOwnerDeletion, so foreground deletion waits for it).

import type { ApiObject, ObjectMeta } from '../client/api-client.js';

export type OwnerReference = NonNullable<ObjectMeta['ownerReferences']>[number];

/** The owner reference with controller: true, if any. */
export function controllerRefOf(obj: ApiObject): OwnerReference | undefined {
  return (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
}

/** The reference a controller puts on what it creates or adopts. */
export function newControllerRef(owner: ApiObject, apiVersion: string, kind: string): OwnerReference {
  const m = owner.metadata ?? {};
  return { apiVersion, kind, name: m.name ?? '', uid: m.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Whether `obj` is controlled by the object with this uid. */
export function isControlledBy(obj: ApiObject, ownerUid: string | undefined): boolean {
  return ownerUid !== undefined && controllerRefOf(obj)?.uid === ownerUid;
}

/** namespace/name, as informer caches and work queues key namespaced objects. */
export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a work-queue key into namespace and name. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
