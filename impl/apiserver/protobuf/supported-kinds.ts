// The kinds whose protobuf bodies this decoder understands, by apiVersion and kind: the ones
// kubectl's typed client sends as protobuf (create deployment, namespace, service, configmap,
// secret) plus Pod and ReplicaSet, which Go clients create the same way.

import type { MessageSchema } from './message-schema.js';
import { Deployment, ReplicaSet } from './schemas/apps-v1.js';
import { ConfigMap, Namespace, Pod, Secret, Service } from './schemas/core-v1.js';

export interface GroupVersionKind {
  readonly apiVersion: string;
  readonly kind: string;
}

const schemas: ReadonlyArray<GroupVersionKind & { readonly schema: MessageSchema }> = [
  { apiVersion: 'apps/v1', kind: 'Deployment', schema: Deployment },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', schema: ReplicaSet },
  { apiVersion: 'v1', kind: 'ConfigMap', schema: ConfigMap },
  { apiVersion: 'v1', kind: 'Namespace', schema: Namespace },
  { apiVersion: 'v1', kind: 'Pod', schema: Pod },
  { apiVersion: 'v1', kind: 'Secret', schema: Secret },
  { apiVersion: 'v1', kind: 'Service', schema: Service },
];

// A Map, not an object: apiVersion and kind come from the request and must not reach prototypes.
const byKey = new Map(schemas.map((s) => [key(s.apiVersion, s.kind), s.schema]));

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}\u0000${kind}`;
}

/** The kinds `decodeKubernetesProtobuf` accepts; anything else gets an `unsupported` error. */
export const SUPPORTED_PROTOBUF_KINDS: readonly GroupVersionKind[] = schemas.map(({ apiVersion, kind }) => ({ apiVersion, kind }));

export function schemaFor(apiVersion: string, kind: string): MessageSchema | undefined {
  return byKey.get(key(apiVersion, kind));
}
