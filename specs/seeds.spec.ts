// The seed walkthroughs (specs/seeds/*.yaml, one per step of the seeds' flow) judged on both
// targets by the same files: on sim, in virtual time, each in a fresh kernel; on local, as a
// user would see them — `kubeprop up --fast` with the process runtime, driven by the real
// kubectl. Live specs share one cluster, each in its own namespace; the ones that disturb
// nodes (node-loss) run last, and the runner brings a lost node back after each spec.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcessRuntime } from '../impl/runtime/process/index.js';
import { loadSpecFile, LocalSpecTarget, runSpecOnSim, type ScenarioSpec, type SpecOutcome } from '../harness/specs/index.js';
import { hasExecutable, realPart } from './support/real-parts.js';
import { labelSpec, matrixCell } from '../reports/spec-labels.js';
import { walkthroughName } from '../reports/spec-outcome-results.js';

const SEEDS = join(import.meta.dirname, 'seeds');
const specs: ScenarioSpec[] = readdirSync(SEEDS)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => loadSpecFile(join(SEEDS, f)));

/** Fault kinds that take a node away: such specs run after the rest on a shared cluster. */
const NODE_FAULTS = new Set(['node-loss', 'node-restart', 'node-partition', 'kubelet-restart']);
const disturbsNodes = (s: ScenarioSpec) => s.steps.some((st) => st.op === 'fault' && NODE_FAULTS.has(st.fault.kind));

/** A failure message that says everything the outcome knows. */
function explain(o: SpecOutcome): string {
  return `${o.name} on ${o.target}: ${o.status}\n${o.reasons.map((r) => `  - ${r}`).join('\n')}`;
}

function expectPass(o: SpecOutcome): void {
  expect(o.status, explain(o)).toBe('pass');
  for (const inv of o.invariants) expect(inv.ok, `${inv.name}: ${inv.violations.join('; ')}`).toBe(true);
}

/** Places the test in the conformance matrix: the walkthrough's row, the target's column. */
const cell = (spec: ScenarioSpec, column: string) => matrixCell(`seed:${walkthroughName(spec.file)}`, column);

describe('seed walkthroughs on sim', () => {
  labelSpec({ epic: 'seed walkthroughs', feature: 'seed walkthroughs', story: 'on sim', severity: 'critical', target: 'sim' });
  it.each(specs.map((s) => [`${s.metadata.walkthrough ?? '-'} ${s.metadata.name}`, s] as const))('%s', async (_label, spec) => {
    await cell(spec, 'sim');
    const outcome = await runSpecOnSim(spec);
    expectPass(outcome);
    // Virtual time is cheap: a walkthrough of a minute of cluster life takes a second or two.
    expect(outcome.wallMs).toBeLessThan(30_000);
  });

  // A walkthrough that passes on any control plane proves little: each must fail when the
  // reference has the bug its seed step is about (named bugs of impl/mutants.ts).
  it.each([
    ['first-app', 'scheduler/ignore-assumed-pods', /pods share nodes/],
    ['node-loss', 'controllers/never-mark-unknown', /expected Ready status "Unknown"/],
    ['node-loss', 'controllers/ignore-toleration-seconds', /always pods .* for 5s/],
    ['scale-rollout-delete', 'controllers/ignore-max-surge', /above spec\.replicas \+ maxSurge = 4 \+ 1/],
    ['scale-rollout-delete', 'controllers/ignore-max-unavailable', /below spec\.replicas − maxUnavailable = 3/],
    ['scale-rollout-delete', 'kubelet/leak-containers-on-delete', /containers run, expected == 0/],
  ] as const)('%s fails with the bug %s', async (name, mutant, reason) => {
    const outcome = await runSpecOnSim(specs.find((s) => s.metadata.name === name)!, { mutant });
    expect(outcome.status).toBe('fail');
    expect(outcome.reasons.join('\n')).toMatch(reason);
  });

  it('is deterministic: the same spec and seed give the same outcome', async () => {
    const spec = specs.find((s) => s.metadata.name === 'container-kill')!;
    const [a, b] = [await runSpecOnSim(spec), await runSpecOnSim(spec)];
    expect({ ...a, wallMs: 0 }).toEqual({ ...b, wallMs: 0 });
  });
});

const kubectl = realPart('kubectl', hasExecutable('kubectl', ['version', '--client']), 'the kubectl dispatcher (see DESIGN.md, Real parts)');
const busybox = realPart('busybox-static', ProcessRuntime.available(), 'apt-get install busybox-static');

describe.skipIf(!kubectl || !busybox)('seed walkthroughs on local (kubeprop up, process runtime, real kubectl)', () => {
  labelSpec({ epic: 'seed walkthroughs', feature: 'seed walkthroughs', story: 'on local', severity: 'critical', target: 'local' });
  const target = new LocalSpecTarget();
  afterAll(() => target.close(), 120_000);
  const ordered = [...specs.filter((s) => !disturbsNodes(s)), ...specs.filter(disturbsNodes)];
  // The first test also starts the cluster (~15 s); node-loss waits out detection, eviction and the node's return (~50 s).
  it.each(ordered.map((s) => [`${s.metadata.walkthrough ?? '-'} ${s.metadata.name}`, s] as const))('%s', { timeout: 240_000 }, async (_label, spec) => {
    await cell(spec, 'local');
    expectPass(await target.run(spec));
  });
});
