// Runs a fast-check property for a conformance suite so that a failure carries its seed,
// its shrink path and the command that replays exactly that counterexample.
// KUBEPROP_SEED / KUBEPROP_PATH replay; KUBEPROP_RUNS overrides the number of runs.
// A failure is an AssertionError, so the Allure report shows it as a failed test (the
// property does not hold), not a broken one (the test crashed); seed and runs become
// the test's parameters there.

import fc from 'fast-check';
import { AssertionError } from 'node:assert';
import { recordProperty } from '../../reports/spec-labels.js';

export interface PropertyRun {
  /** The spec file, for the replay command (e.g. "specs/store/differential.spec.ts"). */
  readonly file: string;
  readonly numRuns: number;
  /** Passed to fast-check as is (timeouts, endOnFailure, ...). */
  readonly parameters?: fc.Parameters<unknown>;
}

function envNumber(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(text)}`);
  return value;
}

/** Checks `property`; throws fast-check's report plus a replay command when it fails. */
export async function assertProperty<T>(property: fc.IAsyncProperty<T>, run: PropertyRun): Promise<void> {
  const seed = envNumber('KUBEPROP_SEED');
  const path = process.env.KUBEPROP_PATH;
  const parameters: fc.Parameters<T> = {
    ...(run.parameters as fc.Parameters<T> | undefined),
    numRuns: envNumber('KUBEPROP_RUNS') ?? run.numRuns,
    ...(seed !== undefined ? { seed } : {}),
    ...(path ? { path } : {}),
  };
  const details = await fc.check(property, parameters);
  await recordProperty({ seed: details.seed, runs: details.numRuns, ...(path ? { path } : {}) });
  if (!details.failed) return;
  const replay =
    `KUBEPROP_SEED=${details.seed}` +
    (details.counterexamplePath ? ` KUBEPROP_PATH=${details.counterexamplePath}` : '') +
    ` npx vitest run ${run.file}`;
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new AssertionError({ message: `${fc.defaultReportMessage(details) ?? 'property failed'}\n\n${cause}\n\nReplay: ${replay}` });
}

/**
 * The synchronous form, for unit tests of pure functions: runs `property` and throws
 * fast-check's report plus the command that replays that counterexample (KUBEPROP_SEED,
 * KUBEPROP_PATH, narrowed to one test by name).
 */
export function checkProperty<Ts>(file: string, testName: string, property: fc.IProperty<Ts>, numRuns = 200): void {
  const seed = envNumber('KUBEPROP_SEED');
  const path = process.env.KUBEPROP_PATH;
  const details = fc.check(property, {
    numRuns: envNumber('KUBEPROP_RUNS') ?? numRuns,
    ...(seed !== undefined ? { seed } : {}),
    ...(path ? { path } : {}),
  });
  void recordProperty({ seed: details.seed, runs: details.numRuns, ...(path ? { path } : {}) });
  if (!details.failed) return;
  const replay =
    `KUBEPROP_SEED=${details.seed}` +
    (details.counterexamplePath ? ` KUBEPROP_PATH=${details.counterexamplePath}` : '') +
    ` npx vitest run ${file} -t '${testName.replace(/'/g, `'\\''`)}'`;
  throw new AssertionError({ message: `${fc.defaultReportMessage(details) ?? 'property failed'}\n\nReplay: ${replay}` });
}
