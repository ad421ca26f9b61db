// The conformance matrix: cells from results' row and column labels, and the page that links them.

import { Stage, Status, type TestResult } from 'allure-js-commons';
import { describe, expect, it } from 'vitest';
import { MATRIX_COLUMN_LABEL, MATRIX_ROW_LABEL, md5 } from './allure-results.js';
import { buildMatrix, invariantRows, mutantColumns, renderMatrix, seedRows, TARGET_COLUMNS } from './matrix.js';
import { wellFormed } from './report-fixtures.testing.js';

function result(uuid: string, row: string, column: string, status: Status, stop = 10): TestResult {
  return {
    uuid,
    name: uuid,
    status,
    stage: Stage.FINISHED,
    statusDetails: status === Status.FAILED ? { message: `${row} failed\nmore` } : {},
    labels: [
      { name: MATRIX_ROW_LABEL, value: row },
      { name: MATRIX_COLUMN_LABEL, value: column },
    ],
    links: [],
    parameters: [],
    steps: [],
    attachments: [],
    stop,
  };
}

const rows = [...invariantRows([{ name: 'convergence', description: 'desired = actual' }, { name: 'safety', description: 'no overcommit' }]), ...seedRows(['01-create-deployment'])];
const columns = [...TARGET_COLUMNS, ...mutantColumns([{ name: 'kubelet/leak-containers-on-delete', description: 'leaks' }])];

describe('conformance matrix', () => {
  it('places each result in its cell: fail beats pass beats skip; empty cells were not run', () => {
    const m = buildMatrix(
      [
        result('a', 'invariant:convergence', 'sim', Status.PASSED),
        result('b', 'invariant:convergence', 'sim', Status.FAILED),
        result('c', 'invariant:safety', 'sim', Status.SKIPPED),
        result('d', 'invariant:safety', 'sim', Status.PASSED),
        result('e', 'seed:01-create-deployment', 'local', Status.SKIPPED),
        result('f', 'invariant:convergence', 'mutant:kubelet/leak-containers-on-delete', Status.FAILED),
      ],
      rows,
      columns,
    );
    expect(m.cell('invariant:convergence', 'sim')).toMatchObject({ status: 'fail', count: 2, result: { uuid: 'b' } });
    expect(m.cell('invariant:safety', 'sim').status).toBe('pass');
    expect(m.cell('seed:01-create-deployment', 'local').status).toBe('skip');
    expect(m.cell('invariant:safety', 'kubeconfig')).toEqual({ status: 'none', count: 0 });
  });

  it('appends rows and columns only the results name, targets before mutants', () => {
    const m = buildMatrix([result('a', 'seed:09-new', 'mutant:x/y', Status.PASSED), result('b', 'invariant:convergence', 'staging', Status.PASSED)], rows, columns);
    expect(m.rows.map((r) => r.id)).toEqual(['invariant:convergence', 'invariant:safety', 'seed:01-create-deployment', 'seed:09-new']);
    expect(m.columns.map((c) => c.id)).toEqual(['sim', 'local', 'kubeconfig', 'staging', 'mutant:kubelet/leak-containers-on-delete', 'mutant:x/y']);
  });

  it('renders a page whose cells link to their tests in the report, and says which mutants were caught', () => {
    const m = buildMatrix([result('b', 'invariant:convergence', 'sim', Status.FAILED), result('f', 'invariant:convergence', 'mutant:kubelet/leak-containers-on-delete', Status.FAILED)], rows, columns);
    const html = renderMatrix(m, { reportHref: 'index.html', generatedAt: '2026-01-01T00:00:00Z' });
    expect(wellFormed(html)).toBe(true);
    expect(html).toContain(`<a href="index.html#${md5('b')}">fail</a>`);
    expect(html).toContain('class="fail caught"');
    expect(html).toContain('title="convergence on sim: fail — invariant:convergence failed"');
    expect(html).toContain('<th class="row" title="desired = actual">convergence</th>');
    expect(html).toContain('seed 01-create-deployment');
    expect(html).toMatch(/mutant caught\?<\/th>(<td><\/td>){3}<td class="caught-yes">yes<\/td>/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
