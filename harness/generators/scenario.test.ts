// Whole scenarios: their shape follows the options (cluster size, operations within the
// horizon, faults only of the given kinds and at most as many as allowed), they shrink to
// smaller scenarios, and — the smoke property — a few of them run on the sim target with every
// invariant of harness/invariants holding, as it must on the clean reference.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../../chaos/index.js';
import { assertProperty, checkProperty } from '../../specs/support/property.js';
import { judge } from '../campaign/campaign.js';
import { scenarioSize, type Scenario } from '../campaign/scenario.js';
import { INVARIANTS } from '../invariants/index.js';
import { createSimTarget } from '../targets/sim-target.js';
import { scenarioArbitrary } from './scenario.js';

const FILE = 'harness/generators/scenario.test.ts';
const SIM_KINDS = FAULT_KINDS.filter((k) => k.injectSim);

describe('generated scenarios', () => {
  it('follow their options', () => {
    const options = { faultKinds: SIM_KINDS, maxOperations: 6, maxFaults: 2, horizonMs: 30_000, convergenceBoundMs: 90_000, nodes: { min: 2, max: 3 } };
    const kinds = new Set(SIM_KINDS.map((k) => k.kind));
    checkProperty(
      FILE,
      'options',
      fc.property(scenarioArbitrary(options), (s) => {
        const nodes = new Set(s.cluster.nodes.map((n) => n.name));
        return (
          s.cluster.nodes.length >= 2 &&
          s.cluster.nodes.length <= 3 &&
          nodes.size === s.cluster.nodes.length &&
          s.cluster.nodes.some((n) => !n.spare) &&
          s.operations.length <= 6 &&
          s.operations.every((o) => o.at >= 0 && o.at <= 30_000) &&
          s.faults.length <= 2 &&
          s.faults.every((f) => kinds.has(f.kind) && f.at >= 0 && f.at < 30_000) &&
          s.convergenceBoundMs === 90_000
        );
      }),
    );
    checkProperty(FILE, 'no faults', fc.property(scenarioArbitrary({ faultKinds: [] }), (s) => s.faults.length === 0));
  });

  it('shrink toward fewer steps and nodes', () => {
    // A property that fails on any scenario with an operation: the shrunk counterexample is minimal.
    const details = fc.check(fc.property(scenarioArbitrary({ faultKinds: SIM_KINDS }), (s) => s.operations.length === 0), { seed: 17, numRuns: 200 });
    expect(details.failed).toBe(true);
    const [shrunk] = details.counterexample as [Scenario];
    expect(scenarioSize(shrunk)).toBe(1);
    expect(shrunk.cluster.nodes.length).toBe(1);
  });

  it('run on the sim target with every invariant holding (smoke)', async () => {
    const target = createSimTarget();
    await assertProperty(
      fc.asyncProperty(scenarioArbitrary({ faultKinds: SIM_KINDS }), async (scenario) => {
        const outcome = await target.run(scenario);
        const verdict = judge(outcome, INVARIANTS);
        if (verdict.failed) {
          throw new Error(`${verdict.failed.invariant} failed:\n${verdict.failed.result.violations.map((v) => `  ${v.message}`).join('\n')}\nscenario: ${JSON.stringify(scenario)}`);
        }
      }),
      { file: FILE, numRuns: 5, parameters: { endOnFailure: true } },
    );
  });
});
