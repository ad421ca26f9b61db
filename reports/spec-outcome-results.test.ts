// Scenario spec outcomes as Allure results in the matrix's seed walkthrough rows.

import { Status } from 'allure-js-commons';
import { describe, expect, it } from 'vitest';
import { labelValue, MATRIX_COLUMN_LABEL, MATRIX_ROW_LABEL } from './allure-results.js';
import { specOutcomeResults, walkthroughName } from './spec-outcome-results.js';

describe('scenario spec outcomes as results', () => {
  it('puts each walkthrough in its matrix row, failing with its reasons and replay command', () => {
    let n = 0;
    const { results } = specOutcomeResults({
      startedAt: 1000,
      newId: () => `id-${++n}`,
      outcomes: [
        { name: 'first-app', file: 'specs/seeds/01-create-deployment.yaml', target: 'sim', status: 'pass', reasons: [], stepsRun: 4, invariants: [{ name: 'convergence', ok: true, checks: 12, violations: [] }], targetMs: 60_000, wallMs: 800 },
        { name: 'node-loss', file: 'specs/seeds/06-node-loss.yaml', target: 'local', status: 'fail', reasons: ['pods stayed on node-2'], stepsRun: 3, invariants: [], targetMs: 50_000, wallMs: 50_000 },
        { name: 'logs', file: 'specs/seeds/08-describe-and-logs.yaml', target: 'kubeconfig:/k#c', status: 'skip', reasons: ['cannot inject node-loss'], stepsRun: 0, invariants: [], targetMs: 0, wallMs: 0 },
      ],
    });
    expect(results.map((r) => [r.status, labelValue(r, MATRIX_ROW_LABEL), labelValue(r, MATRIX_COLUMN_LABEL)])).toEqual([
      [Status.PASSED, 'seed:01-create-deployment', 'sim'],
      [Status.FAILED, 'seed:06-node-loss', 'local'],
      [Status.SKIPPED, 'seed:08-describe-and-logs', 'kubeconfig'],
    ]);
    expect(results[1]!.statusDetails.message).toBe('pods stayed on node-2\n\nReplay: npx kubeprop run specs/seeds/06-node-loss.yaml --target local');
    expect(results[0]!.steps.map((s) => s.name)).toEqual(['convergence: 12 checks']);
    expect([results[1]!.start, results[1]!.stop]).toEqual([1800, 51_800]);
    expect(walkthroughName('a/b/03-container-kill.yml')).toBe('03-container-kill');
  });

  it("puts specs run with a mutant in the mutant's column, with the mutant in the replay command", () => {
    const { results } = specOutcomeResults({
      startedAt: 0,
      mutant: 'controllers/never-mark-unknown',
      outcomes: [{ name: 'node-loss', file: 'specs/seeds/06-node-loss.yaml', target: 'sim', status: 'fail', reasons: ['node-2 stayed Ready'], stepsRun: 3, invariants: [], targetMs: 50_000, wallMs: 400 }],
    });
    expect(labelValue(results[0]!, MATRIX_COLUMN_LABEL)).toBe('mutant:controllers/never-mark-unknown');
    expect(results[0]!.statusDetails.message).toBe('node-2 stayed Ready\n\nReplay: npx kubeprop run specs/seeds/06-node-loss.yaml --target sim --mutant controllers/never-mark-unknown');
  });
});
