// Where a pod may run: nodeSelector, required (and preferred) node affinity, pod
// anti-affinity on kubernetes.io/hostname against its own `app`, and tolerations — drawn
// from the same label and taint vocabulary as the nodes (nodes.ts), so rules are sometimes
// satisfiable, sometimes only on some nodes, and sometimes on none (the pod then stays
// Pending, which is legal).

import fc from 'fast-check';
import type { Affinity, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, Toleration } from 'kubernetes-types/core/v1.js';
import { APP_LABEL } from './labels.js';
import { HOSTNAME_LABEL, NODE_LABEL_POOL, OS_LABEL, TAINT_POOL } from './nodes.js';

const POOL_KEYS = Object.keys(NODE_LABEL_POOL);

type Requirement =
  | { readonly key: string; readonly operator: 'In' | 'NotIn'; readonly values: readonly string[] }
  | { readonly key: string; readonly operator: 'Exists' | 'DoesNotExist' };

/** Which nodes' names a hostname rule lists, by position in the cluster (wrapping). */
export interface HostnameRule {
  readonly nodes: readonly number[];
  readonly operator: 'In' | 'NotIn';
}

export interface PlacementDraft {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Required node affinity: terms ORed, requirements within a term ANDed. */
  readonly nodeAffinity?: readonly (readonly Requirement[])[];
  readonly hostname?: HostnameRule;
  readonly preferredZone?: string;
  readonly antiAffinity?: 'required' | 'preferred';
  readonly tolerations: readonly Toleration[];
}

const poolRequirement: fc.Arbitrary<Requirement> = fc.constantFrom(...POOL_KEYS).chain((key) => {
  const values = NODE_LABEL_POOL[key] ?? [];
  return fc.oneof(
    { weight: 3, arbitrary: fc.subarray([...values], { minLength: 1 }).map((v): Requirement => ({ key, operator: 'In', values: v })) },
    { weight: 1, arbitrary: fc.subarray([...values], { minLength: 1, maxLength: Math.max(1, values.length - 1) }).map((v): Requirement => ({ key, operator: 'NotIn', values: v })) },
    { weight: 1, arbitrary: fc.constantFrom<'Exists' | 'DoesNotExist'>('Exists', 'DoesNotExist').map((operator): Requirement => ({ key, operator })) },
  );
});

const nodeSelectorArbitrary = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ [OS_LABEL]: 'linux' }) },
  {
    weight: 3,
    arbitrary: fc
      .uniqueArray(fc.constantFrom(...POOL_KEYS), { minLength: 1, maxLength: 2 })
      .chain((keys) => fc.tuple(...keys.map((k) => fc.constantFrom(...(NODE_LABEL_POOL[k] ?? [])).map((v) => [k, v] as const))))
      .map((pairs) => Object.fromEntries(pairs)),
  },
);

const tolerationArbitrary: fc.Arbitrary<Toleration> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TAINT_POOL).map((t): Toleration => ({ key: t.key, operator: 'Equal', ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect })) },
  { weight: 2, arbitrary: fc.constantFrom(...TAINT_POOL).map((t): Toleration => ({ key: t.key, operator: 'Exists' })) },
  {
    // Leave a lost node sooner (or later) than the default 30 s.
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'), fc.constantFrom(5, 10, 60))
      .map(([key, seconds]): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds })),
  },
);

/** Usually undefined, sometimes a value: shrinks toward undefined. */
export function sometimes<T>(arbitrary: fc.Arbitrary<T>, oneIn = 4): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

/** The object without its undefined properties, so drafts print as they read. */
function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Most pods have no placement rules; each rule appears in about one pod in four or five. */
export const placementDraftArbitrary: fc.Arbitrary<PlacementDraft> = fc
  .record({
    nodeSelector: sometimes(nodeSelectorArbitrary, 5),
    nodeAffinity: sometimes(fc.array(fc.array(poolRequirement, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }), 6),
    hostname: sometimes(fc.record({ nodes: fc.uniqueArray(fc.nat({ max: 4 }), { minLength: 1, maxLength: 3 }), operator: fc.constantFrom<'In' | 'NotIn'>('In', 'NotIn') }), 8),
    preferredZone: sometimes(fc.constantFrom(...(NODE_LABEL_POOL['topology.kubernetes.io/zone'] ?? [])), 8),
    antiAffinity: sometimes(fc.constantFrom<'required' | 'preferred'>('required', 'preferred'), 5),
    tolerations: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.uniqueArray(tolerationArbitrary, { minLength: 1, maxLength: 2, selector: (t) => `${t.key}|${t.effect}` }) }),
  })
  .map((d): PlacementDraft => definedOnly(d));

function requirement(r: Requirement): NodeSelectorRequirement {
  return r.operator === 'In' || r.operator === 'NotIn' ? { key: r.key, operator: r.operator, values: [...r.values] } : { key: r.key, operator: r.operator };
}

/** The pod spec fields a draft stands for; `nodeNames` resolves hostname rules. */
export function buildPlacement(d: PlacementDraft, app: string, nodeNames: readonly string[]): { nodeSelector?: Record<string, string>; affinity?: Affinity; tolerations?: Toleration[] } {
  const terms: NodeSelectorTerm[] = [];
  if (d.nodeAffinity) for (const t of d.nodeAffinity) terms.push({ matchExpressions: t.map(requirement) });
  if (d.hostname && nodeNames.length > 0) {
    const names = [...new Set(d.hostname.nodes.map((i) => nodeNames[i % nodeNames.length]!))];
    // Added to every term (ANDed), or as the only term.
    const hostReq: NodeSelectorRequirement = { key: HOSTNAME_LABEL, operator: d.hostname.operator, values: names };
    if (terms.length === 0) terms.push({ matchExpressions: [hostReq] });
    else for (const t of terms) t.matchExpressions = [...(t.matchExpressions ?? []), hostReq];
  }
  const affinity: Affinity = {};
  if (terms.length > 0 || d.preferredZone !== undefined) {
    affinity.nodeAffinity = {
      ...(terms.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } : {}),
      ...(d.preferredZone !== undefined
        ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [d.preferredZone] }] } }] }
        : {}),
    };
  }
  if (d.antiAffinity) {
    const term: PodAffinityTerm = { labelSelector: { matchLabels: { [APP_LABEL]: app } }, topologyKey: HOSTNAME_LABEL };
    affinity.podAntiAffinity =
      d.antiAffinity === 'required'
        ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
        : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
  }
  return {
    ...(d.nodeSelector ? { nodeSelector: { ...d.nodeSelector } } : {}),
    ...(Object.keys(affinity).length > 0 ? { affinity } : {}),
    ...(d.tolerations.length > 0 ? { tolerations: d.tolerations.map((t) => ({ ...t })) } : {}),
  };
}
