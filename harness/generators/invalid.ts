// Invalid manifests for negative conformance: a valid Pod, ReplicaSet or Deployment with one
// mutation (a bad or missing name, a selector that does not select the template, negative
// replicas, a malformed quantity, requests above limits, an unknown field, a missing image,
// a forbidden restart policy, ...), each tagged with the field the API server must name in
// its answer and the status it must answer with: 422 Invalid with that field among the
// causes, or 400 BadRequest naming it (unknown fields, under fieldValidation=Strict).

import fc from 'fast-check';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import type { Manifest } from '../campaign/scenario.js';
import { buildDeployment, deploymentDraftArbitrary } from './deployments.js';
import { objectNameArbitrary } from './names.js';
import { buildPod, DEFAULT_CONTEXT, podDraftArbitrary, type BuildContext } from './pods.js';
import { buildReplicaSet, workloadDraftArbitrary } from './replicasets.js';
import { toManifest, type WorkloadKind } from './operations.js';

export interface InvalidManifest {
  readonly kind: WorkloadKind;
  readonly manifest: Manifest;
  /** What was broken, for failure messages. */
  readonly mutation: string;
  /** The field path the API server must name ("spec.replicas", "spec.template.spec.containers[0].image"). */
  readonly field: string;
  readonly status: 400 | 422;
  /** Query parameters the request needs for this status (fieldValidation=Strict). */
  readonly query?: Readonly<Record<string, string>>;
}

type Valid = { readonly kind: 'Pod'; readonly object: Pod } | { readonly kind: 'ReplicaSet'; readonly object: ReplicaSet } | { readonly kind: 'Deployment'; readonly object: Deployment };

/** One way to break a manifest; data, so fast-check can print and shrink it. */
export type Mutation =
  | { readonly type: 'bad-name'; readonly name: string }
  | { readonly type: 'missing-name' }
  | { readonly type: 'bad-generate-name'; readonly generateName: string }
  | { readonly type: 'bad-label-value'; readonly value: string }
  | { readonly type: 'selector-mismatch' }
  | { readonly type: 'empty-selector' }
  | { readonly type: 'bad-selector-operator'; readonly operator: string }
  | { readonly type: 'in-without-values' }
  | { readonly type: 'negative-replicas'; readonly replicas: number }
  | { readonly type: 'bad-quantity'; readonly resource: 'cpu' | 'memory'; readonly where: 'requests' | 'limits'; readonly quantity: string }
  | { readonly type: 'requests-above-limits'; readonly resource: 'cpu' | 'memory' }
  | { readonly type: 'unknown-field'; readonly at: 'spec' | 'container' | 'metadata'; readonly name: string }
  | { readonly type: 'missing-image'; readonly blank: boolean }
  | { readonly type: 'duplicate-container-name' }
  | { readonly type: 'bad-restart-policy'; readonly policy: string }
  | { readonly type: 'zero-surge-and-unavailable'; readonly percent: boolean };

const BAD_NAMES = ['Web', 'web_1', '-web', 'web-', 'we b', 'web..x', '.web', 'wéb', 'a'.repeat(254)];
const BAD_QUANTITIES = ['100mm', '1.5.5', 'abc', '1e', '2 cores', '10Mb', '--1', '-1', '-100m', '1/2'];

