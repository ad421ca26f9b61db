// Generates impl/api/schema/definitions.json: OpenAPI v3 component schemas, under upstream
// names, for every type reachable from the kinds the reference API server serves. The
// source is @kubernetes/client-node's model metadata (attributeTypeMap: field types and
// formats) and its .d.ts files (upstream descriptions as JSDoc, required fields as
// non-optional properties). Run: npm run gen:schemas (npx tsx scripts/gen-schemas.ts).
//
// client-node flattens a few upstream types, so some knowledge lives here by hand: which
// Go package a model comes from (it names most types only "V1Foo"), which string fields
// are resource.Quantity, and the strategic-merge-patch tags of list fields. Each hand
// entry is checked against the models, so a client-node upgrade that renames a field
// fails the generator instead of silently dropping it.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as models from '@kubernetes/client-node/dist/gen/models/all.js';

/** One field as client-node's generated model describes it. */
interface Attribute {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

/** A schema in the subset of OpenAPI v3 this generator writes. */
interface Schema {
  description?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema;
  $ref?: string;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  anyOf?: Schema[];
  allOf?: Schema[];
}

interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const modelsDir = dirname(require.resolve('@kubernetes/client-node/dist/gen/models/all.js'));

const REF_PREFIX = '#/components/schemas/';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** The served kinds (and their lists), as client-node model names with their GVKs. */
const ROOT_KINDS: readonly { model: string; gvks: readonly GroupVersionKind[] }[] = [
  ...kindAndList('', 'v1', 'Namespace'),
  ...kindAndList('', 'v1', 'Node'),
  ...kindAndList('', 'v1', 'Pod'),
  ...kindAndList('', 'v1', 'Service'),
  { model: 'CoreV1Event', gvks: [{ group: '', version: 'v1', kind: 'Event' }] },
  { model: 'CoreV1EventList', gvks: [{ group: '', version: 'v1', kind: 'EventList' }] },
  { model: 'V1Binding', gvks: [{ group: '', version: 'v1', kind: 'Binding' }] },
  ...kindAndList('apps', 'v1', 'Deployment'),
  ...kindAndList('apps', 'v1', 'ReplicaSet'),
  { model: 'V1Scale', gvks: [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }] },
  ...kindAndList('coordination.k8s.io', 'v1', 'Lease'),
  ...kindAndList('rbac.authorization.k8s.io', 'v1', 'Role'),
  ...kindAndList('rbac.authorization.k8s.io', 'v1', 'ClusterRole'),
  ...kindAndList('rbac.authorization.k8s.io', 'v1', 'RoleBinding'),
  ...kindAndList('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding'),
  { model: 'V1Status', gvks: [{ group: '', version: 'v1', kind: 'Status' }] },
  // Upstream lists DeleteOptions under every group; these are the groups served here.
  {
    model: 'V1DeleteOptions',
    gvks: ['', 'apps', 'autoscaling', 'coordination.k8s.io', 'rbac.authorization.k8s.io'].map((group) => ({
      group,
      version: 'v1',
      kind: 'DeleteOptions',
    })),
  },
];

function kindAndList(group: string, version: string, kind: string): { model: string; gvks: GroupVersionKind[] }[] {
  return [
    { model: `V1${kind}`, gvks: [{ group, version, kind }] },
    { model: `V1${kind}List`, gvks: [{ group, version, kind: `${kind}List` }] },
  ];
}

/** Upstream Go package of every reachable model that is not core/v1 (client-node drops it). */
const PACKAGES: Readonly<Record<string, string>> = {
  ...packageOf('io.k8s.apimachinery.pkg.apis.meta.v1', [
    'Condition', 'DeleteOptions', 'LabelSelector', 'LabelSelectorRequirement', 'ListMeta',
    'ManagedFieldsEntry', 'ObjectMeta', 'OwnerReference', 'Preconditions', 'ShardInfo', 'Status',
    'StatusCause', 'StatusDetails',
  ]),
  ...packageOf('io.k8s.api.apps.v1', [
    'Deployment', 'DeploymentCondition', 'DeploymentList', 'DeploymentSpec', 'DeploymentStatus',
    'DeploymentStrategy', 'ReplicaSet', 'ReplicaSetCondition', 'ReplicaSetList', 'ReplicaSetSpec',
    'ReplicaSetStatus', 'RollingUpdateDeployment',
  ]),
  ...packageOf('io.k8s.api.autoscaling.v1', ['Scale', 'ScaleSpec', 'ScaleStatus']),
  ...packageOf('io.k8s.api.coordination.v1', ['Lease', 'LeaseList', 'LeaseSpec']),
  ...packageOf('io.k8s.api.rbac.v1', [
    'AggregationRule', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'ClusterRoleList',
    'PolicyRule', 'Role', 'RoleBinding', 'RoleBindingList', 'RoleList', 'RoleRef', 'Subject',
  ]),
};

