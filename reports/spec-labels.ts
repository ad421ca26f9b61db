// What the conformance specs and properties tell the Allure report about themselves: labels
// (feature = the component or invariant, story, severity), parameters (target, seed, runs)
// and steps. Thin wrappers over allure-js-commons that do nothing when no Allure runtime is
// installed (a run with only the default reporter), so specs never depend on the report.

import * as allure from 'allure-js-commons';
import { BaseMessageTestRuntime, getGlobalTestRuntime } from 'allure-js-commons/sdk/runtime';
import { afterEach, beforeEach } from 'vitest';
import { MATRIX_COLUMN_LABEL, MATRIX_ROW_LABEL } from './allure-results.js';

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';

export interface SpecLabels {
  /** The component under test (apiserver, store, scheduler, ...) or the invariant. */
  readonly feature: string;
  /** What about it: "kubectl", "duplicate creates", "differential against etcd 3.4". */
  readonly story: string;
  /** Default normal. */
  readonly severity?: Severity;
  /** Default "conformance". */
  readonly epic?: string;
  /** What the tests run against: "reference (memory store)", "etcd 3.4", "sim". */
  readonly target?: string;
}

/** True when allure-vitest's runtime is installed (its reporter is configured). */
function recording(): boolean {
  return getGlobalTestRuntime() instanceof BaseMessageTestRuntime;
}

/**
 * Labels the current test now; inside a test or a hook. The calls reach the runtime
 * synchronously, so a synchronous test may ignore the returned promise.
 */
export function labelTest(labels: Partial<SpecLabels>): Promise<void> {
  if (!recording()) return Promise.resolve();
  return settle([
    allure.epic(labels.epic ?? 'conformance'),
    ...(labels.feature !== undefined ? [allure.feature(labels.feature)] : []),
    ...(labels.story !== undefined ? [allure.story(labels.story)] : []),
    allure.severity(labels.severity ?? 'normal'),
    ...(labels.target !== undefined ? [allure.parameter('target', labels.target)] : []),
  ]);
}

/** Labels gathered per test from every enclosing block, recorded once after the test. */
const gathered = new WeakMap<object, Partial<SpecLabels>>();
const recorded = new WeakSet<object>();

/**
 * Labels every test of the enclosing describe block (or of the file, at top level): call it
 * once where the tests are declared. Blocks nest: an inner block's fields (typically its
 * target) override the outer's, and each test records the merged labels once, after it
 * ran (hooks see the test; a label recorded twice would show twice in the report).
 */
export function labelSpec(labels: Partial<SpecLabels>): void {
  beforeEach(({ task }) => {
    gathered.set(task, { ...gathered.get(task), ...labels });
  });
  afterEach(({ task }) => {
    const merged = gathered.get(task);
    if (!merged || recorded.has(task)) return;
    recorded.add(task);
    return labelTest(merged);
  });
}

/**
 * Records a property's seed and run count as parameters, excluded from Allure's history id
 * (a new seed is the same test run again). Synchronous callers may ignore the promise.
 */
export function recordProperty(run: { readonly seed: number; readonly runs: number; readonly path?: string }): Promise<void> {
  if (!recording()) return Promise.resolve();
  return settle([
    allure.parameter('seed', String(run.seed), { excluded: true }),
    allure.parameter('runs', String(run.runs), { excluded: true }),
    ...(run.path ? [allure.parameter('path', run.path, { excluded: true })] : []),
  ]);
}

/**
 * Places the current test in the conformance matrix (reports/matrix.ts): row
 * "invariant:<name>" or "seed:<walkthrough file name>", column "sim", "local", "kubeconfig"
 * or "mutant:<name>". In a mutant's column the test should fail when the mutant is caught.
 */
export function matrixCell(row: string, column: string): Promise<void> {
  if (!recording()) return Promise.resolve();
  return settle([allure.label(MATRIX_ROW_LABEL, row), allure.label(MATRIX_COLUMN_LABEL, column)]);
}

async function settle(calls: readonly PromiseLike<void>[]): Promise<void> {
  await Promise.all(calls);
}

/** Runs `body` as a named step of the current test's report. */
export async function stepped<T>(name: string, body: () => T | PromiseLike<T>): Promise<T> {
  if (!recording()) return await body();
  return await allure.step(name, () => body());
}
