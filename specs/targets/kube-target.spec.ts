// The kubeconfig target against a live `kubeprop up`, as if it were someone else's cluster:
// a small campaign of generated scenarios (with the API-level faults this target can
// inject) must hold every invariant, or say it was not checked; each run leaves no
// namespace and no cordoned node behind.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../../chaos/index.js';
import { runCampaign, type CampaignResult } from '../../harness/campaign/campaign.js';
import { scenarioArbitrary } from '../../harness/generators/scenario.js';
import { INVARIANTS } from '../../harness/invariants/index.js';
import { createKubeTarget, type KubeTarget } from '../../harness/targets/kube-target.js';
import type { RunOutcome, Target } from '../../harness/targets/target.js';
import { invariantCells } from '../support/invariant-cells.js';
import { kubepropUpAvailable, startKubepropUp, type KubepropUp } from '../support/kubeprop-up.js';

const available = kubepropUpAvailable();
const SEED = 20_251;

/** A target that keeps every outcome, so the test can look at the histories too. */
function recording(target: Target, outcomes: RunOutcome[]): Target {
  return {
    ...target,
    run: async (scenario, options) => {
      const outcome = await target.run(scenario, options);
      outcomes.push(outcome);
      return outcome;
    },
  };
}

describe.skipIf(!available)('the kubeconfig target against kubeprop up', () => {
  let cluster: KubepropUp;
  let target: KubeTarget;

  beforeAll(async () => {
    cluster = await startKubepropUp({ nodes: 2 });
    target = await createKubeTarget({ kubeconfig: cluster.kubeconfig });
  }, 120_000);

  afterAll(async () => {
    await target?.close();
    await cluster?.stop();
  }, 60_000);

  it('offers the API-level faults only, and the cluster\'s nodes', () => {
    expect(target.name).toBe(`kubeconfig:${cluster.kubeconfig}`);
    expect(target.deterministic).toBe(false);
    expect([...target.faultKinds].sort()).toEqual(['duplicate-create', 'stale-update']);
    expect(target.nodes).toEqual(['node-1', 'node-2']);
  });

  let campaign: CampaignResult | undefined;

  it('holds every invariant over a small campaign, and cleans up after each run', async () => {
    const outcomes: RunOutcome[] = [];
    const result = await runCampaign({
      target: recording(target, outcomes),
      scenarios: scenarioArbitrary({
        faultKinds: FAULT_KINDS.filter((k) => target.faultKinds.includes(k.kind)),
        nodes: { max: target.nodes.length },
        maxOperations: 4,
        maxFaults: 2,
        horizonMs: 30_000,
      }).filter((s) => s.faults.length > 0),
      invariants: INVARIANTS,
      runs: 3,
      seed: SEED,
    });
    campaign = result;
    const failure = result.counterexample;
    expect(failure ? `${failure.invariant}: ${failure.violations.map((v) => v.message).join('\n')}\n${JSON.stringify(failure.scenario)}` : 'ok').toBe('ok');
    expect(result.runs).toBe(3);
    expect(result.faultsInjected).toBeGreaterThan(0);

    // What this target cannot see is reported, not passed silently.
    const stats = new Map(result.invariants.map((s) => [s.name, s]));
    expect(stats.get('store-only-via-apiserver')?.notChecked).toMatch(/no store revisions/);
    expect(stats.get('convergence')?.notChecked).toMatch(/does not see its nodes' runtimes/);
    expect(stats.get('pod-lifecycle')?.checks).toBeGreaterThan(0);
    expect(stats.get('safety')?.checks).toBeGreaterThan(0);

    // Histories: each run in its own namespace, Nodes known from the start, faults recorded.
    const namespaces = new Set(outcomes.flatMap((o) => o.history.watches.map((w) => w.object.namespace).filter((n) => n !== undefined)));
    expect([...namespaces].every((n) => /^kubeprop-\d+-\d+$/.test(n))).toBe(true);
    for (const o of outcomes) {
      expect(o.history.watches.filter((w) => w.initial && w.object.kind === 'Node').map((w) => w.object.name).sort()).toEqual(['node-1', 'node-2']);
      expect(o.history.final?.containers).toBeUndefined();
      expect(o.history.faults.some((f) => f.phase === 'inject')).toBe(true);
    }

    // Nothing left behind: no run namespace, no cordoned node.
    expect(await cluster.kubectl('get', 'namespaces', '-o', 'name')).not.toMatch(/kubeprop-\d/);
    expect(await cluster.kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].spec.unschedulable}')).not.toMatch(/true/);
  }, 240_000);

  invariantCells('kubeconfig', () => campaign);

  it('refuses mutants and faults it cannot inject', async () => {
    const [scenario] = fc.sample(scenarioArbitrary({ faultKinds: [], maxOperations: 1 }), { seed: 1, numRuns: 1 });
    if (!scenario) throw new Error('no scenario');
    await expect(target.run(scenario, { mutant: 'anything' })).rejects.toThrow(/sim target only/);
    await expect(target.run({ ...scenario, faults: [{ at: 0, kind: 'node-loss', target: 'node-1', durationMs: 1000 }] })).rejects.toThrow(/cannot inject fault kind node-loss/);
  });
});
