// Writes a campaign's counterexample as a file a person can read and `kubeprop replay` can
// run: the shrunk scenario, the violated invariant and its sentences, a history excerpt.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Counterexample } from './campaign.js';
import { COUNTEREXAMPLE_VERSION, formatCounterexample, type CounterexampleFile } from './counterexample-file.js';
import { scenarioSize } from './scenario.js';

/** Keeps the file readable: the faults, the operations' outcomes, and the last watch events. */
function excerpt(ce: Counterexample): Record<string, unknown> {
  const h = ce.outcome.history;
  return {
    healedAt: h.healedAt,
    faults: h.faults,
    operations: h.operations,
    lastWatchEvents: h.watches.slice(-40).map((w) => ({ time: w.time, type: w.type, kind: w.object.kind, name: `${w.object.namespace ? `${w.object.namespace}/` : ''}${w.object.name}`, rv: w.object.resourceVersion, ...(w.object.phase ? { phase: w.object.phase } : {}), ...(w.object.nodeName ? { node: w.object.nodeName } : {}) })),
  };
}

export function counterexampleFile(ce: Counterexample, options: { target: string; mutant?: string; runs: number; path: string }): CounterexampleFile {
  return {
    apiVersion: COUNTEREXAMPLE_VERSION,
    target: options.target,
    ...(options.mutant ? { mutant: options.mutant } : {}),
    invariant: ce.invariant,
    violations: ce.violations,
    scenario: ce.scenario,
    ...(ce.outcome.traceHash ? { traceHash: ce.outcome.traceHash } : {}),
    steps: scenarioSize(ce.scenario),
    found: { fcSeed: ce.fcSeed, fcPath: ce.fcPath, runs: options.runs, shrinks: ce.shrinks },
    replay: `npx kubeprop replay ${options.path}`,
    historyExcerpt: excerpt(ce),
  };
}

/** Writes OUT/counterexample-<invariant>-<seed>.yaml; returns the path (relative to cwd when shorter). */
export function writeCounterexample(ce: Counterexample, options: { outDir: string; target: string; mutant?: string; runs: number }): string {
  mkdirSync(options.outDir, { recursive: true });
  const name = `counterexample-${options.mutant ? `${options.mutant.replace(/\//g, '-')}-` : ''}${ce.invariant}-${ce.scenario.seed}.yaml`;
  const abs = join(options.outDir, name);
  const shown = relative(process.cwd(), abs).startsWith('..') ? abs : relative(process.cwd(), abs);
  writeFileSync(abs, formatCounterexample(counterexampleFile(ce, { ...options, path: shown })));
  return shown;
}
