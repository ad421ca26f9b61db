// `kubeprop run SPEC.yaml... [--target sim|local [--runtime process|docker]] [--json]`: runs declarative scenario specs
// (harness/specs) and prints a pass/fail line per spec with its reasons.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue, loadSpecFile, LocalSpecTarget, runSpecOnSim, SpecFileError, type ScenarioSpec, type SpecOutcome } from '../../specs/index.js';
import { isMutant } from '../../../impl/mutants.js';
import { writeAllureResults } from '../../../reports/allure-results.js';
import { specOutcomeResults } from '../../../reports/spec-outcome-results.js';
import { localRuntimeProblem } from '../../targets/local-target.js';
import { isLocalRuntimeName, LOCAL_RUNTIMES } from '../../targets/local-runtime.js';
import { parse } from '../args.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type Command } from '../command.js';

const usage = `Usage: kubeprop run SPEC.yaml|DIR... [--target sim|local] [--runtime process|docker] [--mutant NAME] [--out DIR] [--json] [--verbose]

Runs scenario specs (YAML, see specs/seeds/ for examples) against a target and prints one
line per spec: PASS, FAIL with every reason, or SKIP when the target cannot run it.

Options:
  --target T   sim (default: the reference in the sim kernel, virtual time) |
               local (kubeprop up --fast with the process runtime, driven by the real kubectl)
  --runtime R  (local) the kubelets' container runtime: process (default) or docker (the local
               Docker Engine; a container-kill fault is docker kill); specs/docker/ needs it
  --mutant M   (sim) switch on a named bug of the reference (kubeprop mutants --list): the specs should fail
  --out DIR    also write Allure results to DIR/allure-results, for kubeprop report (each
               spec is a seed-walkthrough row of the conformance matrix)
  --json       print one JSON summary: { ok, target, specs: [{ name, file, status, reasons, ... }] }
  --verbose    print each step as it runs

A directory stands for the *.yaml files in it. Exit code 0 when every spec passed or was
skipped, 1 when one failed, 2 on bad usage or an invalid spec file (every problem is listed).
`;

function specFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // A missing file: the loader says so, with the path.
    }
    if (!isDir) out.push(p);
    else out.push(...readdirSync(p).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(p, f)));
  }
  return out;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function line(o: SpecOutcome): string {
  const time = o.target === 'sim' ? `${seconds(o.targetMs)} virtual, ${seconds(o.wallMs)} wall` : seconds(o.wallMs);
  return `${o.status.toUpperCase().padEnd(4)} ${o.name} (${o.file}) on ${o.target}, ${time}`;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run declarative scenario specs (YAML) against a target',
  usage,
  async run(args) {
    const { values, positionals } = parse(args, { target: { type: 'string' }, runtime: { type: 'string' }, mutant: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, verbose: { type: 'boolean' } }, true);
    const target = values.target ?? 'sim';
    if (target !== 'sim' && target !== 'local') throw new UsageError(`--target must be sim or local, got "${target}"`);
    const runtime = values.runtime;
    if (runtime !== undefined && target !== 'local') throw new UsageError('--runtime works with --target local only');
    if (runtime !== undefined && !isLocalRuntimeName(runtime)) throw new UsageError(`--runtime must be ${LOCAL_RUNTIMES.join(' or ')}, got "${runtime}"`);
    const mutant = values.mutant;
    if (mutant !== undefined && target !== 'sim') throw new UsageError('--mutant works with --target sim only');
    if (mutant !== undefined && !isMutant(mutant)) throw new UsageError(`unknown mutant "${mutant}" (kubeprop mutants --list names them)`);
    if (positionals.length === 0) throw new UsageError('give at least one SPEC.yaml file or directory');
    const files = specFiles(positionals);
    if (files.length === 0) throw new UsageError(`no *.yaml spec files in ${positionals.join(', ')}`);

    // Every file is checked before anything runs: a typo should not cost a cluster start.
    const specs: ScenarioSpec[] = [];
    const problems: string[] = [];
    for (const f of files) {
      try {
        specs.push(loadSpecFile(f));
      } catch (e) {
        if (!(e instanceof SpecFileError)) throw e;
        problems.push(...e.issues.map(formatIssue));
      }
    }
    if (problems.length > 0) {
      console.error(`kubeprop run: invalid spec files:\n${problems.map((p) => `  ${p}`).join('\n')}`);
      return EXIT_USAGE;
    }

    const json = values.json ?? false;
    const log = values.verbose && !json ? (l: string) => console.log(l) : undefined;
    const outcomes: SpecOutcome[] = [];
    const startedAt = Date.now();
    if (runtime !== undefined) {
      const problem = await localRuntimeProblem(runtime);
      if (problem) {
        console.error(`kubeprop run: ${problem}`);
        return EXIT_FAILED;
      }
    }
    const local = target === 'local' ? new LocalSpecTarget(runtime !== undefined ? { runtime } : {}) : undefined;
    try {
      for (const spec of specs) {
        if (log) log(`${spec.metadata.name} (${spec.file})`);
        const o = local ? await local.run(spec, log ? { log } : {}) : await runSpecOnSim(spec, { ...(log ? { log } : {}), ...(mutant ? { mutant } : {}) });
        outcomes.push(o);
        if (!json) {
          console.log(line(o));
          for (const r of o.reasons) console.log(`       ${r.replace(/\n/g, '\n       ')}`);
        }
      }
    } finally {
      await local?.close();
    }
    const ok = outcomes.every((o) => o.status !== 'fail');
    const allureDir = values.out !== undefined ? join(values.out, 'allure-results') : undefined;
    if (allureDir) writeAllureResults(allureDir, specOutcomeResults({ outcomes, startedAt, ...(mutant ? { mutant } : {}) }));
    if (json) {
      console.log(JSON.stringify({ ok, target, ...(mutant ? { mutant } : {}), specs: outcomes.map((o) => ({ ...o, targetMs: Math.round(o.targetMs), wallMs: Math.round(o.wallMs) })) }));
    } else {
      const count = (s: string) => outcomes.filter((o) => o.status === s).length;
      console.log(`\n${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped (${target})`);
      if (allureDir) console.log(`allure results: ${allureDir} (kubeprop report --results ${allureDir})`);
    }
    return ok ? EXIT_OK : EXIT_FAILED;
  },
};
