// The patch strategy of each field, as data: what upstream declares in Go struct tags
// (`patchStrategy:"merge" patchMergeKey:"name"`) for the kinds this project serves. Strategic
// merge patch and server-side apply read it to know which lists merge and by what key.
// Another kind is one more table; fields not in a table get the defaults (maps merge,
// lists are atomic and replace).

/** How a patch treats one field. */
export interface FieldPatchMeta {
  /**
   * 'merge': a list merges element by element, maps by `mergeKey`, primitives as a set;
   * 'replace': the patch value replaces the field whole (a list's default, so lists are
   * listed only when they merge; a map with 'replace' is replaced instead of merged).
   */
  readonly strategy: 'merge' | 'replace';
  /** The member that identifies an element of a merging list of maps. */
  readonly mergeKey?: string;
  /**
   * Upstream's `retainKeys` (a union such as DeploymentStrategy or a Volume's source): the
   * client sends `$retainKeys` so that switching the union's member clears the old one. The
   * server honours `$retainKeys` wherever it appears; this flag records the declaration.
   */
  readonly retainKeys?: boolean;
}

/**
 * Field path → patch meta for one kind. A path is the field names from the object's root
 * joined by ".", with "[]" after a list to step into its elements:
 * "spec.template.spec.containers[].env".
 */
export type PatchSchema = Readonly<Record<string, FieldPatchMeta>>;

const merge = (mergeKey?: string): FieldPatchMeta => (mergeKey ? { strategy: 'merge', mergeKey } : { strategy: 'merge' });

/** `fields` with every path moved under `prefix`. */
export function under(prefix: string, fields: PatchSchema): PatchSchema {
  return Object.fromEntries(Object.entries(fields).map(([path, meta]) => [`${prefix}.${path}`, meta]));
}

/** The patch meta of the field at `path`, or undefined for the defaults. */
export function patchMetaAt(schema: PatchSchema, path: string): FieldPatchMeta | undefined {
  return Object.prototype.hasOwnProperty.call(schema, path) ? schema[path] : undefined;
}

/** Joins a field onto a path ("" is the object's root). */
export function childPath(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

/** The path of a list's elements. */
export function elementPath(listPath: string): string {
  return `${listPath}[]`;
}

// metav1.ObjectMeta: ownerReferences by uid; finalizers merge as a set of strings.
export const OBJECT_META: PatchSchema = {
  ownerReferences: merge('uid'),
  finalizers: merge(),
};

// core/v1 Container (also initContainers and ephemeralContainers). volumeMounts merge by
// mountPath, not name: two mounts of one volume at different paths are both kept.
// envFrom, command, args and resizePolicy are atomic.
export const CONTAINER: PatchSchema = {
  ports: merge('containerPort'),
  env: merge('name'),
  volumeMounts: merge('mountPath'),
  volumeDevices: merge('devicePath'),
};

// core/v1 PodSpec. tolerations, readinessGates and affinity's term lists are atomic.
export const POD_SPEC: PatchSchema = {
  volumes: { strategy: 'merge', mergeKey: 'name', retainKeys: true },
  initContainers: merge('name'),
  ...under('initContainers[]', CONTAINER),
  containers: merge('name'),
  ...under('containers[]', CONTAINER),
  ephemeralContainers: merge('name'),
  ...under('ephemeralContainers[]', CONTAINER),
  imagePullSecrets: merge('name'),
  hostAliases: merge('ip'),
  topologySpreadConstraints: merge('topologyKey'),
  schedulingGates: merge('name'),
  resourceClaims: { strategy: 'merge', mergeKey: 'name', retainKeys: true },
};

// core/v1 PodStatus. containerStatuses are atomic.
export const POD_STATUS: PatchSchema = {
  conditions: merge('type'),
  podIPs: merge('ip'),
  hostIPs: merge('ip'),
};

// core/v1 PodTemplateSpec, as embedded in Deployment and ReplicaSet.
export const POD_TEMPLATE: PatchSchema = {
  ...under('metadata', OBJECT_META),
  ...under('spec', POD_SPEC),
};

const conditionsByType: PatchSchema = { conditions: merge('type') };
const metadataOnly: PatchSchema = under('metadata', OBJECT_META);

/** The core kinds the reference API server serves, by kind. */
export const CORE_PATCH_SCHEMAS: ReadonlyMap<string, PatchSchema> = new Map<string, PatchSchema>([
  ['Pod', { ...metadataOnly, ...under('spec', POD_SPEC), ...under('status', POD_STATUS) }],
  [
    'Deployment',
    {
      ...metadataOnly,
      'spec.strategy': { strategy: 'merge', retainKeys: true },
      ...under('spec.template', POD_TEMPLATE),
      ...under('status', conditionsByType),
    },
  ],
  ['ReplicaSet', { ...metadataOnly, ...under('spec.template', POD_TEMPLATE), ...under('status', conditionsByType) }],
  // spec.finalizers of a Namespace is atomic (unlike metadata.finalizers).
  ['Namespace', { ...metadataOnly, ...under('status', conditionsByType) }],
  // spec.taints is atomic; spec.podCIDRs merges as a set.
  [
    'Node',
    {
      ...metadataOnly,
      'spec.podCIDRs': merge(),
      'status.conditions': merge('type'),
      'status.addresses': merge('type'),
    },
  ],
  // status.loadBalancer.ingress is atomic.
  ['Service', { ...metadataOnly, 'spec.ports': merge('port'), ...under('status', conditionsByType) }],
  ['Event', metadataOnly],
  ['Lease', metadataOnly],
  // autoscaling/v1 Scale, the body of PATCH .../deployments/NAME/scale.
  ['Scale', metadataOnly],
]);

/**
 * The patch schema of a kind this server knows, or undefined: upstream answers a strategic
 * merge patch to a kind without Go struct tags (a custom resource) with 415, and so should
 * the caller.
 */
export function patchSchemaFor(kind: string): PatchSchema | undefined {
  return CORE_PATCH_SCHEMAS.get(kind);
}
