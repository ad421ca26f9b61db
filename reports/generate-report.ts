// Turns Allure results into the HTML report a person opens by double-click: the Allure 3
// generator (npm `allure`, no Java) in single-file mode — its default multi-file output
// fetches data files and shows only a spinner from file:// — plus the conformance matrix
// (matrix.html) and JUnit XML (junit.xml) beside it.

import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Status, type TestResult } from 'allure-js-commons';
import { INVARIANTS } from '../harness/invariants/index.js';
import { MUTANTS } from '../impl/mutants.js';
import { attachmentSources, latestResults, readAllureResults } from './allure-results.js';
import { junitXml } from './junit.js';
import { buildMatrix, invariantRows, mutantColumns, renderMatrix, seedRows, TARGET_COLUMNS } from './matrix.js';

export interface GenerateReportOptions {
  /** Directories of Allure results (those that do not exist are skipped). */
  readonly resultsDirs: readonly string[];
  readonly outDir: string;
  readonly reportName?: string;
  /** Seed walkthrough names, one matrix row each (default: specs/seeds/*.yaml). */
  readonly seedWalkthroughs?: readonly string[];
}

export interface GeneratedReport {
  /** The single-file report. */
  readonly index: string;
  readonly matrix: string;
  readonly junit: string;
  /** Tests in the report (the newest result of each). */
  readonly tests: number;
  readonly failed: number;
}

export class ReportError extends Error {
  override readonly name = 'ReportError';
}

const here = dirname(fileURLToPath(import.meta.url));

/** The seed walkthroughs the repository ships (specs/seeds/*.yaml), by file name. */
export function shippedSeedWalkthroughs(): string[] {
  const dir = join(here, '..', 'specs', 'seeds');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/** The newest result of every test in the directories, with the directory each came from. */
function collect(dirs: readonly string[]): { result: TestResult; dir: string }[] {
  const all = dirs.flatMap((dir) => readAllureResults(dir).map((result) => ({ result, dir })));
  const latest = new Set(latestResults(all.map((a) => a.result)));
  return all.filter((a) => latest.has(a.result));
}

/**
 * Allure's report drops in a Google Analytics tag that phones home whenever the page opens;
 * kubeprop's reports stay on the machine (loopback only), so it is cut out.
 */
export function withoutAnalytics(html: string): string {
  return html.replace(/<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js[^"]*"><\/script>\s*<script>[\s\S]*?gtag\('config'[\s\S]*?<\/script>/, '');
}

/** A fixed link from the report to the matrix page beside it. */
export function withMatrixLink(html: string, href = 'matrix.html'): string {
  const link = `<a id="kubeprop-matrix-link" href="${href}" style="position:fixed;left:16px;bottom:16px;z-index:2147483647;padding:6px 12px;border-radius:16px;background:#5e35b1;color:#fff;font:600 13px system-ui,sans-serif;text-decoration:none;box-shadow:0 1px 4px rgba(0,0,0,.3)">Conformance matrix</a>`;
  return html.includes('</body>') ? html.replace('</body>', `${link}\n</body>`) : `${html}${link}`;
}

function runAllure(args: readonly string[], cwd: string): Promise<void> {
  const cli = createRequire(import.meta.url).resolve('allure');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else reject(new ReportError(`allure ${args[0] ?? ''} exited with ${code}:\n${output.trim()}`));
    });
  });
}

export async function generateReport(options: GenerateReportOptions): Promise<GeneratedReport> {
  const present = options.resultsDirs.filter((d) => existsSync(d));
  const collected = collect(present);
  if (collected.length === 0) {
    throw new ReportError(`no Allure results in ${options.resultsDirs.join(' or ') || 'no directory'}: run npm test, or kubeprop fuzz --out DIR (it writes DIR/allure-results)`);
  }
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  // Stage the newest result of each test with its attachments: the report, the matrix and
  // the JUnit file then speak about the same runs.
  const staging = mkdtempSync(join(tmpdir(), 'kubeprop-report-'));
  try {
    const results = join(staging, 'allure-results');
    mkdirSync(results);
    for (const { result, dir } of collected) {
      writeFileSync(join(results, `${result.uuid}-result.json`), JSON.stringify(result));
      for (const source of attachmentSources(result)) {
        const from = join(dir, basename(source));
        if (existsSync(from)) copyFileSync(from, join(results, basename(source)));
      }
    }
    for (const extra of ['categories.json', 'environment.properties', 'executor.json']) {
      const from = present.map((d) => join(d, extra)).find((p) => existsSync(p));
      if (from) copyFileSync(from, join(results, extra));
    }
    await runAllure(['awesome', results, '--single-file', '--output', outDir, '--report-name', options.reportName ?? 'kubeprop conformance'], staging);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) throw new ReportError(`allure wrote no ${index}`);
  writeFileSync(index, withMatrixLink(withoutAnalytics(readFileSync(index, 'utf8'))));

  const tests = collected.map((c) => c.result);
  const matrix = buildMatrix(tests, [...invariantRows(INVARIANTS), ...seedRows(options.seedWalkthroughs ?? shippedSeedWalkthroughs())], [...TARGET_COLUMNS, ...mutantColumns(MUTANTS)]);
  const matrixFile = join(outDir, 'matrix.html');
  writeFileSync(matrixFile, renderMatrix(matrix, { reportHref: 'index.html', title: `${options.reportName ?? 'kubeprop'} — conformance matrix`, generatedAt: new Date().toISOString() }));
  const junitFile = join(outDir, 'junit.xml');
  writeFileSync(junitFile, junitXml(tests, options.reportName ?? 'kubeprop'));
  return { index, matrix: matrixFile, junit: junitFile, tests: tests.length, failed: tests.filter((t) => t.status === Status.FAILED || t.status === Status.BROKEN).length };
}