function packageOf(pkg: string, kinds: readonly string[]): Record<string, string> {
  return Object.fromEntries(kinds.map((k) => [k, pkg]));
}

/**
 * Model names that would belong to a non-core package if they appeared unlisted: a guard
 * against a new apps or rbac type being filed under core/v1 by default.
 */
const NON_CORE_LOOKALIKE = /^(Deployment|ReplicaSet|RollingUpdate|Scale|Lease|Role|ClusterRole|PolicyRule|Aggregation|Subject)/;
/** core/v1 types that match NON_CORE_LOOKALIKE all the same. */
const CORE_LOOKALIKES: ReadonlySet<string> = new Set(['ScaleIOVolumeSource']);

/** Fields whose upstream type is resource.Quantity (client-node types them as string). */
const QUANTITY_FIELDS: readonly string[] = [
  'V1ContainerStatus.allocatedResources',
  'V1EmptyDirVolumeSource.sizeLimit',
  'V1NodeStatus.allocatable',
  'V1NodeStatus.capacity',
  'V1PodSpec.overhead',
  'V1ResourceFieldSelector.divisor',
  'V1ResourceRequirements.limits',
  'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests',
];

/** Strategic-merge-patch tags of upstream Go struct fields (patchStrategy, patchMergeKey). */
const PATCH_TAGS: Readonly<Record<string, { strategy: string; key?: string }>> = {
  'V1Container.env': { strategy: 'merge', key: 'name' },
  'V1Container.ports': { strategy: 'merge', key: 'containerPort' },
  'V1Container.volumeDevices': { strategy: 'merge', key: 'devicePath' },
  'V1Container.volumeMounts': { strategy: 'merge', key: 'mountPath' },
  'V1ContainerStatus.volumeMounts': { strategy: 'merge', key: 'mountPath' },
  'V1EphemeralContainer.env': { strategy: 'merge', key: 'name' },
  'V1EphemeralContainer.ports': { strategy: 'merge', key: 'containerPort' },
  'V1EphemeralContainer.volumeDevices': { strategy: 'merge', key: 'devicePath' },
  'V1EphemeralContainer.volumeMounts': { strategy: 'merge', key: 'mountPath' },
  'V1PodSpec.containers': { strategy: 'merge', key: 'name' },
  'V1PodSpec.ephemeralContainers': { strategy: 'merge', key: 'name' },
  'V1PodSpec.hostAliases': { strategy: 'merge', key: 'ip' },
  'V1PodSpec.imagePullSecrets': { strategy: 'merge', key: 'name' },
  'V1PodSpec.initContainers': { strategy: 'merge', key: 'name' },
  'V1PodSpec.resourceClaims': { strategy: 'merge,retainKeys', key: 'name' },
  'V1PodSpec.schedulingGates': { strategy: 'merge', key: 'name' },
  'V1PodSpec.topologySpreadConstraints': { strategy: 'merge', key: 'topologyKey' },
  'V1PodSpec.volumes': { strategy: 'merge,retainKeys', key: 'name' },
  'V1PodStatus.conditions': { strategy: 'merge', key: 'type' },
  'V1PodStatus.hostIPs': { strategy: 'merge', key: 'ip' },
  'V1PodStatus.podIPs': { strategy: 'merge', key: 'ip' },
  'V1PodStatus.resourceClaimStatuses': { strategy: 'merge,retainKeys', key: 'name' },
  'V1NodeSpec.podCIDRs': { strategy: 'merge' },
  'V1NodeStatus.addresses': { strategy: 'merge', key: 'type' },
  'V1NodeStatus.conditions': { strategy: 'merge', key: 'type' },
  'V1NamespaceStatus.conditions': { strategy: 'merge', key: 'type' },
  'V1ServiceSpec.ports': { strategy: 'merge', key: 'port' },
  'V1ServiceStatus.conditions': { strategy: 'merge', key: 'type' },
  'V1ObjectMeta.finalizers': { strategy: 'merge' },
  'V1ObjectMeta.ownerReferences': { strategy: 'merge', key: 'uid' },
  'V1DeploymentSpec.strategy': { strategy: 'retainKeys' },
  'V1DeploymentStatus.conditions': { strategy: 'merge', key: 'type' },
  'V1ReplicaSetStatus.conditions': { strategy: 'merge', key: 'type' },
};

