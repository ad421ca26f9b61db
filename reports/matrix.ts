// The conformance matrix: rows are the invariants and the seed walkthroughs, columns the
// targets (sim, local, kubeconfig) and each mutant; a cell says pass, fail or skip for that
// pair (or that it was not run) and links to the test in the Allure report. Read from the
// results' kubeprop.row / kubeprop.column labels, so any producer of results can fill it.
// In a mutant's column a failure is the harness doing its job: it caught the planted bug.

import { Status, type TestResult } from 'allure-js-commons';
import { labelValue, MATRIX_COLUMN_LABEL, MATRIX_ROW_LABEL, md5 } from './allure-results.js';
import { escapeXml } from './markup.js';

export interface MatrixRow {
  /** "invariant:<name>" or "seed:<walkthrough>", as results label themselves. */
  readonly id: string;
  readonly title: string;
  readonly description?: string;
}

export interface MatrixColumn {
  /** "sim", "local", "kubeconfig" or "mutant:<name>". */
  readonly id: string;
  readonly title: string;
  readonly description?: string;
}

export type CellStatus = 'pass' | 'fail' | 'skip' | 'none';

export interface MatrixCell {
  readonly status: CellStatus;
  /** The result a click opens: the first failing one, else the newest. */
  readonly result?: TestResult;
  readonly count: number;
}

export interface Matrix {
  readonly rows: readonly MatrixRow[];
  readonly columns: readonly MatrixColumn[];
  cell(row: string, column: string): MatrixCell;
}

export const TARGET_COLUMNS: readonly MatrixColumn[] = [
  { id: 'sim', title: 'sim', description: 'the reference in the deterministic simulator' },
  { id: 'local', title: 'local', description: 'the reference as processes (kubeprop up)' },
  { id: 'kubeconfig', title: 'kubeconfig', description: 'a cluster reached by kubeconfig' },
];

export function invariantRows(invariants: readonly { readonly name: string; readonly description: string }[]): MatrixRow[] {
  return invariants.map((i) => ({ id: `invariant:${i.name}`, title: i.name, description: i.description }));
}

export function seedRows(walkthroughs: readonly string[]): MatrixRow[] {
  return walkthroughs.map((w) => ({ id: `seed:${w}`, title: `seed ${w}` }));
}

export function mutantColumns(mutants: readonly { readonly name: string; readonly description: string }[]): MatrixColumn[] {
  return mutants.map((m) => ({ id: `mutant:${m.name}`, title: m.name, description: m.description }));
}

function statusOf(results: readonly TestResult[]): CellStatus {
  if (results.length === 0) return 'none';
  if (results.some((r) => r.status === Status.FAILED || r.status === Status.BROKEN)) return 'fail';
  if (results.some((r) => r.status === Status.PASSED)) return 'pass';
  return 'skip';
}

const titleOf = (id: string) => id.replace(/^(invariant|seed|mutant):/, '');

/**
 * Places each result in its cell. Rows and columns the results name beyond the given ones
 * are appended, so nothing a run reported is left out.
 */
export function buildMatrix(results: readonly TestResult[], rows: readonly MatrixRow[], columns: readonly MatrixColumn[]): Matrix {
  const cells = new Map<string, TestResult[]>();
  const allRows = [...rows];
  const allColumns = [...columns];
  for (const r of results) {
    const row = labelValue(r, MATRIX_ROW_LABEL);
    const column = labelValue(r, MATRIX_COLUMN_LABEL);
    if (!row || !column) continue;
    if (!allRows.some((x) => x.id === row)) allRows.push({ id: row, title: row.startsWith('seed:') ? `seed ${titleOf(row)}` : titleOf(row) });
    if (!allColumns.some((x) => x.id === column)) allColumns.push({ id: column, title: titleOf(column) });
    const key = `${row}\u0000${column}`;
    cells.set(key, [...(cells.get(key) ?? []), r]);
  }
  const mutant = (c: MatrixColumn) => c.id.startsWith('mutant:');
  return {
    rows: allRows,
    // Targets first, then mutants, whatever order the results named them in.
    columns: [...allColumns.filter((c) => !mutant(c)), ...allColumns.filter(mutant)],
    cell(row, column) {
      const list = cells.get(`${row}\u0000${column}`) ?? [];
      const newest = [...list].sort((a, b) => (b.stop ?? 0) - (a.stop ?? 0));
      const result = newest.find((r) => r.status === Status.FAILED || r.status === Status.BROKEN) ?? newest[0];
      return { status: statusOf(list), count: list.length, ...(result ? { result } : {}) };
    },
  };
}

export interface MatrixPageOptions {
  /** The report page cells link into (Allure addresses a test as #md5(uuid)). */
  readonly reportHref?: string;
  readonly title?: string;
  /** When the page was made, shown in its footer (ISO string). */
  readonly generatedAt?: string;
}

const CELL_TEXT: Record<CellStatus, string> = { pass: 'pass', fail: 'fail', skip: 'skip', none: '·' };

