// The objects the API-server property suites write: valid Pods, Deployments and Namespaces
// with chosen labels, where each lives (REST paths, store keys), and their bodies in the
// encodings clients send (JSON, YAML, Kubernetes protobuf).

import { stringify as toYaml } from 'yaml';
import type { JsonObject } from '../../impl/apiserver/protobuf/json.js';
import { encodeKubernetesProtobuf } from '../../impl/apiserver/protobuf/testing/encode-message.js';
import type { RequestOptions } from './reference-server.js';

export type Kind = 'pod' | 'deployment' | 'namespace';
export type Labels = Readonly<Record<string, string>>;

export interface KindInfo {
  readonly kind: string;
  readonly apiVersion: string;
  readonly group: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export const KINDS: Readonly<Record<Kind, KindInfo>> = {
  pod: { kind: 'Pod', apiVersion: 'v1', group: '', plural: 'pods', namespaced: true },
  deployment: { kind: 'Deployment', apiVersion: 'apps/v1', group: 'apps', plural: 'deployments', namespaced: true },
  namespace: { kind: 'Namespace', apiVersion: 'v1', group: '', plural: 'namespaces', namespaced: false },
};

function groupVersionPath(k: KindInfo): string {
  return k.group ? `/apis/${k.apiVersion}` : `/api/${k.apiVersion}`;
}

/** The collection path: in a namespace, or across all of them when `namespace` is undefined. */
export function collectionPath(kind: Kind, namespace?: string): string {
  const k = KINDS[kind];
  return k.namespaced && namespace !== undefined ? `${groupVersionPath(k)}/namespaces/${namespace}/${k.plural}` : `${groupVersionPath(k)}/${k.plural}`;
}

export function itemPath(kind: Kind, namespace: string | undefined, name: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
}

export function storeKey(kind: Kind, namespace: string | undefined, name: string): string {
  const k = KINDS[kind];
  return k.namespaced ? `/registry/${k.plural}/${namespace ?? ''}/${name}` : `/registry/${k.plural}/${name}`;
}

const CONTAINERS = [{ name: 'main', image: 'busybox:1.36' }];

/** A valid object of `kind` named `name`. */
export function manifest(kind: Kind, name: string, labels: Labels = {}): Record<string, unknown> {
  const k = KINDS[kind];
  const metadata = { name, ...(Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}) };
  switch (kind) {
    case 'pod':
      return { apiVersion: k.apiVersion, kind: k.kind, metadata, spec: { containers: structuredClone(CONTAINERS) } };
    case 'deployment':
      return {
        apiVersion: k.apiVersion,
        kind: k.kind,
        metadata,
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: structuredClone(CONTAINERS) } },
        },
      };
    case 'namespace':
      return { apiVersion: k.apiVersion, kind: k.kind, metadata };
  }
}

export type Encoding = 'json' | 'yaml' | 'protobuf';

/** Body and content type of `obj` in `encoding`. */
export function encoded(obj: Record<string, unknown>, encoding: Encoding): Pick<RequestOptions, 'body' | 'contentType'> {
  switch (encoding) {
    case 'json':
      return { body: obj, contentType: 'application/json' };
    case 'yaml':
      return { body: toYaml(obj), contentType: 'application/yaml' };
    case 'protobuf':
      return { body: encodeKubernetesProtobuf(obj as JsonObject, 'sparse'), contentType: 'application/vnd.kubernetes.protobuf' };
  }
}
