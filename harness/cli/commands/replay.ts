// `kubeprop replay FILE`: re-runs a counterexample on the sim target and checks that the
// same invariant fails again with the same trace hash.

import { readFileSync } from 'node:fs';
import { parseCounterexample, CounterexampleFileError } from '../../campaign/counterexample-file.js';
import { judge } from '../../campaign/campaign.js';
import { invariantByName } from '../../invariants/index.js';
import { createSimTarget } from '../../targets/sim-target.js';
import { parse } from '../args.js';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../command.js';

const usage = `Usage: kubeprop replay FILE [--json]

Re-runs the counterexample in FILE (written by kubeprop fuzz or kubeprop mutants) on the sim
target and reports whether it reproduces: the same invariant fails, with the same trace hash.
Exit code 0 when it reproduces, 1 when it does not, 2 on a bad file.
`;

export const replayCommand: Command = {
  name: 'replay',
  summary: 'reproduce a counterexample file on the sim target',
  usage,
  async run(args) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } }, true);
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new UsageError('give exactly one counterexample FILE');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
    let ce;
    try {
      ce = parseCounterexample(text, file);
    } catch (e) {
      if (e instanceof CounterexampleFileError) throw new UsageError(e.message);
      throw e;
    }
    const invariant = invariantByName(ce.invariant);
    if (!invariant) throw new UsageError(`${file}: unknown invariant "${ce.invariant}"`);
    const target = createSimTarget();
    try {
      const outcome = await target.run(ce.scenario, ce.mutant ? { mutant: ce.mutant } : {});
      const verdict = judge(outcome, [invariant]);
      const sameHash = ce.traceHash === undefined || ce.traceHash === outcome.traceHash;
      const reproduced = verdict.failed !== undefined && sameHash;
      const summary = {
        reproduced,
        invariant: ce.invariant,
        violations: verdict.failed?.result.violations.map((v) => v.message) ?? [],
        traceHash: outcome.traceHash,
        expectedTraceHash: ce.traceHash,
      };
      if (values.json) console.log(JSON.stringify(summary));
      else {
        console.log(reproduced ? `reproduced: ${ce.invariant} fails again` : `NOT reproduced: ${verdict.failed ? 'the invariant fails but the trace differs' : `${ce.invariant} holds`}`);
        for (const v of summary.violations) console.log(`  ${v}`);
        console.log(`trace hash ${outcome.traceHash ?? '-'}${sameHash ? ' (same as recorded)' : ` (recorded ${ce.traceHash})`}`);
      }
      return reproduced ? EXIT_OK : EXIT_FAILED;
    } finally {
      await target.close();
    }
  },
};