/** The matrix as a standalone HTML page (no scripts, no external resources). */
export function renderMatrix(matrix: Matrix, options: MatrixPageOptions = {}): string {
  const href = options.reportHref ?? 'index.html';
  const title = options.title ?? 'kubeprop conformance matrix';
  const isMutant = (c: MatrixColumn) => c.id.startsWith('mutant:');
  const head = matrix.columns
    .map((c) => `<th class="col${isMutant(c) ? ' mutant' : ''}" title="${escapeXml(c.description ?? c.title)}"><span>${escapeXml(c.title)}</span></th>`)
    .join('');
  const targetCount = matrix.columns.filter((c) => !isMutant(c)).length;
  const groups = `<tr><th></th><th class="group" colspan="${targetCount}">targets</th>${matrix.columns.some(isMutant) ? `<th class="group mutant" colspan="${matrix.columns.length - targetCount}">mutants: the reference with one planted bug (a fail means it was caught)</th>` : ''}</tr>`;
  const body = matrix.rows
    .map((row) => {
      const cells = matrix.columns
        .map((col) => {
          const cell = matrix.cell(row.id, col.id);
          const caught = isMutant(col) && cell.status === 'fail';
          const tooltip =
            cell.status === 'none'
              ? `${row.title} was not run on ${col.title}`
              : `${row.title} on ${col.title}: ${cell.status}${caught ? ' (the invariant caught the mutant)' : ''}${cell.result?.statusDetails.message ? ` — ${cell.result.statusDetails.message.split('\n')[0]}` : ''}`;
          const text = CELL_TEXT[cell.status];
          const inner = cell.result ? `<a href="${escapeXml(`${href}#${md5(cell.result.uuid)}`)}">${text}</a>` : text;
          return `<td class="${cell.status}${caught ? ' caught' : ''}" title="${escapeXml(tooltip)}">${inner}</td>`;
        })
        .join('');
      return `<tr><th class="row" title="${escapeXml(row.description ?? row.title)}">${escapeXml(row.title)}</th>${cells}</tr>`;
    })
    .join('\n');
  const mutants = matrix.columns.filter(isMutant);
  const caughtRow = mutants.length
    ? `<tr class="summary"><th class="row">mutant caught?</th>${matrix.columns
        .map((col) => {
          if (!isMutant(col)) return '<td></td>';
          const statuses = matrix.rows.map((r) => matrix.cell(r.id, col.id).status);
          const verdict = statuses.includes('fail') ? 'yes' : statuses.some((s) => s !== 'none') ? 'NO' : '·';
          return `<td class="${verdict === 'yes' ? 'caught-yes' : verdict === 'NO' ? 'caught-no' : 'none'}">${verdict}</td>`;
        })
        .join('')}</tr>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#212121}
h1{font-size:20px;margin:0 0 4px}
p{margin:4px 0 12px;color:#555;font-size:13px}
table{border-collapse:collapse;font-size:12px}
th.col{height:190px;vertical-align:bottom;padding:4px 2px;white-space:nowrap}
th.col span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block}
th.col.mutant span{color:#6a1b9a}
th.group{font-size:12px;text-align:left;padding:2px 4px;border-bottom:2px solid #9e9e9e;white-space:nowrap}
th.group.mutant{color:#6a1b9a;border-left:6px solid #fff}
th.row{text-align:left;padding:4px 10px 4px 0;white-space:nowrap;font-weight:600}
td{width:34px;height:24px;text-align:center;border:1px solid #fff}
td a{color:inherit;text-decoration:none;display:block}
td.pass{background:#c8e6c9;color:#1b5e20}
td.fail{background:#ffcdd2;color:#b71c1c;font-weight:700}
td.fail.caught{background:#ffe0b2;color:#e65100}
td.skip{background:#eeeeee;color:#616161}
td.none{background:#fafafa;color:#bdbdbd}
td.caught-yes{color:#2e7d32;font-weight:700}
td.caught-no{color:#b71c1c;font-weight:700}
tr.summary th,tr.summary td{border-top:2px solid #9e9e9e}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:3px}
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<p>Rows: invariants and seed walkthroughs. Columns: targets, then mutants (the reference with one planted bug). A cell links to its test in the <a href="${escapeXml(href)}">Allure report</a>; hover for the reason.</p>
<p class="legend"><span class="pass" style="background:#c8e6c9">pass</span><span style="background:#ffcdd2">fail</span><span style="background:#ffe0b2">fail on a mutant: caught</span><span style="background:#eeeeee">skip (not checked)</span><span style="background:#fafafa">· not run</span></p>
<table>
<thead>${groups}<tr><th></th>${head}</tr></thead>
<tbody>
${body}
${caughtRow}
</tbody>
</table>
${options.generatedAt ? `<p>Generated ${escapeXml(options.generatedAt)}.</p>` : ''}
</body>
</html>
`;
}