/** Named scalar schemas client-node inlines; descriptions paraphrase upstream's. */
const NAMED_SCALARS: Readonly<Record<string, Schema>> = {
  [QUANTITY]: {
    description:
      'Quantity is a fixed-point representation of a number, serialized as a string such as "100m", "1.5", "2Gi" or "1e3": a signed decimal number followed by an optional suffix, binary SI (Ki, Mi, Gi, Ti, Pi, Ei), decimal SI (m, "", k, M, G, T, P, E) or a decimal exponent (e3, E-6). JSON numbers are accepted on input.',
    type: 'string',
  },
  [INT_OR_STRING]: {
    // Upstream's text, as client-node repeats it on every IntOrString field.
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
  },
};

/** Class and property documentation read from one model's .d.ts file. */
interface ModelDoc {
  readonly description?: string;
  readonly properties: ReadonlyMap<string, { readonly description?: string; readonly optional: boolean }>;
}

function readModelDoc(model: string): ModelDoc {
  const file = join(modelsDir, `${model}.d.ts`);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  let doc: ModelDoc | undefined;
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || node.name?.text !== model) return;
    const properties = new Map<string, { description?: string; optional: boolean }>();
    for (const member of node.members) {
      if (!ts.isPropertyDeclaration(member)) continue;
      if (member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
      const name = ts.isStringLiteral(member.name) || ts.isIdentifier(member.name) ? member.name.text : undefined;
      if (name === undefined) continue;
      properties.set(name, { description: jsDocText(member), optional: member.questionToken !== undefined });
    }
    doc = { description: jsDocText(node), properties };
  });
  if (doc === undefined) throw new Error(`${file}: no class ${model}`);
  return doc;
}

