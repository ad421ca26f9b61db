// `kubeprop fuzz`: a property-based campaign against a target: generated scenarios (manifests,
// operations, fault schedules), every invariant judged after every run, the first failure
// shrunk to a counterexample file with its replay command.

import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCampaign, type CampaignResult } from '../../campaign/campaign.js';
import { writeCounterexample } from '../../campaign/write-counterexample.js';
import { scenarioArbitrary } from '../../generators/scenario.js';
import { INVARIANTS, invariantByName } from '../../invariants/index.js';
import { localRuntimeProblem } from '../../targets/local-target.js';
import { isLocalRuntimeName, LOCAL_RUNTIMES } from '../../targets/local-runtime.js';
import { faultKindsOf, openTarget, targetSpecProblem } from '../../targets/open-target.js';
import type { Invariant } from '../../invariants/invariant.js';
import { FAULT_KINDS, faultKindByName } from '../../../chaos/index.js';
import type { FaultKind } from '../../../chaos/fault-kind.js';
import { isMutant } from '../../../impl/mutants.js';
import { writeAllureResults } from '../../../reports/allure-results.js';
import { campaignResults } from '../../../reports/campaign-results.js';
import { durationOption, intOption, parse } from '../args.js';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../command.js';

const usage = `Usage: kubeprop fuzz [options]

Generates scenarios (manifests, user operations, fault schedules), runs each on the target,
and judges every run with the invariants. The first failure is shrunk to a small
counterexample, written to --out with the command that replays it.

Options:
  --target T        sim (default; the reference in the deterministic simulator),
                    local (the reference as processes on this machine, started for the campaign),
                    or kubeconfig:FILE[#context] (any cluster; each run in its own namespace)
  --runtime R       the local target's container runtime: process (default; host processes
                    under busybox-static) or docker (the local Docker Engine, network mode none,
                    images from scripts/build-images.sh; its containers are removed at the end)
  --runs N          scenarios to try (default 100)
  --seed S          campaign seed (default: random, printed)
  --time D          stop starting new runs after D (e.g. 60s, 5m)
  --faults LIST     fault kinds, comma-separated, or "all" (default: all the target can inject), or "none"
  --invariants LIST invariants to judge (default all)
  --mutant NAME     switch on a named bug in the reference (kubeprop mutants --list; sim only)
  --out DIR         where counterexamples go (default ./kubeprop-out), and Allure results
                    for kubeprop report (DIR/allure-results: one test per invariant)
  --json            print one JSON summary instead of text

Exit code: 0 every property held, 1 a counterexample was found, 2 bad usage.
`;

function pickFaults(spec: string | undefined, targetName: string): FaultKind[] {
  const injectable = faultKindsOf(targetName);
  if (spec === undefined || spec === 'all') return injectable;
  if (spec === 'none' || spec === '') return [];
  return spec.split(',').map((name) => {
    const k = faultKindByName(name.trim());
    if (!k) throw new UsageError(`unknown fault kind "${name}"; known: ${FAULT_KINDS.map((f) => f.kind).join(', ')}`);
    if (!injectable.includes(k)) throw new UsageError(`target ${targetName} cannot inject fault kind "${k.kind}"; it can inject: ${injectable.map((f) => f.kind).join(', ') || 'none'}`);
    return k;
  });
}

function pickInvariants(spec: string | undefined): Invariant[] {
  if (spec === undefined || spec === 'all') return [...INVARIANTS];
  return spec.split(',').map((name) => {
    const i = invariantByName(name.trim());
    if (!i) throw new UsageError(`unknown invariant "${name}"; known: ${INVARIANTS.map((x) => x.name).join(', ')}`);
    return i;
  });
}

