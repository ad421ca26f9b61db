// Filter InterPodAffinity: the required (requiredDuringSchedulingIgnoredDuringExecution)
// pod affinity and anti-affinity terms, over any topologyKey (kubernetes.io/hostname makes
// each node its own domain, a zone label groups nodes). Three checks, in upstream's order
// and words:
//  - the pod's affinity terms: some pod matching every term must already run in the node's
//    domain of each term (a pod that matches its own terms may start a group when no pod
//    anywhere matches);
//  - the pod's anti-affinity terms: no pod matching a term may run in the node's domain;
//  - existing pods' anti-affinity terms (symmetry): no pod whose term matches the new pod
//    may run in the node's domain of that term.
// A term's namespaces are its `namespaces` list plus those its namespaceSelector selects;
// with neither, the namespace of the pod that carries the term.

import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { labelSelectorAsSelector, selectorMatches, type Labels, type Selector, type LabelSelector } from '../../api/labels.js';
import type { FilterPlugin } from '../framework.js';
import type { PodInfo, Snapshot } from '../snapshot.js';

export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";

/** A term made ready to match: its selectors parsed, its namespaces resolved. */
interface AffinityTerm {
  readonly topologyKey: string;
  readonly selector: Selector;
  readonly namespaces: ReadonlySet<string>;
  /** undefined: no namespaceSelector (matches no namespace by labels). */
  readonly namespaceSelector: Selector | undefined;
}

function parseSelector(s: LabelSelector | null | undefined): Selector {
  try {
    return labelSelectorAsSelector(s);
  } catch {
    // The API server validates selectors; one it let through that we cannot read selects nothing.
    return labelSelectorAsSelector(null);
  }
}

function termsOf(terms: readonly PodAffinityTerm[] | undefined, owner: Pod): AffinityTerm[] {
  return (terms ?? []).map((t) => {
    const namespaces = new Set(t.namespaces ?? []);
    if (namespaces.size === 0 && !t.namespaceSelector) namespaces.add(owner.metadata?.namespace ?? '');
    return {
      topologyKey: t.topologyKey,
      selector: parseSelector(t.labelSelector),
      namespaces,
      namespaceSelector: t.namespaceSelector ? parseSelector(t.namespaceSelector) : undefined,
    };
  });
}

function termMatches(term: AffinityTerm, pod: PodInfo, snapshot: Snapshot): boolean {
  const inNamespace =
    term.namespaces.has(pod.namespace) ||
    (term.namespaceSelector !== undefined && selectorMatches(term.namespaceSelector, snapshot.namespaceLabels(pod.namespace) ?? {}));
  return inNamespace && selectorMatches(term.selector, pod.labels);
}

/** Topology pair "key\u0000value" → how many matching pods run in that domain. */
type Counts = Map<string, number>;

const pair = (key: string, value: string) => `${key}\u0000${value}`;

function bump(counts: Counts, key: string, labels: Labels): void {
  if (!Object.hasOwn(labels, key)) return;
  const p = pair(key, labels[key] as string);
  counts.set(p, (counts.get(p) ?? 0) + 1);
}

/** What upstream's PreFilter computes once per pod: the counts every node's check reads. */
interface State {
  readonly affinityTerms: AffinityTerm[];
  readonly antiAffinityTerms: AffinityTerm[];
  readonly affinityCounts: Counts;
  readonly antiAffinityCounts: Counts;
  readonly existingAntiAffinityCounts: Counts;
  readonly matchesOwnAffinity: boolean;
}

function computeState(pod: PodInfo, snapshot: Snapshot): State {
  const affinity = pod.pod.spec?.affinity;
  const affinityTerms = termsOf(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, pod.pod);
  const antiAffinityTerms = termsOf(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, pod.pod);
  const affinityCounts: Counts = new Map();
  const antiAffinityCounts: Counts = new Map();
  const existingAntiAffinityCounts: Counts = new Map();
  for (const node of snapshot.nodes) {
    for (const existing of node.pods) {
      if (affinityTerms.length > 0 && affinityTerms.every((t) => termMatches(t, existing, snapshot))) {
        for (const t of affinityTerms) bump(affinityCounts, t.topologyKey, node.labels);
      }
      for (const t of antiAffinityTerms) if (termMatches(t, existing, snapshot)) bump(antiAffinityCounts, t.topologyKey, node.labels);
      const theirs = existing.pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (theirs?.length) {
        for (const t of termsOf(theirs, existing.pod)) if (termMatches(t, pod, snapshot)) bump(existingAntiAffinityCounts, t.topologyKey, node.labels);
      }
    }
  }
  const matchesOwnAffinity = affinityTerms.length > 0 && affinityTerms.every((t) => termMatches(t, pod, snapshot));
  return { affinityTerms, antiAffinityTerms, affinityCounts, antiAffinityCounts, existingAntiAffinityCounts, matchesOwnAffinity };
}

function satisfiesAffinity(s: State, labels: Labels): boolean {
  let podsExist = true;
  for (const t of s.affinityTerms) {
    // Every topology label the terms name must exist on the node.
    if (!Object.hasOwn(labels, t.topologyKey)) return false;
    if ((s.affinityCounts.get(pair(t.topologyKey, labels[t.topologyKey] as string)) ?? 0) <= 0) podsExist = false;
  }
  return podsExist || (s.affinityCounts.size === 0 && s.matchesOwnAffinity);
}

function satisfiesAntiAffinity(s: State, labels: Labels): boolean {
  return s.antiAffinityTerms.every((t) => !Object.hasOwn(labels, t.topologyKey) || (s.antiAffinityCounts.get(pair(t.topologyKey, labels[t.topologyKey] as string)) ?? 0) === 0);
}

function satisfiesExistingAntiAffinity(s: State, labels: Labels): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  return Object.entries(labels).every(([k, v]) => (s.existingAntiAffinityCounts.get(pair(k, v)) ?? 0) === 0);
}

/**
 * The counts depend only on the pod and the snapshot, so they are computed on the first
 * node's check of a cycle and reused for the others (upstream computes them in PreFilter).
 */
const stateCache = new WeakMap<Snapshot, WeakMap<PodInfo, State>>();

function stateFor(pod: PodInfo, snapshot: Snapshot): State {
  let byPod = stateCache.get(snapshot);
  if (!byPod) stateCache.set(snapshot, (byPod = new WeakMap()));
  let s = byPod.get(pod);
  if (!s) byPod.set(pod, (s = computeState(pod, snapshot)));
  return s;
}

export const interPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  filter(pod, node, snapshot) {
    const s = stateFor(pod, snapshot);
    if (!satisfiesAffinity(s, node.labels)) return [ERR_REASON_AFFINITY_RULES_NOT_MATCH];
    if (!satisfiesAntiAffinity(s, node.labels)) return [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH];
    if (!satisfiesExistingAntiAffinity(s, node.labels)) return [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH];
    return [];
  },
};
