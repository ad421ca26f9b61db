// A campaign: fast-check generates scenarios, the target runs each, the invariants judge
// each history; the first failure is shrunk by fast-check (re-running the target on smaller
// scenarios) to a minimal counterexample. The clean reference must never fail: a false
// alarm is a bug in the harness or the reference, never retried away.

import fc from 'fast-check';
import type { CheckResult, Invariant, Violation } from '../invariants/invariant.js';
import type { RunOutcome, Target } from '../targets/target.js';
import type { Scenario } from './scenario.js';

export interface InvariantStats {
  readonly name: string;
  runs: number;
  checks: number;
  ms: number;
  failures: number;
  notChecked?: string;
}

export interface Progress {
  readonly run: number;
  readonly runs: number;
  readonly faults: number;
  readonly invariant?: string;
  readonly shrinking: boolean;
}

export interface CampaignOptions {
  readonly target: Target;
  readonly scenarios: fc.Arbitrary<Scenario>;
  readonly invariants: readonly Invariant[];
  readonly runs: number;
  readonly seed: number;
  /** Stop generating new runs after this long (shrinking still finishes). */
  readonly timeLimitMs?: number;
  readonly mutant?: string;
  readonly onProgress?: (p: Progress) => void;
}

export interface Counterexample {
  readonly scenario: Scenario;
  readonly invariant: string;
  readonly violations: readonly Violation[];
  readonly outcome: RunOutcome;
  /** fast-check's seed and path of the failing case. */
  readonly fcSeed: number;
  readonly fcPath: string;
  readonly shrinks: number;
}

export interface CampaignResult {
  readonly ok: boolean;
  readonly runs: number;
  readonly faultsInjected: number;
  readonly wallMs: number;
  readonly targetMs: number;
  readonly invariants: readonly InvariantStats[];
  readonly counterexample?: Counterexample;
}

/** Runs every invariant on an outcome; returns the first failing one's result. */
export function judge(outcome: RunOutcome, invariants: readonly Invariant[], stats?: Map<string, InvariantStats>): { failed?: { invariant: string; result: CheckResult } } {
  let failed: { invariant: string; result: CheckResult } | undefined;
  for (const inv of invariants) {
    const started = performance.now();
    const r = inv.check(outcome.history);
    const s = stats?.get(inv.name);
    if (s) {
      s.runs++;
      s.checks += r.checks;
      s.ms += performance.now() - started;
      if (r.notChecked) s.notChecked = r.notChecked;
      if (!r.ok) s.failures++;
    }
    if (!r.ok && !failed) failed = { invariant: inv.name, result: r };
  }
  return failed ? { failed } : {};
}

class PropertyFailure extends Error {
  constructor(
    readonly invariant: string,
    readonly violations: readonly Violation[],
  ) {
    super(`${invariant}: ${violations.map((v) => v.message).join('; ')}`);
  }
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = performance.now();
  const stats = new Map<string, InvariantStats>(options.invariants.map((i) => [i.name, { name: i.name, runs: 0, checks: 0, ms: 0, failures: 0 }]));
  let runs = 0;
  let faults = 0;
  let targetMs = 0;
  let shrinking = false;
  let shrinks = 0;
  let lastFailure: { scenario: Scenario; outcome: RunOutcome; invariant: string; violations: readonly Violation[] } | undefined;
  const deadline = options.timeLimitMs ? started + options.timeLimitMs : Infinity;

  const property = fc.asyncProperty(options.scenarios, async (scenario) => {
    // Past the time limit no new run starts: the campaign ends as if it had run out of runs.
    // (fast-check's own interruptAfterTimeLimit would abandon the run in flight, leaving a
    // live target's run going on in the background while the campaign closes the target
    // under it.) Shrinking, once begun, finishes.
    if (!shrinking && performance.now() >= deadline) throw new fc.PreconditionFailure(true);
    if (!shrinking) {
      runs++;
      faults += scenario.faults.length;
    } else shrinks++;
    options.onProgress?.({ run: runs, runs: options.runs, faults, shrinking });
    const outcome = await options.target.run(scenario, options.mutant ? { mutant: options.mutant } : {});
    targetMs += outcome.targetMs;
    const verdict = judge(outcome, options.invariants, shrinking ? undefined : stats);
    if (verdict.failed) {
      shrinking = true;
      lastFailure = { scenario, outcome, invariant: verdict.failed.invariant, violations: verdict.failed.result.violations };
      throw new PropertyFailure(verdict.failed.invariant, verdict.failed.result.violations);
    }
  });

  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    endOnFailure: false,
  });

  const result = {
    runs,
    faultsInjected: faults,
    wallMs: performance.now() - started,
    targetMs,
    invariants: [...stats.values()],
  };
  // Stopped by the time limit before any run completed: nothing failed either.
  if (!details.failed || (details.interrupted && !details.counterexample)) return { ok: true, ...result };
  if (!details.counterexample || !lastFailure) {
    const error = details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
    throw error;
  }
  // The last failing run is the shrunk counterexample only if it was the last property call
  // that failed; re-run the shrunk scenario to be sure its history is the one reported.
  const [scenario] = details.counterexample;
  const outcome = await options.target.run(scenario, options.mutant ? { mutant: options.mutant } : {});
  const verdict = judge(outcome, options.invariants);
  const failure = verdict.failed
    ? { invariant: verdict.failed.invariant, violations: verdict.failed.result.violations, outcome }
    : { invariant: lastFailure.invariant, violations: lastFailure.violations, outcome: lastFailure.outcome };
  return {
    ok: false,
    ...result,
    counterexample: {
      scenario: verdict.failed ? scenario : lastFailure.scenario,
      ...failure,
      fcSeed: details.seed,
      fcPath: details.counterexamplePath ?? '',
      shrinks,
    },
  };
}
