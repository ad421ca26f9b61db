// Places a scenario on a live cluster: the scenario's nodes stand for the cluster's real
// nodes (by index, wrapping when the scenario names more nodes than the cluster has), and
// every object lives in the run's own namespace, so runs on a shared cluster cannot meet.
// Pure: it rewrites data, the live target does the rest.

import type { ClusterShape, Manifest, Operation, Scenario, TimedOperation } from '../campaign/scenario.js';
import { HOSTNAME_LABEL } from '../generators/nodes.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Scenario node name → real node name: the i-th scenario node is the (i mod n)-th real node. */
export function nodeMapping(shape: ClusterShape, realNodes: readonly string[]): Map<string, string> {
  if (realNodes.length === 0) throw new Error('the cluster has no nodes');
  return new Map(shape.nodes.map((n, i) => [n.name, realNodes[i % realNodes.length]!]));
}

/** Real node names in a stable order: natural order, so node-2 comes before node-10. */
export function sortNodeNames(names: readonly string[]): string[] {
  return [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** "default/web" → "<namespace>/web": every object of the scenario moves to the run's namespace. */
function retarget(target: string, namespace: string): string {
  const slash = target.indexOf('/');
  return `${namespace}/${slash < 0 ? target : target.slice(slash + 1)}`;
}

/** Node-selector requirements naming nodes (the hostname label, or the metadata.name field). */
function renameRequirements(requirements: unknown, key: string, nodeOf: (name: string) => string): void {
  for (const r of objects(requirements)) {
    if (r.key === key && Array.isArray(r.values)) r.values = r.values.map((v) => (typeof v === 'string' ? nodeOf(v) : v));
  }
}

function renameTerm(term: unknown, nodeOf: (name: string) => string): void {
  if (!isObject(term)) return;
  renameRequirements(term.matchExpressions, HOSTNAME_LABEL, nodeOf);
  renameRequirements(term.matchFields, 'metadata.name', nodeOf);
}

/** Rewrites the node names a pod spec refers to: nodeName, hostname selectors and node affinity. */
function placePodSpec(spec: unknown, nodeOf: (name: string) => string): void {
  if (!isObject(spec)) return;
  if (typeof spec.nodeName === 'string') spec.nodeName = nodeOf(spec.nodeName);
  if (isObject(spec.nodeSelector) && typeof spec.nodeSelector[HOSTNAME_LABEL] === 'string') {
    spec.nodeSelector[HOSTNAME_LABEL] = nodeOf(spec.nodeSelector[HOSTNAME_LABEL]);
  }
  const nodeAffinity = isObject(spec.affinity) ? spec.affinity.nodeAffinity : undefined;
  if (!isObject(nodeAffinity)) return;
  const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (isObject(required)) for (const term of objects(required.nodeSelectorTerms)) renameTerm(term, nodeOf);
  for (const p of objects(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution)) renameTerm(p.preference, nodeOf);
}

/** A manifest moved into `namespace`, its pod template's node references renamed. */
export function placeManifest(manifest: Manifest, namespace: string, nodeOf: (name: string) => string): Manifest {
  const m = structuredClone(manifest) as Json;
  m.metadata = { ...(isObject(m.metadata) ? m.metadata : {}), namespace };
  const spec = isObject(m.spec) ? m.spec : undefined;
  if (m.kind === 'Pod') placePodSpec(spec, nodeOf);
  else if (spec && isObject(spec.template)) placePodSpec(spec.template.spec, nodeOf);
  return m;
}

export function placeOperation(op: Operation, namespace: string, nodeOf: (name: string) => string): Operation {
  switch (op.op) {
    case 'create':
    case 'apply':
      return { ...op, manifest: placeManifest(op.manifest, namespace, nodeOf) };
    case 'duplicate-create':
      return { ...op, manifest: placeManifest(op.manifest, namespace, nodeOf) };
    case 'scale':
    case 'set-image':
    case 'delete':
    case 'stale-update':
      return { ...op, target: retarget(op.target, namespace) };
    case 'cordon':
    case 'uncordon':
      return { ...op, node: nodeOf(op.node) };
  }
}

/**
 * The scenario's operations as the live target performs them. Faults keep their scenario
 * names: their live injectors resolve them through the fault context (namespace, node()).
 */
export function placeOperations(scenario: Scenario, namespace: string, nodeOf: (name: string) => string): TimedOperation[] {
  return scenario.operations.map((o) => ({ at: o.at, operation: placeOperation(o.operation, namespace, nodeOf) }));
}
