// The local target: the reference as processes (`kubeprop up` machinery, process runtime,
// file-backed store), started once for the file. A scenario that surely kills a running
// container and loses a node shows the process-level faults take effect; then a small
// campaign with container-kill and node-loss faults must hold every invariant, the
// runtime part of convergence included.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../../chaos/index.js';
import { judge, runCampaign, type CampaignResult } from '../../harness/campaign/campaign.js';
import type { Scenario } from '../../harness/campaign/scenario.js';
import { scenarioArbitrary } from '../../harness/generators/scenario.js';
import { INVARIANTS } from '../../harness/invariants/index.js';
import type { KubeTarget } from '../../harness/targets/kube-target.js';
import { createLocalTarget } from '../../harness/targets/local-target.js';
import { invariantCells } from '../support/invariant-cells.js';
import { kubepropUpAvailable } from '../support/kubeprop-up.js';

const available = kubepropUpAvailable();
const SEED = 7_001;
const FAULTS = ['container-kill', 'node-loss'];
/** Scenario ms → wall ms: long enough that a lost node outlives the 8 s node-monitor grace period now and then. */
const TIME_SCALE = 0.1;

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } },
  },
});

describe.skipIf(!available)('the local target', () => {
  let target: KubeTarget;

  beforeAll(async () => {
    target = await createLocalTarget({ nodes: 2, timeScale: TIME_SCALE });
  }, 120_000);

  afterAll(async () => {
    await target?.close();
  }, 60_000);

  it('kills a running container and loses a node, and the reference recovers', async () => {
    const node = (name: string) => ({ name, cpuMilli: 2000, memoryMi: 4096, pods: 110 });
    const scenario: Scenario = {
      seed: 1,
      cluster: { nodes: [node('node-1'), node('node-2')] },
      operations: [{ at: 0, operation: { op: 'create', manifest: deployment('web', 4) } }],
      faults: [
        { at: 40_000, kind: 'container-kill', target: 'node-1', durationMs: 0, params: { pick: 0 } },
        { at: 60_000, kind: 'node-loss', target: 'node-2', durationMs: 50_000 },
      ],
      convergenceBoundMs: 120_000,
    };
    const outcome = await target.run(scenario);
    const h = outcome.history;
    const verdict = judge(outcome, INVARIANTS);
    expect(verdict.failed?.result.violations.map((v) => v.message) ?? []).toEqual([]);

    const kill = h.faults.find((f) => f.kind === 'container-kill');
    expect(kill?.detail).toMatch(/^kubeprop-1-\d+\/web-[a-z0-9]+-[a-z0-9]+\/main \(process:\/\/\d+\)$/);
    expect(h.faults.filter((f) => f.kind === 'node-loss').map((f) => f.phase)).toEqual(['inject', 'heal']);
    // Both faults really happened: the killed container was restarted on node-1, and the
    // lost node's containers died with it (restarted when its kubelet came back, or replaced).
    const pods = (h.final?.objects ?? []).filter((o) => o.kind === 'Pod');
    expect(pods.some((p) => p.nodeName === 'node-1' && (p.restartCounts?.main ?? 0) >= 1)).toBe(true);
    const onLostNode = new Set(h.watches.filter((w) => w.object.kind === 'Pod' && w.object.nodeName === 'node-2' && w.time < (kill?.time ?? 0)).map((w) => w.object.uid));
    expect(onLostNode.size).toBeGreaterThan(0);
    for (const uid of onLostNode) {
      const now = pods.find((p) => p.uid === uid);
      expect(now === undefined || (now.restartCounts?.main ?? 0) >= 1).toBe(true);
    }
    // The runtime part of convergence was judged: the final state has the runtimes' containers.
    expect(h.final?.containers?.filter((c) => c.running).length).toBe(4);
    expect(h.final?.liveNodes).toEqual(['node-1', 'node-2']);
  }, 150_000);

  let campaign: CampaignResult | undefined;

  it('holds every invariant over a small campaign with container-kill and node-loss', async () => {
    const kinds = FAULT_KINDS.filter((k) => FAULTS.includes(k.kind));
    expect(kinds.every((k) => target.faultKinds.includes(k.kind))).toBe(true);
    const result = await runCampaign({
      target,
      scenarios: scenarioArbitrary({ faultKinds: kinds, nodes: { max: target.nodes.length }, maxOperations: 4, maxFaults: 2, horizonMs: 30_000 }).filter((s) => s.faults.length > 0),
      invariants: INVARIANTS,
      runs: 3,
      seed: SEED,
    });
    campaign = result;
    const failure = result.counterexample;
    expect(failure ? `${failure.invariant}: ${failure.violations.map((v) => v.message).join('\n')}\n${JSON.stringify(failure.scenario)}` : 'ok').toBe('ok');
    expect(result.faultsInjected).toBeGreaterThan(0);
    const convergence = result.invariants.find((s) => s.name === 'convergence');
    expect(convergence?.notChecked ?? '').not.toMatch(/runtimes/);
  }, 240_000);

  invariantCells('local', () => campaign);

  it('refuses mutants', async () => {
    const [scenario] = fc.sample(scenarioArbitrary({ faultKinds: [], maxOperations: 1 }), { seed: 1, numRuns: 1 });
    if (!scenario) throw new Error('no scenario');
    await expect(target.run(scenario, { mutant: 'anything' })).rejects.toThrow(/sim target only/);
  });
});
