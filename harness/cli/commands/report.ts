// `kubeprop report`: turns Allure results (npm test's allure-results/, and the
// allure-results/ that kubeprop fuzz writes beside its counterexamples) into a static HTML
// report that opens by double-click, a conformance matrix page and JUnit XML; optionally
// serves them on 127.0.0.1.

import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { generateReport, ReportError } from '../../../reports/generate-report.js';
import { serveReport } from '../../../reports/serve.js';
import { intOption, parse } from '../args.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';
import { untilSignal } from '../signals.js';

const DEFAULT_RESULTS = ['allure-results', 'kubeprop-out/allure-results', 'kubeprop-out/mutants/allure-results'];

const usage = `Usage: kubeprop report [--results DIR]... [--out DIR] [--name NAME] [--serve] [--port N]

Builds an HTML report with the Allure 3 generator (no Java needed) from Allure results:
those npm test writes (allure-results/) and those kubeprop fuzz, run and mutants write
beside their output (DIR/allure-results). The report is one self-contained index.html that opens from the file
system; beside it, matrix.html (invariants and seed walkthroughs × targets and mutants)
and junit.xml for CI systems. The newest result of each test is reported.

Options:
  --results DIR   a results directory; repeat for several
                  (default: those of ${DEFAULT_RESULTS.join(', ')} that exist)
  --out DIR       where the report goes (default allure-report)
  --name NAME     the report's title (default "kubeprop conformance")
  --serve         also serve the report on http://127.0.0.1 until Ctrl-C
  --port N        the port for --serve (default: any free port)

Exit code: 0 the report was written, 2 bad usage or no results.
`;

const shown = (path: string) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path));

export const reportCommand: Command = {
  name: 'report',
  summary: 'build the HTML report (Allure), conformance matrix and JUnit XML from results',
  usage,
  async run(args) {
    const { values } = parse(args, {
      results: { type: 'string', multiple: true },
      out: { type: 'string' },
      name: { type: 'string' },
      serve: { type: 'boolean' },
      port: { type: 'string' },
    });
    const resultsDirs = values.results ?? DEFAULT_RESULTS;
    const missing = (values.results ?? []).filter((d) => !existsSync(d));
    if (missing.length > 0) throw new UsageError(`no such results directory: ${missing.join(', ')}`);
    const port = intOption(values.port, 'port', 0);
    const started = performance.now();
    let report;
    try {
      report = await generateReport({ resultsDirs, outDir: values.out ?? 'allure-report', ...(values.name ? { reportName: values.name } : {}) });
    } catch (e) {
      if (e instanceof ReportError && e.message.startsWith('no Allure results')) throw new UsageError(e.message);
      throw e;
    }
    console.log(`report: ${report.tests} tests, ${report.failed} failed, from ${resultsDirs.filter((d) => existsSync(d)).join(', ')} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    console.log(`  ${shown(report.index)}   (open it in a browser; it works from the file system)`);
    console.log(`  ${shown(report.matrix)}`);
    console.log(`  ${shown(report.junit)}`);
    if (values.serve) {
      const served = await serveReport(values.out ?? 'allure-report', port);
      console.log(`serving ${served.url} (matrix: ${served.url}matrix.html); Ctrl-C stops`);
      await untilSignal();
      await served.close();
    }
    return EXIT_OK;
  },
};
