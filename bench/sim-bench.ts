// The sim target's speed: generated scenarios (the whole reference control plane, user
// operations and faults) run per minute, simulated events per second, and how much virtual
// time passes per second of wall time.

import fc from 'fast-check';
import { FAULT_KINDS } from '../chaos/index.js';
import { scenarioArbitrary } from '../harness/generators/scenario.js';
import { createSimTarget } from '../harness/targets/sim-target.js';
import type { Benchmark } from './benchmark.js';

const SCENARIOS = 30;

export const simBenchmark: Benchmark = {
  name: 'sim',
  description: `${SCENARIOS} generated scenarios on the sim target (every fault kind): scenarios/min and virtual:wall time`,
  async run() {
    const scenarios = fc.sample(scenarioArbitrary({ faultKinds: FAULT_KINDS.filter((k) => k.injectSim) }), { numRuns: SCENARIOS, seed: 42 });
    const target = createSimTarget();
    let wallMs = 0;
    let virtualMs = 0;
    let faults = 0;
    let operations = 0;
    for (const s of scenarios) {
      const out = await target.run(s);
      wallMs += out.wallMs;
      virtualMs += out.targetMs;
      faults += s.faults.length;
      operations += s.operations.length;
    }
    const perMinute = (SCENARIOS / wallMs) * 60_000;
    const ratio = virtualMs / wallMs;
    return {
      table: {
        columns: ['scenarios', 'operations', 'faults', 'wall s', 'virtual s', 'scenarios/min', 'virtual:wall'],
        rows: [[SCENARIOS, operations, faults, wallMs / 1000, virtualMs / 1000, perMinute, ratio]],
      },
      data: { scenarios: SCENARIOS, operations, faults, wallMs, virtualMs, scenariosPerMinute: perMinute, virtualToWall: ratio },
      notes: ['one process, one core; each scenario boots the cluster (10 s virtual), runs its operations and faults, then waits out the convergence bound'],
    };
  },
};
