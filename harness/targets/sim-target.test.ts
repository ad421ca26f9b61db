import { describe, expect, it } from 'vitest';
import { createSimTarget } from './sim-target.js';
import type { Scenario } from '../campaign/scenario.js';
import { INVARIANTS } from '../invariants/index.js';
import { judge } from '../campaign/campaign.js';

const deployment = (name: string, replicas: number, image = 'busybox') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, command: ['sleep', '3600'], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } },
  },
});

const scenario: Scenario = {
  seed: 11,
  cluster: { nodes: ['node-1', 'node-2', 'node-3'].map((name) => ({ name, cpuMilli: 2000, memoryMi: 4096, pods: 110 })) },
  operations: [
    { at: 0, operation: { op: 'create', manifest: deployment('first-app', 3) } },
    { at: 30_000, operation: { op: 'scale', target: 'default/first-app', replicas: 5 } },
    { at: 60_000, operation: { op: 'set-image', target: 'default/first-app', image: 'busybox:1.36' } },
  ],
  faults: [{ at: 40_000, kind: 'container-kill', target: 'node-1', durationMs: 0, params: { pick: 0 } }],
  convergenceBoundMs: 120_000,
};

describe('the sim target', () => {
  it('runs a scenario to convergence with every invariant holding, and replays it', async () => {
    const target = createSimTarget();
    const a = await target.run(scenario);
    const verdict = judge(a, INVARIANTS);
    expect(verdict.failed?.result.violations ?? []).toEqual([]);
    const pods = a.history.final?.objects.filter((o) => o.kind === 'Pod' && o.phase === 'Running') ?? [];
    expect(pods.length).toBe(5);
    const b = await target.run(scenario);
    expect(b.traceHash).toBe(a.traceHash);
  });
});
