// What a benchmark is to `npm run bench`: a name, a one-line description, and a run that
// returns a table for people and data for machines. One benchmark a file, listed in main.ts.

export interface BenchmarkTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export interface BenchmarkResult {
  readonly table: BenchmarkTable;
  /** Everything measured, written as JSON under out/bench/. */
  readonly data: unknown;
  /** Caveats to print under the table (what was skipped and why, how to read the numbers). */
  readonly notes?: readonly string[];
}

export interface Benchmark {
  /** Short and unique: the name on the command line and in the JSON file name. */
  readonly name: string;
  readonly description: string;
  run(): Promise<BenchmarkResult>;
}

/** Renders a table with right-aligned numbers, for a terminal. */
export function formatTable(table: BenchmarkTable): string {
  const cells = [table.columns, ...table.rows].map((row) =>
    row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)),
  );
  const widths = table.columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const [header, ...body] = cells;
  return [line(header ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
}
