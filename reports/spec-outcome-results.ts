// Scenario spec outcomes (`kubeprop run`, the seed walkthroughs) as Allure test results:
// pass, fail (an assertion failure, with every reason) or skip (the target cannot run a
// step), each placed in the conformance matrix's row "seed:<file name>" and its target's
// column, with each invariant the spec names as a step.

import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { LabelName, Stage, Status, type StepResult, type TestResult } from 'allure-js-commons';
import type { SpecOutcome } from '../harness/specs/index.js';
import { MATRIX_COLUMN_LABEL, MATRIX_ROW_LABEL, md5, type AllureResultSet } from './allure-results.js';
import { targetColumn } from './campaign-results.js';

const STATUS = { pass: Status.PASSED, fail: Status.FAILED, skip: Status.SKIPPED } as const;

/** "01-create-deployment" from "specs/seeds/01-create-deployment.yaml". */
export function walkthroughName(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

export interface SpecOutcomeInput {
  readonly outcomes: readonly SpecOutcome[];
  /** Wall-clock time the first spec started (epoch ms); each then takes its wallMs. */
  readonly startedAt: number;
  /** The reference's planted bug the specs ran with (sim): the matrix's mutant column. */
  readonly mutant?: string;
  readonly newId?: () => string;
}

export function specOutcomeResults(input: SpecOutcomeInput): AllureResultSet {
  const newId = input.newId ?? randomUUID;
  let clock = input.startedAt;
  const results: TestResult[] = input.outcomes.map((o) => {
    const start = clock;
    const stop = start + o.wallMs;
    clock = stop;
    const walkthrough = walkthroughName(o.file);
    const column = targetColumn(o.target, input.mutant);
    const fullName = `kubeprop run ${column}#${walkthrough}`;
    const steps: StepResult[] = o.invariants.map((i) => ({
      name: `${i.name}: ${i.notChecked ? `not checked (${i.notChecked})` : `${i.checks} checks`}`,
      status: i.ok ? (i.notChecked ? Status.SKIPPED : Status.PASSED) : Status.FAILED,
      stage: Stage.FINISHED,
      statusDetails: i.violations.length ? { message: i.violations.join('\n') } : {},
      steps: [],
      attachments: [],
      parameters: [],
      start,
      stop,
    }));
    return {
      uuid: newId(),
      name: o.name,
      fullName,
      historyId: md5(`${fullName}|${o.target}|${input.mutant ?? ''}`),
      testCaseId: md5(`kubeprop run#${walkthrough}`),
      titlePath: ['kubeprop run', input.mutant ? `${o.target} with mutant ${input.mutant}` : o.target],
      status: STATUS[o.status],
      stage: Stage.FINISHED,
      statusDetails: o.reasons.length ? { message: `${o.reasons.join('\n')}${o.status === 'fail' ? `\n\nReplay: npx kubeprop run ${o.file} --target ${o.target}${input.mutant ? ` --mutant ${input.mutant}` : ''}` : ''}` } : {},
      description: `Scenario spec ${o.file}: ${o.stepsRun} steps run, ${o.targetMs / 1000}s on the target's clock.`,
      labels: [
        { name: LabelName.PARENT_SUITE, value: 'kubeprop run' },
        { name: LabelName.SUITE, value: input.mutant ? `${o.target} with mutant ${input.mutant}` : o.target },
        { name: LabelName.EPIC, value: 'seed walkthroughs' },
        { name: LabelName.FEATURE, value: walkthrough },
        { name: LabelName.STORY, value: o.name },
        { name: LabelName.SEVERITY, value: 'critical' },
        { name: LabelName.FRAMEWORK, value: 'kubeprop' },
        { name: MATRIX_ROW_LABEL, value: `seed:${walkthrough}` },
        { name: MATRIX_COLUMN_LABEL, value: column },
      ],
      links: [],
      parameters: [{ name: 'target', value: o.target }, ...(input.mutant ? [{ name: 'mutant', value: input.mutant }] : [])],
      steps,
      attachments: [],
      start,
      stop,
    };
  });
  return { results, attachments: [] };
}
