// A campaign as Allure results: one test per invariant, the shrunk one failed (not broken)
// with its attachments, written to files that read back.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Status } from 'allure-js-commons';
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignResult } from '../harness/campaign/campaign.js';
import type { Scenario } from '../harness/campaign/scenario.js';
import { INVARIANTS as ALL_INVARIANTS } from '../harness/invariants/index.js';

/** The campaign's invariants: the first set (the test does not depend on the registry growing). */
const FIRST_SET = ['convergence', 'pod-lifecycle', 'store-only-via-apiserver', 'api-semantics', 'safety'];
const INVARIANTS = ALL_INVARIANTS.filter((i) => FIRST_SET.includes(i.name));
import { labelValue, latestResults, MATRIX_COLUMN_LABEL, MATRIX_ROW_LABEL, readAllureResults, writeAllureResults } from './allure-results.js';
import { campaignResults, targetColumn } from './campaign-results.js';
import { orphanHistory, T0 } from './report-fixtures.testing.js';

const scenario: Scenario = {
  seed: 3,
  cluster: { nodes: [{ name: 'node-1', cpuMilli: 2000, memoryMi: 4096, pods: 10 }] },
  operations: [
    { at: 0, operation: { op: 'create', manifest: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } } } },
    { at: 1000, operation: { op: 'delete', kind: 'Deployment', target: 'default/web' } },
  ],
  faults: [{ at: 300, kind: 'node-partition', target: 'node-1', durationMs: 500 }],
  convergenceBoundMs: 119_000,
};

function campaign(failing: boolean): CampaignResult {
  const { history, violation } = orphanHistory();
  const stats = (name: string) => ({ name, runs: 4, checks: name === 'safety' ? 0 : 10, ms: 1, failures: failing && (name === 'convergence' || name === 'pod-lifecycle') ? 1 : 0, ...(name === 'safety' ? { notChecked: 'no node allocatable recorded' } : {}) });
  return {
    ok: !failing,
    runs: 4,
    faultsInjected: 1,
    wallMs: 1000,
    targetMs: 500_000,
    invariants: INVARIANTS.map((i) => stats(i.name)),
    ...(failing
      ? { counterexample: { scenario, invariant: 'convergence', violations: [violation], outcome: { history, traceHash: 'abc', wallMs: 10, targetMs: 130_000 }, fcSeed: 9, fcPath: '3:0', shrinks: 12 } }
      : {}),
  };
}

let n = 0;
const ids = () => `id-${++n}`;
const input = (failing: boolean) => ({
  result: campaign(failing),
  target: 'sim',
  mutant: 'kubelet/leak-containers-on-delete',
  seed: 1,
  faults: ['node-partition'],
  invariants: INVARIANTS,
  ...(failing ? { counterexample: { path: 'kubeprop-out/counterexample-x.yaml', yaml: 'apiVersion: kubeprop.dev/counterexample/v1\n' } } : {}),
  command: 'npx kubeprop fuzz --mutant kubelet/leak-containers-on-delete --seed 1',
  startedAt: T0,
  stoppedAt: T0 + 1000,
  newId: ids,
});

describe('campaign results', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is one test per invariant, in the matrix cell of its invariant and the mutant', () => {
    const { results } = campaignResults(input(false));
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['convergence', Status.PASSED],
      ['pod-lifecycle', Status.PASSED],
      ['store-only-via-apiserver', Status.PASSED],
      ['api-semantics', Status.PASSED],
      ['safety', Status.SKIPPED],
    ]);
    const convergence = results[0]!;
    expect(labelValue(convergence, MATRIX_ROW_LABEL)).toBe('invariant:convergence');
    expect(labelValue(convergence, MATRIX_COLUMN_LABEL)).toBe('mutant:kubelet/leak-containers-on-delete');
    expect(labelValue(convergence, 'feature')).toBe('convergence');
    expect(labelValue(convergence, 'severity')).toBe('critical');
    expect(convergence.parameters).toEqual(
      expect.arrayContaining([
        { name: 'target', value: 'sim' },
        { name: 'seed', value: '1', excluded: true },
        { name: 'runs', value: '4', excluded: true },
      ]),
    );
    expect(results[4]!.statusDetails.message).toBe('not checked: no node allocatable recorded');
  });

  it('fails the shrunk invariant as an assertion failure with its replay command, counterexample, timeline and sequence diagram', () => {
    const { results, attachments } = campaignResults(input(true));
    const failed = results.find((r) => r.name === 'convergence')!;
    expect(failed.status).toBe(Status.FAILED);
    expect(failed.statusDetails.message).toContain('orphan container app on node node-1');
    expect(failed.statusDetails.message).toContain('Replay: npx kubeprop replay kubeprop-out/counterexample-x.yaml');
    expect(failed.statusDetails.trace).toMatch(/^AssertionError: convergence does not hold/);
    expect(failed.attachments.map((a) => [a.name, a.type])).toEqual([
      ['replay command', 'text/plain'],
      ['counterexample.yaml', 'application/yaml'],
      ['timeline.svg', 'image/svg+xml'],
      ['sequence-diagram.svg', 'image/svg+xml'],
    ]);
    const content = (name: string) => String(attachments.find((f) => f.source === failed.attachments.find((a) => a.name === name)!.source)!.content);
    expect(content('replay command')).toMatch(/^npx kubeprop replay kubeprop-out\/counterexample-x.yaml\n/);
    expect(content('counterexample.yaml')).toContain('kubeprop.dev/counterexample/v1');
    expect(content('timeline.svg')).toContain('data-kubeprop="timeline"');
    expect(content('sequence-diagram.svg')).toContain('data-kubeprop="sequence-diagram"');
    // The shrunk scenario reads as steps, in time order.
    expect(failed.steps[1]!.steps.map((s) => s.name)).toEqual([
      'cluster: node-1 (2000m CPU, 4096Mi)',
      'at +0s: create Deployment default/web',
      'at +0.3s: fault node-partition → node-1 for 0.5s',
      'at +1s: delete Deployment default/web',
    ]);
    // Another invariant that failed in the campaign fails too, and says how to shrink it.
    const other = results.find((r) => r.name === 'pod-lifecycle')!;
    expect(other.status).toBe(Status.FAILED);
    expect(other.statusDetails.message).toContain('--invariants pod-lifecycle --seed 1');
  });

  it('writes result files Allure reads back, and keeps the newest of each test', () => {
    dir = mkdtempSync(join(tmpdir(), 'kubeprop-allure-'));
    const older = campaignResults({ ...input(true), startedAt: T0 - 10_000, stoppedAt: T0 - 9_000 });
    writeAllureResults(dir, older);
    writeAllureResults(dir, campaignResults(input(true)));
    expect(readdirSync(dir).filter((f) => f.endsWith('-attachment.svg'))).toHaveLength(4);
    const back = readAllureResults(dir);
    expect(back).toHaveLength(10);
    const latest = latestResults(back);
    expect(latest).toHaveLength(5);
    expect(latest.every((r) => r.stop === T0 + 1000)).toBe(true);
    const failed = latest.find((r) => r.status === Status.FAILED && r.attachments.length > 0)!;
    expect(readFileSync(join(dir, failed.attachments[0]!.source), 'utf8')).toContain('npx kubeprop replay');
  });

  it('names matrix columns by target kind', () => {
    expect([targetColumn('sim'), targetColumn('local'), targetColumn('kubeconfig:/tmp/k#ctx'), targetColumn('sim', 'scheduler/ignore-taints')]).toEqual(['sim', 'local', 'kubeconfig', 'mutant:scheduler/ignore-taints']);
  });
});
