// The sim target: the clean reference in the deterministic simulator must hold every
// invariant over a campaign with every fault kind (the fuzz command's default job, smaller),
// and each invariant's verdict lands in the conformance matrix's sim column.

import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../../chaos/index.js';
import { runCampaign, type CampaignResult } from '../../harness/campaign/campaign.js';
import { scenarioArbitrary } from '../../harness/generators/scenario.js';
import { INVARIANTS } from '../../harness/invariants/index.js';
import { createSimTarget } from '../../harness/targets/sim-target.js';
import { invariantCells } from '../support/invariant-cells.js';

const SEED = 4_242;
const RUNS = 40;

describe('the sim target', () => {
  let campaign: CampaignResult | undefined;

  it(`holds every invariant over ${RUNS} runs with every fault kind (seed ${SEED})`, async () => {
    const kinds = FAULT_KINDS.filter((k) => k.injectSim);
    const result = await runCampaign({ target: createSimTarget(), scenarios: scenarioArbitrary({ faultKinds: kinds }), invariants: INVARIANTS, runs: RUNS, seed: SEED });
    campaign = result;
    const failure = result.counterexample;
    const replay = `npx kubeprop fuzz --runs ${RUNS} --seed ${SEED}`;
    expect(failure ? `${failure.invariant}: ${failure.violations.map((v) => v.message).join('\n')}\n(reproduce: ${replay})` : 'ok').toBe('ok');
    expect(result.runs).toBe(RUNS);
    expect(result.faultsInjected).toBeGreaterThan(RUNS / 2);
  }, 180_000);

  invariantCells('sim', () => campaign);
});
