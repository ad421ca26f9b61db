// `kubeprop mutants`: measures the harness. For each named bug the reference can be switched
// into, a bounded campaign tries to catch it; the table says which were killed, how fast,
// how small the counterexample shrank, and which invariant caught it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCampaign } from '../../campaign/campaign.js';
import { writeCounterexample } from '../../campaign/write-counterexample.js';
import { scenarioArbitrary } from '../../generators/scenario.js';
import { INVARIANTS } from '../../invariants/index.js';
import { createSimTarget } from '../../targets/sim-target.js';
import { FAULT_KINDS } from '../../../chaos/index.js';
import { MUTANTS } from '../../../impl/mutants.js';
import { writeAllureResults } from '../../../reports/allure-results.js';
import { campaignResults } from '../../../reports/campaign-results.js';
import { durationOption, intOption, parse } from '../args.js';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../command.js';

const usage = `Usage: kubeprop mutants [--list] [--only NAME] [--runs N] [--time D] [--seed S] [--out DIR] [--json]

Runs a bounded fuzz campaign against the sim target with each named bug ("mutant") switched
on, and prints whether the invariants caught it (killed), after how many runs and seconds,
how many steps the shrunk counterexample has, and which invariant caught it.

  --list        only list the mutants
  --only NAME   just this mutant
  --runs N      run budget per mutant (default 40)
  --time D      time budget per mutant (default 120s)
  --seed S      campaign seed (default 1)
  --out DIR     where counterexamples go (default ./kubeprop-out/mutants), and Allure
                results for kubeprop report (DIR/allure-results: each mutant is a column
                of the conformance matrix, where a failed invariant means it was caught)

Exit code 0 when every mutant was killed, 1 when one survived.
`;

interface Row {
  name: string;
  killed: boolean;
  runsToKill?: number;
  secondsToKill?: number;
  shrunkSteps?: number;
  invariant?: string;
  counterexample?: string;
}

export const mutantsCommand: Command = {
  name: 'mutants',
  summary: 'check that the harness catches each named bug of the reference',
  usage,
  async run(args) {
    const { values } = parse(args, {
      list: { type: 'boolean' },
      only: { type: 'string' },
      runs: { type: 'string' },
      time: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.list) {
      if (values.json) console.log(JSON.stringify({ mutants: MUTANTS.map((m) => ({ name: m.name, description: m.description })) }));
      else for (const m of MUTANTS) console.log(`${m.name.padEnd(42)} ${m.description}`);
      return EXIT_OK;
    }
    const chosen = values.only ? MUTANTS.filter((m) => m.name === values.only) : MUTANTS;
    if (chosen.length === 0) throw new UsageError(`unknown mutant "${values.only}"; --list names them`);
    const runs = intOption(values.runs, 'runs', 40, 1);
    const timeLimitMs = durationOption(values.time, 'time', 120_000);
    const seed = intOption(values.seed, 'seed', 1);
    const outDir = values.out ?? 'kubeprop-out/mutants';
    const rows: Row[] = [];
    const allureDir = join(outDir, 'allure-results');
    for (const m of chosen) {
      const target = createSimTarget();
      const started = performance.now();
      const startedAt = Date.now();
      const faults = FAULT_KINDS.filter((k) => k.injectSim);
      if (!values.json) process.stderr.write(`${m.name} ... `);
      const result = await runCampaign({
        target,
        scenarios: scenarioArbitrary({ faultKinds: faults }),
        invariants: INVARIANTS,
        runs,
        seed,
        timeLimitMs,
        mutant: m.name,
      });
      const ce = result.counterexample;
      const row: Row = ce
        ? {
            name: m.name,
            killed: true,
            runsToKill: result.runs,
            secondsToKill: Math.round((performance.now() - started) / 100) / 10,
            shrunkSteps: ce.scenario.operations.length + ce.scenario.faults.length,
            invariant: ce.invariant,
            counterexample: writeCounterexample(ce, { outDir, target: target.name, mutant: m.name, runs: result.runs }),
          }
        : { name: m.name, killed: false, runsToKill: result.runs };
      rows.push(row);
      writeAllureResults(
        allureDir,
        campaignResults({
          result,
          target: target.name,
          mutant: m.name,
          seed,
          faults: faults.map((f) => f.kind),
          invariants: INVARIANTS,
          ...(row.counterexample ? { counterexample: { path: row.counterexample, yaml: readFileSync(row.counterexample, 'utf8') } } : {}),
          command: `npx kubeprop mutants --only ${m.name} --seed ${seed} --runs ${runs}`,
          startedAt,
          stoppedAt: Date.now(),
        }),
      );
      if (!values.json) process.stderr.write(row.killed ? `killed by ${row.invariant} after ${row.runsToKill} runs\n` : `SURVIVED ${result.runs} runs\n`);
    }
    if (values.json) {
      console.log(JSON.stringify({ mutants: rows.map((r) => ({ name: r.name, killed: r.killed, runsToKill: r.runsToKill ?? null, secondsToKill: r.secondsToKill ?? null, shrunkSteps: r.shrunkSteps ?? null, invariant: r.invariant ?? null, counterexample: r.counterexample ?? null })) }));
    } else {
      const head = ['mutant', 'killed', 'runs', 'seconds', 'steps', 'invariant'];
      const cells = rows.map((r) => [r.name, r.killed ? 'yes' : 'NO', String(r.runsToKill ?? '-'), String(r.secondsToKill ?? '-'), String(r.shrunkSteps ?? '-'), r.invariant ?? '-']);
      const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
      const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
      console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n'));
      console.log(`allure results: ${allureDir} (kubeprop report --results ${allureDir})`);
    }
    return rows.every((r) => r.killed) ? EXIT_OK : EXIT_FAILED;
  },
};