function mutationArbitrary(kind: WorkloadKind): fc.Arbitrary<Mutation> {
  const common: fc.Arbitrary<Mutation>[] = [
    fc.record({ type: fc.constant('bad-name' as const), name: fc.constantFrom(...BAD_NAMES) }),
    fc.constant({ type: 'missing-name' as const }),
    fc.record({ type: fc.constant('bad-generate-name' as const), generateName: fc.constantFrom('Web-', 'my_app-', '-x-', 'a b-') }),
    fc.record({ type: fc.constant('bad-label-value' as const), value: fc.constantFrom('hello world', 'x'.repeat(64), '-edge', 'a/b') }),
    fc.record({ type: fc.constant('negative-replicas' as const), replicas: fc.integer({ min: -100, max: -1 }) }),
    fc.record({
      type: fc.constant('bad-quantity' as const),
      resource: fc.constantFrom<'cpu' | 'memory'>('cpu', 'memory'),
      where: fc.constantFrom<'requests' | 'limits'>('requests', 'limits'),
      quantity: fc.constantFrom(...BAD_QUANTITIES),
    }),
    fc.record({ type: fc.constant('requests-above-limits' as const), resource: fc.constantFrom<'cpu' | 'memory'>('cpu', 'memory') }),
    fc.record({
      type: fc.constant('unknown-field' as const),
      at: fc.constantFrom<'spec' | 'container' | 'metadata'>('spec', 'container', 'metadata'),
      name: fc.constantFrom('replicaz', 'imagePullPolicyy', 'colour', 'restartpolicy'),
    }),
    fc.record({ type: fc.constant('missing-image' as const), blank: fc.boolean() }),
    fc.constant({ type: 'duplicate-container-name' as const }),
    fc.record({ type: fc.constant('bad-restart-policy' as const), policy: kind === 'Pod' ? fc.constantFrom('Sometimes', 'always', 'OnCrash') : fc.constantFrom('Never', 'OnFailure', 'Sometimes') }),
  ];
  const workload: fc.Arbitrary<Mutation>[] = [
    fc.constant({ type: 'selector-mismatch' as const }),
    fc.constant({ type: 'empty-selector' as const }),
    fc.record({ type: fc.constant('bad-selector-operator' as const), operator: fc.constantFrom('Contains', 'in', 'Equals', '') }),
    fc.constant({ type: 'in-without-values' as const }),
  ];
  const deployment: fc.Arbitrary<Mutation>[] = [fc.record({ type: fc.constant('zero-surge-and-unavailable' as const), percent: fc.boolean() })];
  // Negative replicas only make sense on workloads: a Pod has no spec.replicas (it would be an unknown field).
  const applicable = kind === 'Pod' ? common.filter((_, i) => i !== 4) : [...common, ...workload, ...(kind === 'Deployment' ? deployment : [])];
  return fc.oneof(...applicable);
}

function validArbitrary(kind: WorkloadKind, ctx: BuildContext): fc.Arbitrary<Valid> {
  const name = objectNameArbitrary({ maxLength: 40 }).map((n) => ({ name: n }));
  switch (kind) {
    case 'Pod':
      return fc.tuple(podDraftArbitrary(), name).map(([d, id]): Valid => ({ kind: 'Pod', object: buildPod(d, id, ctx) }));
    case 'ReplicaSet':
      return fc.tuple(workloadDraftArbitrary(), name).map(([d, id]): Valid => ({ kind: 'ReplicaSet', object: buildReplicaSet(d, id, ctx) }));
    case 'Deployment':
      return fc.tuple(deploymentDraftArbitrary(), name).map(([d, id]): Valid => ({ kind: 'Deployment', object: buildDeployment(d, id, ctx) }));
  }
}

/** The pod spec of any of the three kinds, and the path the API names it by. */
function podSpecOf(v: Valid): { spec: PodSpec; path: string } {
  if (v.kind === 'Pod') return { spec: v.object.spec!, path: 'spec' };
  return { spec: v.object.spec!.template!.spec!, path: 'spec.template.spec' };
}

function firstContainer(v: Valid): { c: Container; path: string } {
  const { spec, path } = podSpecOf(v);
  return { c: spec.containers[0]!, path: `${path}.containers[0]` };
}

type Broken = Omit<InvalidManifest, 'kind' | 'manifest' | 'mutation'>;

