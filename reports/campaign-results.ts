// A fuzz campaign as Allure test results: one test per invariant, passed, failed or skipped
// (not checked). The invariant the campaign shrank a counterexample for fails as an
// assertion failure ("failed", never "broken": the control plane broke a promise, the
// harness did not crash) and carries what a reader needs without the code: the
// counterexample YAML, the exact replay command, a timeline of pods and faults and a
// sequence diagram of the requests that led to the violation.

import { randomUUID } from 'node:crypto';
import { LabelName, Stage, Status, type Attachment, type Label, type Parameter, type StepResult, type TestResult } from 'allure-js-commons';
import type { CampaignResult, InvariantStats } from '../harness/campaign/campaign.js';
import type { Fault, Operation, Scenario } from '../harness/campaign/scenario.js';
import type { Invariant } from '../harness/invariants/invariant.js';
import { attachment, MATRIX_COLUMN_LABEL, MATRIX_ROW_LABEL, md5, type AllureResultSet, type AttachmentFile } from './allure-results.js';
import { renderSequenceDiagram } from './sequence-diagram.js';
import { renderTimeline } from './timeline.js';

export interface CampaignReportInput {
  readonly result: CampaignResult;
  /** The target's name: sim, local, kubeconfig:FILE#context. */
  readonly target: string;
  readonly mutant?: string;
  readonly seed: number;
  /** Fault kinds the campaign drew from. */
  readonly faults: readonly string[];
  readonly invariants: readonly Pick<Invariant, 'name' | 'description'>[];
  /** The counterexample file as written, and the path the replay command names. */
  readonly counterexample?: { readonly path: string; readonly yaml: string };
  /** The command line that ran the campaign, for a reader who wants to rerun it. */
  readonly command?: string;
  /** Wall-clock start and end of the campaign (epoch ms). */
  readonly startedAt: number;
  readonly stoppedAt: number;
  readonly newId?: () => string;
}

/** The matrix column a target belongs to: "kubeconfig:FILE#ctx" is column "kubeconfig". */
export function targetColumn(target: string, mutant?: string): string {
  if (mutant) return `mutant:${mutant}`;
  return target.startsWith('kubeconfig') ? 'kubeconfig' : target;
}

export function replayCommand(path: string): string {
  return `npx kubeprop replay ${path}`;
}

function describeOperation(o: Operation): string {
  switch (o.op) {
    case 'create':
    case 'apply': {
      const m = o.manifest as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
      return `${o.op} ${String(m.kind ?? 'object')} ${String(m.metadata?.namespace ?? 'default')}/${String(m.metadata?.name ?? '?')}`;
    }
    case 'duplicate-create': {
      const m = o.manifest as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
      return `create ${String(m.kind ?? 'object')} ${String(m.metadata?.namespace ?? 'default')}/${String(m.metadata?.name ?? '?')} ${o.copies} times at once`;
    }
    case 'scale':
      return `scale ${o.target} to ${o.replicas} replicas`;
    case 'set-image':
      return `set image of ${o.target} to ${o.image}`;
    case 'delete':
      return `delete ${o.kind} ${o.target}${o.propagation ? ` (propagation ${o.propagation})` : ''}`;
    case 'stale-update':
      return `update ${o.target} to ${o.replicas} replicas from a stale resourceVersion`;
    case 'cordon':
    case 'uncordon':
      return `${o.op} node ${o.node}`;
  }
}

const describeFault = (f: Fault) => `fault ${f.kind} → ${f.target}${f.durationMs > 0 ? ` for ${f.durationMs / 1000}s` : ''}`;

function step(name: string, status: Status, start: number, stop: number, extra: Partial<StepResult> = {}): StepResult {
  return { name, status, stage: Stage.FINISHED, statusDetails: {}, steps: [], attachments: [], parameters: [], start, stop, ...extra };
}

/** The shrunk scenario as steps a reader follows in order: each operation and fault at its time. */
function scenarioSteps(scenario: Scenario, start: number, stop: number): StepResult[] {
  const timed = [...scenario.operations.map((o) => ({ at: o.at, text: describeOperation(o.operation) })), ...scenario.faults.map((f) => ({ at: f.at, text: describeFault(f) }))].sort((a, b) => a.at - b.at);
  const nodes = scenario.cluster.nodes.map((n) => `${n.name} (${n.cpuMilli}m CPU, ${n.memoryMi}Mi${n.spare ? ', spare' : ''})`).join(', ');
  return [step(`cluster: ${nodes}`, Status.PASSED, start, start), ...timed.map((t) => step(`at +${t.at / 1000}s: ${t.text}`, Status.PASSED, start, stop))];
}

function statusOf(stats: InvariantStats, failed: boolean): Status {
  if (failed || stats.failures > 0) return Status.FAILED;
  if (stats.checks === 0) return Status.SKIPPED;
  return Status.PASSED;
}

