import type { NodeSelectorRequirement } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { filterOn, node, pod } from '../scheduler-fixtures.testing.js';
import { nodeAffinity } from './node-affinity.js';

const MISS = ["node(s) didn't match Pod's node affinity/selector"];

describe('NodeAffinity', () => {
  const nodes = [node('a', { labels: { zone: 'z1', gen: '3' } }), node('b', { labels: { zone: 'z2', gen: '10' } }), node('c')];
  const terms = (...t: { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }[]) =>
    pod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: t } } } } });
  const fits = (p: ReturnType<typeof pod>) =>
    Object.entries(filterOn(nodeAffinity, p, nodes))
      .filter(([, r]) => r.length === 0)
      .map(([n]) => n);

  it('requires every nodeSelector label', () => {
    expect(fits(pod('p', { spec: { nodeSelector: { zone: 'z1' } } }))).toEqual(['a']);
    expect(filterOn(nodeAffinity, pod('p', { spec: { nodeSelector: { zone: 'z1', gen: '10' } } }), nodes)).toEqual({ a: MISS, b: MISS, c: MISS });
  });

  it('ORs the terms and ANDs the expressions of a term', () => {
    expect(fits(terms({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1', 'z2'] }, { key: 'gen', operator: 'Gt', values: ['5'] }] }))).toEqual(['b']);
    expect(fits(terms({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }, { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }))).toEqual(['a', 'c']);
  });

  it('knows NotIn, Exists, Gt and Lt as upstream does (NotIn matches a missing label; Gt/Lt need an integer label)', () => {
    expect(fits(terms({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z1'] }] }))).toEqual(['b', 'c']);
    expect(fits(terms({ matchExpressions: [{ key: 'gen', operator: 'Exists' }] }))).toEqual(['a', 'b']);
    expect(fits(terms({ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['4'] }] }))).toEqual(['a']);
  });

  it('matches metadata.name fields with In and NotIn', () => {
    expect(fits(terms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['c'] }] }))).toEqual(['c']);
    expect(fits(terms({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['c'] }] }))).toEqual(['a', 'b']);
  });

  it('matches nothing with an empty term or an invalid expression', () => {
    expect(fits(terms({}))).toEqual([]);
    expect(fits(terms({ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['three'] }] }))).toEqual([]);
    expect(fits(terms({ matchExpressions: [{ key: 'zone', operator: 'Near', values: ['z1'] }] }))).toEqual([]);
  });
});
