import { describe, expect, it } from 'vitest';
import type { Scenario } from '../campaign/scenario.js';
import { nodeMapping, placeManifest, placeOperations, sortNodeNames } from './live-scenario.js';

const node = (name: string) => ({ name, cpuMilli: 2000, memoryMi: 4096, pods: 110 });

describe('placing a scenario on a live cluster', () => {
  it('maps scenario nodes onto real ones by index, wrapping around', () => {
    const m = nodeMapping({ nodes: ['node-1', 'node-2', 'node-3'].map(node) }, sortNodeNames(['kind-worker2', 'kind-worker10', 'kind-worker']));
    expect([...m.entries()]).toEqual([
      ['node-1', 'kind-worker'],
      ['node-2', 'kind-worker2'],
      ['node-3', 'kind-worker10'],
    ]);
    expect(nodeMapping({ nodes: ['node-1', 'node-2', 'node-3'].map(node) }, ['a', 'b']).get('node-3')).toBe('a');
    expect(() => nodeMapping({ nodes: [node('node-1')] }, [])).toThrow(/no nodes/);
  });

  it('moves manifests into the run namespace and renames the nodes their pods name', () => {
    const nodeOf = (n: string) => `real-${n}`;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        nodeName: 'node-2',
        nodeSelector: { 'kubernetes.io/hostname': 'node-1', disktype: 'ssd' },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['node-1', 'node-3'] }, { key: 'disktype', operator: 'In', values: ['node-1'] }] }],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] } }],
          },
        },
        containers: [{ name: 'main', image: 'busybox' }],
      },
    };
    const placed = placeManifest(pod, 'kubeprop-1-1', nodeOf) as typeof pod;
    expect(placed.metadata).toEqual({ name: 'p', namespace: 'kubeprop-1-1' });
    expect(placed.spec.nodeName).toBe('real-node-2');
    expect(placed.spec.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'real-node-1', disktype: 'ssd' });
    const term = placed.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]!;
    expect(term.matchExpressions.map((e) => e.values)).toEqual([['real-node-1', 'real-node-3'], ['node-1']]);
    expect(placed.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]!.preference.matchFields[0]!.values).toEqual(['real-node-2']);
    // The scenario's own manifest is untouched.
    expect(pod.spec.nodeName).toBe('node-2');

    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { nodeName: 'node-1' } } } };
    expect(placeManifest(deployment, 'ns', nodeOf)).toEqual({ ...deployment, metadata: { name: 'd', namespace: 'ns' }, spec: { template: { spec: { nodeName: 'real-node-1' } } } });
  });

  it('retargets operations at the run namespace and the real nodes', () => {
    const scenario: Scenario = {
      seed: 1,
      cluster: { nodes: [node('node-1')] },
      operations: [
        { at: 0, operation: { op: 'scale', target: 'default/web', replicas: 2 } },
        { at: 1, operation: { op: 'delete', kind: 'Pod', target: 'default/p', propagation: 'Background' } },
        { at: 2, operation: { op: 'cordon', node: 'node-1' } },
        { at: 3, operation: { op: 'stale-update', target: 'default/web', replicas: 1 } },
      ],
      faults: [],
      convergenceBoundMs: 1000,
    };
    expect(placeOperations(scenario, 'ns', (n) => `real-${n}`)).toEqual([
      { at: 0, operation: { op: 'scale', target: 'ns/web', replicas: 2 } },
      { at: 1, operation: { op: 'delete', kind: 'Pod', target: 'ns/p', propagation: 'Background' } },
      { at: 2, operation: { op: 'cordon', node: 'real-node-1' } },
      { at: 3, operation: { op: 'stale-update', target: 'ns/web', replicas: 1 } },
    ]);
  });
});