/** The campaign's results, one per invariant, with the counterexample's attachments. */
export function campaignResults(input: CampaignReportInput): AllureResultSet {
  const newId = input.newId ?? randomUUID;
  const { result } = input;
  const column = targetColumn(input.target, input.mutant);
  const suite = input.mutant ? `${input.target} with mutant ${input.mutant}` : input.target;
  const files: AttachmentFile[] = [];
  const ce = result.counterexample;
  const results: TestResult[] = result.invariants.map((stats) => {
    const invariant = input.invariants.find((i) => i.name === stats.name);
    const isCounterexample = ce?.invariant === stats.name;
    const status = statusOf(stats, isCounterexample);
    const fullName = `kubeprop fuzz ${column}#${stats.name}`;
    const labels: Label[] = [
      { name: LabelName.PARENT_SUITE, value: 'kubeprop fuzz' },
      { name: LabelName.SUITE, value: suite },
      { name: LabelName.EPIC, value: 'invariants' },
      { name: LabelName.FEATURE, value: stats.name },
      { name: LabelName.STORY, value: input.mutant ? `mutant ${input.mutant}` : `fuzz campaign on ${input.target}` },
      { name: LabelName.SEVERITY, value: 'critical' },
      { name: LabelName.FRAMEWORK, value: 'kubeprop' },
      { name: LabelName.LANGUAGE, value: 'typescript' },
      ...(input.mutant ? [{ name: LabelName.TAG, value: 'mutant' }] : []),
      { name: MATRIX_ROW_LABEL, value: `invariant:${stats.name}` },
      { name: MATRIX_COLUMN_LABEL, value: column },
    ];
    const parameters: Parameter[] = [
      { name: 'target', value: input.target },
      ...(input.mutant ? [{ name: 'mutant', value: input.mutant }] : []),
      // Excluded from the history id: a new seed is the same test, run again.
      { name: 'seed', value: String(input.seed), excluded: true },
      { name: 'runs', value: String(result.runs), excluded: true },
      { name: 'faults', value: input.faults.join(', ') || 'none', excluded: true },
    ];
    const start = input.startedAt;
    const stop = input.stoppedAt;
    const campaignStep = step(
      `${result.runs} runs on ${input.target}, seed ${input.seed}${input.mutant ? `, mutant ${input.mutant}` : ''}: ${stats.checks} checks, ${stats.failures} failing runs`,
      stats.failures > 0 ? Status.FAILED : Status.PASSED,
      start,
      stop,
    );
    const base: TestResult = {
      uuid: newId(),
      name: stats.name,
      fullName,
      historyId: md5(`${fullName}|${input.target}|${input.mutant ?? ''}`),
      testCaseId: md5(`kubeprop fuzz#${stats.name}`),
      titlePath: ['kubeprop fuzz', suite],
      status,
      stage: Stage.FINISHED,
      statusDetails: {},
      description: `${invariant?.description ?? stats.name}\n\nJudged on every history of a property-based campaign${input.command ? `: \`${input.command}\`` : ''}.`,
      labels,
      links: [],
      parameters,
      steps: [campaignStep],
      attachments: [],
      start,
      stop,
    };
    if (status === Status.SKIPPED) return { ...base, statusDetails: { message: stats.notChecked ? `not checked: ${stats.notChecked}` : 'no facts to check in these runs' } };
    if (status === Status.PASSED) return base;
    if (!isCounterexample || !ce) {
      return {
        ...base,
        statusDetails: {
          message: `${stats.name} failed in ${stats.failures} of ${stats.runs} runs. The campaign shrank only the first failure${ce ? ` (${ce.invariant})` : ''}; rerun with --invariants ${stats.name} --seed ${input.seed} to shrink this one.`,
        },
      };
    }
    const replay = input.counterexample ? replayCommand(input.counterexample.path) : undefined;
    const violations = ce.violations.map((v) => v.message);
    const attachments: Attachment[] = [];
    const add = (name: string, type: string, extension: string, content: string) => {
      const a = attachment(name, type, extension, content, newId);
      attachments.push(a.ref);
      files.push(a.file);
    };
    if (replay) {
      add('replay command', 'text/plain', 'txt', `${replay}\n\n# Run it from the directory kubeprop fuzz ran in: it re-runs the shrunk scenario and checks that\n# ${ce.invariant} fails again${input.target === 'sim' ? ', with the same trace hash' : ''}.\n${input.command ? `# The campaign: ${input.command}\n` : ''}`);
    }
    if (input.counterexample) add('counterexample.yaml', 'application/yaml', 'yaml', input.counterexample.yaml);
    const history = ce.outcome.history;
    add('timeline.svg', 'image/svg+xml', 'svg', renderTimeline(history, { violations: ce.violations, title: `Timeline of the counterexample (${ce.invariant}${input.mutant ? `, mutant ${input.mutant}` : ''})` }));
    add('sequence-diagram.svg', 'image/svg+xml', 'svg', renderSequenceDiagram(history, { violations: ce.violations, title: `Requests that led to the ${ce.invariant} violation` }));
    const scenario = ce.scenario;
    const shrunk = step(
      `shrunk counterexample: ${scenario.operations.length} operations, ${scenario.faults.length} faults (after ${ce.shrinks} shrink runs)`,
      Status.PASSED,
      start,
      stop,
      { steps: scenarioSteps(scenario, start, stop) },
    );
    const judged = step(`${ce.invariant} judged the history: ${violations.length} violation${violations.length === 1 ? '' : 's'}`, Status.FAILED, stop, stop, {
      statusDetails: { message: violations.join('\n') },
      steps: violations.map((v) => step(v, Status.FAILED, stop, stop)),
    });
    return {
      ...base,
      statusDetails: {
        // The message is what the report shows first: the violations and how to replay them.
        message: `${violations.join('\n')}${replay ? `\n\nReplay: ${replay}` : ''}`,
        trace: `AssertionError: ${ce.invariant} does not hold\n  shrunk scenario: ${scenario.operations.length} operations, ${scenario.faults.length} faults, seed ${scenario.seed}\n  found after ${result.runs} runs (fast-check seed ${ce.fcSeed}, path ${ce.fcPath})${input.counterexample ? `\n  counterexample: ${input.counterexample.path}` : ''}${ce.outcome.traceHash ? `\n  trace hash: ${ce.outcome.traceHash}` : ''}`,
      },
      steps: [campaignStep, shrunk, judged],
      attachments,
    };
  });
  return { results, attachments: files };
}
