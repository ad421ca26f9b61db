import fc from 'fast-check';
import { createLocalTarget } from '/work/main/harness/targets/local-target.js';
import { scenarioArbitrary } from '/work/main/harness/generators/scenario.js';
import { INVARIANTS } from '/work/main/harness/invariants/index.js';
import { FAULT_KINDS } from '/work/main/chaos/index.js';
const t0 = performance.now();
const target = await createLocalTarget({ nodes: 3, timeScale: Number(process.env.SCALE ?? 0.05), log: (l) => { if (process.env.V) console.log(Math.round(performance.now() - t0), l); } });
console.log('up in', Math.round(performance.now() - t0), 'ms; faultKinds', target.faultKinds.join(','), 'nodes', target.nodes.join(','));
const want = (process.env.FAULTS ?? 'container-kill,node-loss').split(',');
const kinds = FAULT_KINDS.filter((k) => want.includes(k.kind));
const scenarios = fc.sample(scenarioArbitrary({ faultKinds: kinds, nodes: { max: 3 }, maxOperations: Number(process.env.OPS ?? 6), maxFaults: Number(process.env.MAXF ?? 3) }), { seed: Number(process.env.SEED ?? 1), numRuns: Number(process.env.N ?? 2) });
let bad = 0;
try {
  for (const s of scenarios.slice(Number(process.env.SKIP ?? 0))) {
    const o = await target.run(s);
    console.log('run', s.seed, 'nodes', s.cluster.nodes.length, 'ops', s.operations.length, 'faults', s.faults.map((f) => `${f.kind}@${f.at}/${f.durationMs}`).join(' '), 'wall', Math.round(o.wallMs), 'target', Math.round(o.targetMs), 'watches', o.history.watches.length, 'containers', o.history.final?.containers?.length);
    console.log('  faults', o.history.faults.map((f) => `${Math.round(f.time)} ${f.kind} ${f.phase} ${f.detail ?? ''}`).join(' | '));
    for (const inv of INVARIANTS) {
      const r = inv.check(o.history);
      if (!r.ok) bad++;
      if (!r.ok || process.env.V) console.log('  ', inv.name, r.ok ? 'ok' : 'FAIL', r.checks, r.notChecked ?? '', r.violations.map((v) => v.message).join('\n      '));
    }
    if (process.env.DUMP) (await import('node:fs')).writeFileSync(`/work/main/.kp-scratch/out/hist-${s.seed}.json`, JSON.stringify({ scenario: s, history: o.history }, null, 1));
  }
} finally {
  const c = performance.now();
  await target.close();
  console.log('total', Math.round(performance.now() - t0), 'close', Math.round(performance.now() - c), 'bad', bad);
}
