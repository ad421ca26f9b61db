import { describe, expect, it } from 'vitest';
import { filterOn, node, pod } from '../scheduler-fixtures.testing.js';
import { taintToleration } from './taint-toleration.js';

describe('TaintToleration', () => {
  const tainted = node('n', {
    taints: [
      { key: 'soft', effect: 'PreferNoSchedule' },
      { key: 'dedicated', value: 'db', effect: 'NoSchedule' },
      { key: 'gone', effect: 'NoExecute' },
    ],
  });
  const filter = taintToleration();

  it('names the first NoSchedule/NoExecute taint the pod does not tolerate', () => {
    expect(filterOn(filter, pod('p'), [tainted])).toEqual({ n: ['node(s) had untolerated taint {dedicated: db}'] });
    const half = pod('p', { spec: { tolerations: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } });
    expect(filterOn(filter, half, [tainted])).toEqual({ n: ['node(s) had untolerated taint {gone: }'] });
  });

  it('matches tolerations by key, operator, value and effect', () => {
    const tolerate = (tolerations: object[]) => filterOn(filter, pod('p', { spec: { tolerations } }), [tainted]).n;
    expect(tolerate([{ operator: 'Exists' }])).toEqual([]);
    expect(tolerate([{ key: 'dedicated', operator: 'Exists' }, { key: 'gone', operator: 'Exists', effect: 'NoExecute' }])).toEqual([]);
    expect(tolerate([{ key: 'dedicated', value: 'web' }, { key: 'gone', operator: 'Exists' }])).toEqual(['node(s) had untolerated taint {dedicated: db}']);
    expect(tolerate([{ key: 'dedicated', value: 'db', effect: 'NoExecute' }, { key: 'gone', operator: 'Exists' }])).toEqual(['node(s) had untolerated taint {dedicated: db}']);
  });

  it('lets every pod through with the ignore-taints mutant', () => {
    expect(filterOn(taintToleration({ ignoreTaints: true }), pod('p'), [tainted])).toEqual({ n: [] });
  });
});
