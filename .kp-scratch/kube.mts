import fc from 'fast-check';
import { createKubeTarget } from '/work/main/harness/targets/kube-target.js';
import { scenarioArbitrary } from '/work/main/harness/generators/scenario.js';
import { INVARIANTS } from '/work/main/harness/invariants/index.js';
import { FAULT_KINDS } from '/work/main/chaos/index.js';
const t0 = performance.now();
const target = await createKubeTarget({ kubeconfig: process.env.KC ?? '/tmp/kp/up1/admin.kubeconfig', quietMs: Number(process.env.QUIET ?? 10000) });
console.log('connected', Math.round(performance.now() - t0), 'ms; faultKinds', target.faultKinds.join(','), 'nodes', target.nodes.join(','));
const kinds = FAULT_KINDS.filter((k) => target.faultKinds.includes(k.kind));
const scenarios = fc.sample(scenarioArbitrary({ faultKinds: kinds, nodes: { max: target.nodes.length }, maxOperations: Number(process.env.OPS ?? 6), maxFaults: 2 }), { seed: Number(process.env.SEED ?? 1), numRuns: Number(process.env.N ?? 2) });
let bad = 0;
try {
  for (const s of scenarios.slice(Number(process.env.SKIP ?? 0))) {
    const o = await target.run(s);
    console.log('run', s.seed, 'ops', s.operations.length, 'faults', s.faults.map((f) => `${f.kind}@${f.at}/${f.durationMs}`).join(' '), 'wall', Math.round(o.wallMs), 'target', Math.round(o.targetMs), 'watches', o.history.watches.length);
    if (process.env.V) console.log('  faults', JSON.stringify(o.history.faults));
    if (process.env.V) console.log('  ops', o.history.operations.map((r) => `${r.op} ${r.target} ${r.code}`).join('; '));
    for (const inv of INVARIANTS) {
      const r = inv.check(o.history);
      if (!r.ok) bad++;
      console.log('  ', inv.name, r.ok ? 'ok' : 'FAIL', r.checks, r.notChecked ?? '', r.violations.map((v) => v.message).join('\n      '));
    }
    if (process.env.DUMP) (await import('node:fs')).writeFileSync(`/work/main/.kp-scratch/out/hist-${s.seed}.json`, JSON.stringify({ scenario: s, history: o.history }, null, 1));
  }
} finally {
  const c = performance.now();
  await target.close();
  console.log('total', Math.round(performance.now() - t0), 'close', Math.round(performance.now() - c), 'bad', bad);
}
