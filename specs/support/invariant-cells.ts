// One test per invariant after a campaign, each placed in the conformance matrix's cell
// (invariant row × the target's column): the report then shows which invariants a target
// was judged by, which failed, and which it could not check (skipped, with the reason).

import { expect, it } from 'vitest';
import type { CampaignResult } from '../../harness/campaign/campaign.js';
import { INVARIANTS } from '../../harness/invariants/index.js';
import { labelTest, matrixCell } from '../../reports/spec-labels.js';

/**
 * Declares the per-invariant tests; call it after the test that runs the campaign, in the
 * same describe block, with a getter for that campaign's result.
 */
export function invariantCells(column: string, campaign: () => CampaignResult | undefined): void {
  it.for(INVARIANTS.map((i) => [i.name, i.description] as const))(`invariant %s holds on ${column}`, async ([name, description], ctx) => {
    await matrixCell(`invariant:${name}`, column);
    await labelTest({ epic: 'invariants', feature: name, story: description, severity: 'critical', target: column });
    const result = campaign();
    expect(result, 'the campaign did not run (see the test before)').toBeDefined();
    const stats = result!.invariants.find((s) => s.name === name);
    expect(stats, `${name} was not judged`).toBeDefined();
    const failure = result!.counterexample?.invariant === name ? result!.counterexample : undefined;
    expect(failure?.violations.map((v) => v.message) ?? [], `${name} failed on ${column}`).toEqual([]);
    expect(stats!.failures, `${name} failed ${stats!.failures} of ${stats!.runs} runs`).toBe(0);
    if (stats!.notChecked !== undefined || stats!.checks === 0) ctx.skip(`${name} not checked on ${column}: ${stats!.notChecked ?? 'no checks'}`);
  });
}