/** Breaks `v` in place; says which field the API server must name. */
function breakIt(v: Valid, m: Mutation): Broken {
  const meta = v.object.metadata!;
  switch (m.type) {
    case 'bad-name':
      delete meta.generateName;
      meta.name = m.name;
      return { field: 'metadata.name', status: 422 };
    case 'missing-name':
      delete meta.name;
      delete meta.generateName;
      return { field: 'metadata.name', status: 422 };
    case 'bad-generate-name':
      delete meta.name;
      meta.generateName = m.generateName;
      return { field: 'metadata.generateName', status: 422 };
    case 'bad-label-value':
      meta.labels = { ...meta.labels, tier: m.value };
      return { field: 'metadata.labels', status: 422 };
    case 'negative-replicas': {
      if (v.kind === 'Pod') throw new Error('a Pod has no replicas');
      v.object.spec!.replicas = m.replicas;
      return { field: 'spec.replicas', status: 422 };
    }
    case 'bad-quantity': {
      const { c, path } = firstContainer(v);
      const r = (c.resources ??= {});
      // A malformed limit must not also trip the requests ≤ limits rule through a valid request.
      if (m.where === 'limits') delete r.requests;
      (r[m.where] ??= {})[m.resource] = m.quantity;
      return { field: `${path}.resources.${m.where}[${m.resource}]`, status: 422 };
    }
    case 'requests-above-limits': {
      const { c, path } = firstContainer(v);
      const [request, limit] = m.resource === 'cpu' ? ['500m', '250m'] : ['512Mi', '256Mi'];
      c.resources = { requests: { ...c.resources?.requests, [m.resource]: request }, limits: { ...c.resources?.limits, [m.resource]: limit } };
      // Other resources of the container must not add causes of their own.
      const other = m.resource === 'cpu' ? 'memory' : 'cpu';
      delete c.resources.requests![other];
      delete c.resources.limits![other];
      return { field: `${path}.resources.requests`, status: 422 };
    }
    case 'unknown-field': {
      const query = { fieldValidation: 'Strict' };
      if (m.at === 'metadata') {
        (meta as Record<string, unknown>)[m.name] = 'x';
        return { field: `metadata.${m.name}`, status: 400, query };
      }
      if (m.at === 'spec') {
        (v.object.spec as unknown as Record<string, unknown>)[m.name] = 3;
        return { field: `spec.${m.name}`, status: 400, query };
      }
      const { c, path } = firstContainer(v);
      (c as unknown as Record<string, unknown>)[m.name] = 'Always';
      return { field: `${path}.${m.name}`, status: 400, query };
    }
    case 'missing-image': {
      const { c, path } = firstContainer(v);
      if (m.blank) c.image = '   ';
      else delete c.image;
      return { field: `${path}.image`, status: 422 };
    }
    case 'duplicate-container-name': {
      const { spec, path } = podSpecOf(v);
      const first = spec.containers[0]!;
      spec.containers = [first, { ...structuredClone(first) }, ...spec.containers.slice(1).filter((c) => c.name !== first.name)];
      return { field: `${path}.containers[1].name`, status: 422 };
    }
    case 'bad-restart-policy': {
      const { spec, path } = podSpecOf(v);
      spec.restartPolicy = m.policy;
      return { field: `${path}.restartPolicy`, status: 422 };
    }
    case 'selector-mismatch':
    case 'empty-selector':
    case 'bad-selector-operator':
    case 'in-without-values': {
      if (v.kind === 'Pod') throw new Error(`a Pod has no selector (${m.type})`);
      const spec = v.object.spec!;
      const app = spec.template?.metadata?.labels?.app ?? 'x';
      if (m.type === 'selector-mismatch') {
        spec.selector = { matchLabels: { app: `${app.slice(0, 50)}-other` } };
        return { field: 'spec.template.metadata.labels', status: 422 };
      }
      if (m.type === 'empty-selector') {
        spec.selector = {};
        return { field: 'spec.selector', status: 422 };
      }
      if (m.type === 'bad-selector-operator') {
        spec.selector = { matchLabels: { app }, matchExpressions: [{ key: 'tier', operator: m.operator, values: ['a'] }] };
        return { field: 'spec.selector.matchExpressions[0].operator', status: 422 };
      }
      spec.selector = { matchLabels: { app }, matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] };
      return { field: 'spec.selector.matchExpressions[0].values', status: 422 };
    }
    case 'zero-surge-and-unavailable': {
      if (v.kind !== 'Deployment') throw new Error('only a Deployment has a rollout strategy');
      const zero = m.percent ? '0%' : 0;
      v.object.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: zero, maxUnavailable: zero } };
      return { field: 'spec.strategy.rollingUpdate.maxUnavailable', status: 422 };
    }
  }
}

/** A valid manifest of `kind` broken by `mutation` (exported for tests that pick their own). */
export function applyMutation(v: Valid, mutation: Mutation): InvalidManifest {
  const broken: Valid = { kind: v.kind, object: structuredClone(v.object) } as Valid;
  const tagged = breakIt(broken, mutation);
  return { kind: broken.kind, manifest: toManifest(broken.object), mutation: JSON.stringify(mutation), ...tagged };
}

/** Invalid Pods, ReplicaSets and Deployments, each tagged with the field the API must name. */
export function invalidManifestArbitrary(ctx: BuildContext = DEFAULT_CONTEXT): fc.Arbitrary<InvalidManifest> {
  return fc
    .constantFrom<WorkloadKind>('Deployment', 'Pod', 'ReplicaSet')
    .chain((kind) => fc.tuple(validArbitrary(kind, ctx), mutationArbitrary(kind)))
    .map(([valid, mutation]) => applyMutation(valid, mutation));
}
