import { it } from 'vitest';
import fc from 'fast-check';
import { FAULT_KINDS } from './index.js';
import { scenarioArbitrary } from '../harness/generators/scenario.js';
import { createSimTarget } from '../harness/targets/sim-target.js';
import { judge } from '../harness/campaign/campaign.js';
import { INVARIANTS } from '../harness/invariants/index.js';
import type { Scenario } from '../harness/campaign/scenario.js';
import { writeFileSync } from 'node:fs';

it('campaign', async () => {
  const seed = Number(process.env.SEED ?? 1);
  const runs = Number(process.env.RUNS ?? 20);
  const only = process.env.KINDS?.split(',');
  const kinds = FAULT_KINDS.filter((k) => !only || only.includes(k.kind));
  const samples = fc.sample(scenarioArbitrary({ faultKinds: kinds, maxFaults: Number(process.env.MAXF ?? 3) }), { seed, numRuns: runs });
  let i = 0;
  for (const raw of samples) {
    const spare = raw.faults.some((f) => f.kind === 'node-add');
    const s: Scenario = spare
      ? { ...raw, cluster: { nodes: [...raw.cluster.nodes, { name: 'node-spare', cpuMilli: 4000, memoryMi: 8192, pods: 110, spare: true }] }, faults: raw.faults.map((f) => (f.kind === 'node-add' ? { ...f, target: 'node-spare' } : f)) }
      : raw;
    const t = performance.now();
    let line: string;
    try {
      const o = await createSimTarget().run(s);
      const v = judge(o, INVARIANTS);
      line = `#${i} ${Math.round(performance.now() - t)}ms ${v.failed ? 'FAIL ' + v.failed.invariant : 'ok'} nodes=${s.cluster.nodes.length} ops=${s.operations.length} kinds=${s.faults.map((f) => f.kind).join(',')}`;
      if (v.failed) {
        writeFileSync(`/tmp/kp/fail-${seed}-${i}.json`, JSON.stringify({ scenario: s, violations: v.failed.result.violations }, null, 1));
        line += '\n    ' + v.failed.result.violations.slice(0, 4).map((x) => x.message).join('\n    ');
      }
    } catch (e) {
      line = `#${i} ERROR ${e instanceof Error ? e.stack : String(e)}`;
      writeFileSync(`/tmp/kp/error-${seed}-${i}.json`, JSON.stringify({ scenario: s }, null, 1));
    }
    console.log(line);
    i++;
  }
}, 3_000_000);
