import type { PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { boundTo, filterOn, node, pod } from '../scheduler-fixtures.testing.js';
import { ERR_REASON_AFFINITY_RULES_NOT_MATCH, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH, ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH, interPodAffinity } from './inter-pod-affinity.js';

const HOST = 'kubernetes.io/hostname';
const term = (labels: Record<string, string>, topologyKey = HOST, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ labelSelector: { matchLabels: labels }, topologyKey, ...extra });
const anti = (name: string, labels: Record<string, string>, ...terms: PodAffinityTerm[]) =>
  pod(name, { labels, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } } });
const near = (name: string, labels: Record<string, string>, ...terms: PodAffinityTerm[]) =>
  pod(name, { labels, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } } });

describe('InterPodAffinity', () => {
  const nodes = [node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z1' } }), node('c', { labels: { zone: 'z2' } })];

  it('keeps a pod out of a domain holding a pod its anti-affinity selects', () => {
    const bound = [boundTo(pod('web-1', { labels: { app: 'web' } }), 'a')];
    expect(filterOn(interPodAffinity, anti('web-2', { app: 'web' }, term({ app: 'web' })), nodes, bound)).toEqual({ a: [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH], b: [], c: [] });
    expect(filterOn(interPodAffinity, anti('web-2', { app: 'web' }, term({ app: 'web' }, 'zone')), nodes, bound)).toEqual({ a: [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH], b: [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH], c: [] });
  });

  it("honours the anti-affinity of pods already running (symmetry)", () => {
    const bound = [boundTo(anti('db', { app: 'db' }, term({ app: 'web' })), 'b')];
    expect(filterOn(interPodAffinity, pod('web', { labels: { app: 'web' } }), nodes, bound)).toEqual({ a: [], b: [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH], c: [] });
  });

  it('looks only in the namespaces of the term', () => {
    const elsewhere = boundTo({ ...pod('web-1', { labels: { app: 'web' } }), metadata: { name: 'web-1', namespace: 'other', labels: { app: 'web' } } }, 'a');
    expect(filterOn(interPodAffinity, anti('web-2', { app: 'web' }, term({ app: 'web' })), nodes, [elsewhere]).a).toEqual([]);
    expect(filterOn(interPodAffinity, anti('web-2', { app: 'web' }, term({ app: 'web' }, HOST, { namespaces: ['other'] })), nodes, [elsewhere]).a).toEqual([ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH]);
    const byLabel = term({ app: 'web' }, HOST, { namespaceSelector: { matchLabels: { team: 'x' } } });
    const labels = (ns: string): Record<string, string> => (ns === 'other' ? { team: 'x' } : {});
    expect(filterOn(interPodAffinity, anti('web-2', { app: 'web' }, byLabel), nodes, [elsewhere], labels).a).toEqual([ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH]);
  });

  it('requires a matching pod in the domain for affinity, except for the first of a self-affine group', () => {
    const cache = boundTo(pod('cache', { labels: { app: 'cache' } }), 'c');
    expect(filterOn(interPodAffinity, near('web', { app: 'web' }, term({ app: 'cache' }, 'zone')), nodes, [cache])).toEqual({
      a: [ERR_REASON_AFFINITY_RULES_NOT_MATCH],
      b: [ERR_REASON_AFFINITY_RULES_NOT_MATCH],
      c: [],
    });
    expect(filterOn(interPodAffinity, near('web', { app: 'web' }, term({ app: 'cache' })), nodes)).toEqual({
      a: [ERR_REASON_AFFINITY_RULES_NOT_MATCH],
      b: [ERR_REASON_AFFINITY_RULES_NOT_MATCH],
      c: [ERR_REASON_AFFINITY_RULES_NOT_MATCH],
    });
    expect(filterOn(interPodAffinity, near('first', { app: 'group' }, term({ app: 'group' })), nodes)).toEqual({ a: [], b: [], c: [] });
  });
});
