import { describe, expect, it } from 'vitest';
import { filterOn, node, pod } from '../scheduler-fixtures.testing.js';
import { nodeReady } from './node-ready.js';

describe('NodeReady', () => {
  const nodes = [node('ready'), node('not-ready', { ready: 'False' }), node('unknown', { ready: 'Unknown' }), node('new', { ready: undefined })];

  it('admits only Ready=True nodes, wording the others as their taints would be worded', () => {
    expect(filterOn(nodeReady, pod('p'), nodes)).toEqual({
      ready: [],
      'not-ready': ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
      unknown: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'],
      new: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    });
  });

  it("does not count the API server's default NoExecute tolerations, but a NoSchedule one lets the pod in", () => {
    const defaults = pod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] } });
    expect(filterOn(nodeReady, defaults, nodes)['not-ready']).toHaveLength(1);
    const daemon = pod('d', { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(filterOn(nodeReady, daemon, nodes)['not-ready']).toEqual([]);
  });
});