function jsDocText(node: ts.Node): string | undefined {
  const parts: string[] = [];
  for (const d of ts.getJSDocCommentsAndTags(node)) {
    if (!ts.isJSDoc(d)) continue;
    const text = ts.getTextOfJSDocComment(d.comment);
    if (text) parts.push(text);
  }
  // openapi-generator escapes quotes and backslashes inside the comment.
  const text = parts.join('\n').replace(/\\(['"\\])/g, '$1').trim();
  return text === '' ? undefined : text;
}

function attributesOf(model: string): readonly Attribute[] {
  const value: unknown = (models as Record<string, unknown>)[model];
  if (typeof value !== 'function') throw new Error(`client-node has no model ${model}`);
  const map: unknown = (value as { attributeTypeMap?: unknown }).attributeTypeMap;
  if (!Array.isArray(map)) throw new Error(`model ${model} has no attributeTypeMap`);
  return map.map((a: unknown): Attribute => {
    const { name, baseName, type, format } = (a ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof baseName !== 'string' || typeof type !== 'string' || typeof format !== 'string') {
      throw new Error(`model ${model}: malformed attribute ${JSON.stringify(a)}`);
    }
    return { name, baseName, type, format };
  });
}

function isModel(name: string): boolean {
  return typeof (models as Record<string, unknown>)[name] === 'function';
}

/** io.k8s.api.apps.v1.Deployment for V1Deployment, io.k8s.api.core.v1.Event for CoreV1Event. */
function upstreamName(model: string): string {
  const m = /^(CoreV1|RbacV1|V1)([A-Z]\w*)$/.exec(model);
  if (!m) throw new Error(`model ${model}: unexpected name; extend upstreamName`);
  const [, prefix, short] = m as unknown as [string, string, string];
  if (prefix === 'CoreV1') return `io.k8s.api.core.v1.${short}`;
  if (prefix === 'RbacV1') return `io.k8s.api.rbac.v1.${short}`;
  const pkg = PACKAGES[short];
  if (pkg) return `${pkg}.${short}`;
  if (NON_CORE_LOOKALIKE.test(short) && !CORE_LOOKALIKES.has(short)) throw new Error(`model ${model}: add it to PACKAGES (is it core/v1?)`);
  return `io.k8s.api.core.v1.${short}`;
}

const schemas = new Map<string, Schema>();
const modelOfSchema = new Map<string, string>();
const usedHandEntries = new Set<string>();

function ref(name: string): Schema {
  return { $ref: REF_PREFIX + name };
}

/** Converts a client-node type expression into a schema, queueing the models it names. */
function typeSchema(type: string, format: string, quantity: boolean, where: string): Schema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array?.[1]) return { type: 'array', items: typeSchema(array[1], format, quantity, where) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map?.[1]) return { type: 'object', additionalProperties: typeSchema(map[1], format, quantity, where) };
  switch (type) {
    case 'string':
      if (quantity) return ref(QUANTITY);
      return format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
    case 'number':
      if (format === 'int32' || format === 'int64') return { type: 'integer', format };
      if (format === 'double' || format === '') return { type: 'number', ...(format ? { format } : {}) };
      throw new Error(`${where}: number with unknown format ${format}`);
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
    case 'V1MicroTime':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return ref(INT_OR_STRING);
    case 'any':
      // Only metav1.FieldsV1 is untyped among the served kinds: a JSON object of any shape.
      if (where !== 'V1ManagedFieldsEntry.fieldsV1') throw new Error(`${where}: untyped field; decide its schema`);
      return { type: 'object' };
  }
  if (isModel(type)) {
    visit(type);
    return ref(upstreamName(type));
  }
  throw new Error(`${where}: unknown type ${type}`);
}

function visit(model: string): void {
  const name = upstreamName(model);
  const seen = modelOfSchema.get(name);
  if (seen !== undefined) {
    if (seen !== model) throw new Error(`${model} and ${seen} both map to ${name}`);
    return;
  }
  modelOfSchema.set(name, model);
  const doc = readModelDoc(model);
  const schema: Schema = { type: 'object', properties: {} };
  if (doc.description) schema.description = doc.description;
  schemas.set(name, schema);
  const required: string[] = [];
  for (const attr of attributesOf(model)) {
    const where = `${model}.${attr.baseName}`;
    const quantity = QUANTITY_FIELDS.includes(where);
    if (quantity) usedHandEntries.add(where);
    const propDoc = doc.properties.get(attr.name);
    if (propDoc === undefined) throw new Error(`${where}: not declared in ${model}.d.ts`);
    const prop = describe(typeSchema(attr.type, attr.format, quantity, where), propDoc.description);
    const tags = PATCH_TAGS[where];
    if (tags) {
      usedHandEntries.add(where);
      prop['x-kubernetes-patch-strategy'] = tags.strategy;
      if (tags.key) prop['x-kubernetes-patch-merge-key'] = tags.key;
    }
    if (!propDoc.optional) required.push(attr.baseName);
    (schema.properties ??= {})[attr.baseName] = prop;
  }
  if (required.length > 0) schema.required = required;
}

/**
 * A field's schema with its own description. Beside a $ref, upstream's form is
 * `allOf: [{$ref}]` plus the description, so kubectl explain prints the field's text and
 * then the referenced type's (a description next to a bare $ref hides the field's).
 */
function describe(schema: Schema, description: string | undefined): Schema {
  if (description === undefined) return schema;
  if (schema.$ref !== undefined) return { allOf: [{ $ref: schema.$ref }], description };
  return { ...schema, description };
}

/**
 * client-node carries no description for a field whose type is another model (upstream
 * has one, e.g. "Standard object's metadata."); the referenced type's own description is
 * the closest text it has, and kubectl explain otherwise prints "<no description>".
 */
function describeReferences(schema: Schema): void {
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const wrapped = prop.allOf?.[0]?.$ref;
    if (wrapped !== undefined && prop.description === schemas.get(wrapped.slice(REF_PREFIX.length))?.description) {
      // The field's text is only its type's (client-node does this for IntOrString): say it once.
      (schema.properties ??= {})[name] = { $ref: wrapped, description: prop.description };
    } else if (prop.$ref && prop.description === undefined) {
      const target = schemas.get(prop.$ref.slice(REF_PREFIX.length));
      if (target?.description) prop.description = target.description;
    }
  }
}

/** A copy of a JSON value with object keys in sorted order, so output is byte-stable. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The text of definitions.json as the installed client-node describes the served kinds. */
export function generateDefinitions(): string {
  schemas.clear();
  modelOfSchema.clear();
  usedHandEntries.clear();
  for (const { model } of ROOT_KINDS) visit(model);
  for (const { model, gvks } of ROOT_KINDS) {
    const schema = schemas.get(upstreamName(model));
    if (schema) schema['x-kubernetes-group-version-kind'] = gvks.map((g) => ({ ...g }));
  }
  for (const [name, schema] of Object.entries(NAMED_SCALARS)) schemas.set(name, schema);
  for (const schema of schemas.values()) describeReferences(schema);

  const unused = [...QUANTITY_FIELDS, ...Object.keys(PATCH_TAGS)].filter((k) => !usedHandEntries.has(k));
  if (unused.length > 0) throw new Error(`hand entries match no reachable field: ${unused.join(', ')}`);

  const doc = { components: { schemas: Object.fromEntries(schemas) } };
  return JSON.stringify(sortKeys(doc), null, 2) + '\n';
}

export const DEFINITIONS_PATH = join(root, 'impl/api/schema/definitions.json');

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = generateDefinitions();
  writeFileSync(DEFINITIONS_PATH, text);
  console.log(`wrote ${DEFINITIONS_PATH}: ${schemas.size} schemas, ${text.length} bytes`);
}
