// What the API server knows about one served resource: its names for discovery and REST
// paths, and the strategy that defaults, validates and prints its objects.

import type { StatusCause } from './status.js';
import type { TableColumn } from './table.js';

/** A Kubernetes object as JSON: apiVersion, kind, metadata and whatever else the kind has. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

/** Context a strategy may need: the time now (Env clock) for ages and timestamps. */
export interface StrategyContext {
  readonly now: number;
}

/** Kind-specific behaviour, as upstream's registry strategies. */
export interface ResourceStrategy {
  /** Sets upstream defaults in place (the object is the server's own copy). */
  defaults(obj: KubeObject): void;
  /** Semantic validation beyond the schema; `old` is set for updates. */
  validate(obj: KubeObject, old: KubeObject | undefined): StatusCause[];
  /** Field-selector values: e.g. spec.nodeName for pods. metadata.name/namespace are generic. */
  fieldValue?(obj: KubeObject, field: string): string | undefined;
  /** Fields a field selector may name beyond metadata.name and metadata.namespace. */
  readonly selectableFields?: readonly string[];
  /** Columns for `kubectl get` (Table output); Name and Age are added by the server. */
  readonly columns?: readonly TableColumn[];
  /** The columns are the whole table (no Name and Age added), as for Events. */
  readonly replaceColumns?: boolean;
  /** Adjusts an object being created (e.g. initial status). */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  /** Whether a change from old to new of the main resource bumps metadata.generation. */
  specChanged?(obj: KubeObject, old: KubeObject): boolean;
  /** Default grace period for deletion (pods: spec.terminationGracePeriodSeconds); absent = immediate. */
  gracePeriodSeconds?(obj: KubeObject): number | undefined;
}

export interface ResourceType {
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
  /** Subresources served: status, scale, binding, log, finalize (namespaces). */
  readonly subresources: readonly ('status' | 'scale' | 'binding' | 'log' | 'finalize')[];
  readonly strategy: ResourceStrategy;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

export function apiVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}
