import { describe, expect, it } from 'vitest';
import { boundTo, node, pod, scoreOn } from '../scheduler-fixtures.testing.js';
import { selectorSpread } from './selector-spread.js';

describe('SelectorSpread', () => {
  const nodes = [node('a'), node('b'), node('c')];

  it('scores nodes by how few pods of the same controller they hold', () => {
    const bound = [boundTo(pod('r1', { owner: 'rs' }), 'a'), boundTo(pod('r2', { owner: 'rs' }), 'a'), boundTo(pod('r3', { owner: 'rs' }), 'b'), boundTo(pod('x', { owner: 'other' }), 'c')];
    expect(scoreOn(selectorSpread, pod('r4', { owner: 'rs' }), nodes, bound)).toEqual({ a: 0, b: 50, c: 100 });
  });

  it('is indifferent for pods without a controller, and ignores pods being deleted', () => {
    expect(scoreOn(selectorSpread, pod('lonely'), nodes, [boundTo(pod('r1', { owner: 'rs' }), 'a')])).toEqual({ a: 100, b: 100, c: 100 });
    const leaving = boundTo(pod('r1', { owner: 'rs' }), 'a');
    leaving.metadata = { ...leaving.metadata, deletionTimestamp: '2023-11-14T22:13:20Z' };
    expect(scoreOn(selectorSpread, pod('r2', { owner: 'rs' }), nodes, [leaving])).toEqual({ a: 100, b: 100, c: 100 });
  });
});