/** An argument as a POSIX shell reads it back. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function table(result: CampaignResult): string {
  const rows = result.invariants.map((s) => [s.name, s.failures ? 'FAIL' : s.checks === 0 ? 'n/a' : 'ok', String(s.runs), String(s.checks), `${Math.round(s.ms)} ms`]);
  const head = ['invariant', 'result', 'runs', 'checks', 'time'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const fuzzCommand: Command = {
  name: 'fuzz',
  summary: 'run a property-based chaos campaign against a target',
  usage,
  async run(args) {
    const { values } = parse(args, {
      target: { type: 'string' },
      runtime: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      time: { type: 'string' },
      faults: { type: 'string' },
      invariants: { type: 'string' },
      mutant: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
    });
    const targetName = values.target ?? 'sim';
    const targetProblem = targetSpecProblem(targetName);
    if (targetProblem) throw new UsageError(targetProblem);
    if (values.mutant !== undefined && !isMutant(values.mutant)) throw new UsageError(`unknown mutant "${values.mutant}"; kubeprop mutants --list names them`);
    if (values.mutant !== undefined && targetName !== 'sim') throw new UsageError(`--mutant switches a bug on in the sim target only, not in ${targetName}`);
    const runtime = values.runtime;
    if (runtime !== undefined && targetName !== 'local') throw new UsageError(`--runtime chooses the local target's container runtime; target ${targetName} has none to choose`);
    if (runtime !== undefined && !isLocalRuntimeName(runtime)) throw new UsageError(`--runtime must be ${LOCAL_RUNTIMES.join(' or ')}, got "${runtime}"`);
    const runs = intOption(values.runs, 'runs', 100, 1);
    const seed = values.seed !== undefined ? intOption(values.seed, 'seed', 0) : randomInt(0, 2 ** 31 - 1);
    const timeLimitMs = values.time !== undefined ? durationOption(values.time, 'time', 0) : undefined;
    const faults = pickFaults(values.faults, targetName);
    const invariants = pickInvariants(values.invariants);
    const outDir = values.out ?? 'kubeprop-out';
    if (runtime !== undefined) {
      const problem = await localRuntimeProblem(runtime);
      if (problem) {
        console.error(`kubeprop fuzz: ${problem}`);
        return EXIT_FAILED;
      }
    }
    if (!values.json && targetName === 'local') console.error(`kubeprop fuzz: starting the local cluster (${runtime ?? 'process'} runtime)`);
    const target = await openTarget(targetName, runtime !== undefined ? { runtime } : {});
    const tty = !values.json && process.stderr.isTTY;
    let shrinkAnnounced = false;
    const startedAt = Date.now();
    if (!values.json) console.error(`kubeprop fuzz: target ${target.name}${runtime ? ` (${runtime} runtime)` : ''}, ${runs} runs, seed ${seed}, faults: ${faults.map((f) => f.kind).join(', ') || 'none'}${values.mutant ? `, mutant ${values.mutant}` : ''}`);
    // A live target holds a cluster (local: its processes and containers): close it however
    // the campaign ends, Ctrl-C and SIGTERM included.
    const interrupted = (signal: NodeJS.Signals) => {
      console.error(`kubeprop fuzz: ${signal}: stopping the target`);
      void target.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    const result = await runCampaign({
      target,
      // On a live cluster, scenarios name at most its real nodes.
      scenarios: scenarioArbitrary({ faultKinds: faults, ...(target.nodes ? { nodes: { max: target.nodes.length } } : {}) }),
      invariants,
      runs,
      seed,
      ...(timeLimitMs ? { timeLimitMs } : {}),
      ...(values.mutant ? { mutant: values.mutant } : {}),
      onProgress: (p) => {
        if (tty) process.stderr.write(`\r${p.shrinking ? 'shrinking' : 'run'} ${p.run}/${p.runs}  faults injected ${p.faults}   `);
        else if (!values.json) {
          // Without a terminal: a line when shrinking starts and every 25 runs.
          if (p.shrinking && !shrinkAnnounced) {
            shrinkAnnounced = true;
            console.error(`run ${p.run} failed; shrinking`);
          } else if (!p.shrinking && p.run % 25 === 0) console.error(`run ${p.run}/${p.runs}, ${p.faults} faults injected`);
        }
      },
    }).finally(() => {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      return target.close();
    });
    if (tty) process.stderr.write('\n');
    let file: string | undefined;
    if (result.counterexample) {
      file = writeCounterexample(result.counterexample, { outDir, target: target.name, runs: result.runs, ...(values.mutant ? { mutant: values.mutant } : {}) });
    }
    // The campaign as Allure results, so it lands in the same report as the test suites.
    const allureDir = join(outDir, 'allure-results');
    const rerun = ['npx', 'kubeprop', 'fuzz', ...args, ...(values.seed === undefined ? ['--seed', String(seed)] : [])].map(shellWord).join(' ');
    writeAllureResults(
      allureDir,
      campaignResults({
        result,
        target: target.name,
        ...(values.mutant ? { mutant: values.mutant } : {}),
        seed,
        faults: faults.map((f) => f.kind),
        invariants,
        ...(file ? { counterexample: { path: file, yaml: readFileSync(file, 'utf8') } } : {}),
        command: rerun,
        startedAt,
        stoppedAt: Date.now(),
      }),
    );
    if (values.json) {
      console.log(
        JSON.stringify({
          ok: result.ok,
          target: target.name,
          ...(runtime ? { runtime } : {}),
          runs: result.runs,
          faults: result.faultsInjected,
          seed,
          ...(values.mutant ? { mutant: values.mutant } : {}),
          invariants: result.invariants.map((s) => ({ name: s.name, ok: s.failures === 0, checks: s.checks })),
          allureResults: allureDir,
          ...(result.counterexample
            ? {
                counterexample: {
                  file,
                  invariant: result.counterexample.invariant,
                  steps: result.counterexample.scenario.operations.length + result.counterexample.scenario.faults.length,
                  violations: result.counterexample.violations.map((v) => v.message),
                  replay: `npx kubeprop replay ${file}`,
                },
              }
            : {}),
        }),
      );
    } else {
      console.log(table(result));
      console.log(`${result.runs} runs, ${result.faultsInjected} faults, ${(result.wallMs / 1000).toFixed(1)} s wall, ${(result.targetMs / 1000).toFixed(0)} s on the target's clock`);
      if (result.counterexample) {
        const ce = result.counterexample;
        console.log(`\nFAILED: ${ce.invariant} (shrunk to ${ce.scenario.operations.length} operations and ${ce.scenario.faults.length} faults after ${ce.shrinks} shrink runs)`);
        for (const v of ce.violations) console.log(`  ${v.message}`);
        console.log(`\ncounterexample: ${file}\nreplay: npx kubeprop replay ${file}`);
      }
      console.log(`allure results: ${allureDir} (kubeprop report --results ${allureDir})`);
    }
    return result.ok ? EXIT_OK : EXIT_FAILED;
  },
};
