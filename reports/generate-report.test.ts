// Report generation with the real Allure 3 generator: single-file output, no analytics, the
// matrix and JUnit XML beside it.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INVARIANTS } from '../harness/invariants/index.js';
import { writeAllureResults } from './allure-results.js';
import { campaignResults } from './campaign-results.js';
import { generateReport, ReportError, shippedSeedWalkthroughs, withMatrixLink, withoutAnalytics } from './generate-report.js';
import { T0 } from './report-fixtures.testing.js';

// Allure 3.18's awesome template, as it ends every report.
const TEMPLATE_TAIL = `    <script>
      window.allure = window.allure || {};
    </script>
    <script src="data:text/javascript;base64,AAAA"></script>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-LNDJ3J7WT0', {
          "report": "awesome",
          "single_file": "true"
        });
    </script>
    <script>window.allureReportData = {}</script>
</body>
</html>`;

describe('report generation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeprop-report-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts the analytics tag out and links the matrix', () => {
    const html = withMatrixLink(withoutAnalytics(TEMPLATE_TAIL));
    expect(html).not.toContain('googletagmanager');
    expect(html).not.toContain('gtag(');
    expect(html).toContain('<script src="data:text/javascript;base64,AAAA"></script>');
    expect(html).toContain('<script>window.allureReportData = {}</script>');
    expect(html).toMatch(/<a id="kubeprop-matrix-link" href="matrix.html"[^>]*>Conformance matrix<\/a>\n<\/body>/);
  });

  it('writes a single-file report, the matrix and JUnit XML from a results directory', async () => {
    const results = join(dir, 'allure-results');
    const invariants = INVARIANTS.map((i) => ({ name: i.name, runs: 2, checks: 3, ms: 1, failures: 0 }));
    writeAllureResults(results, campaignResults({ result: { ok: true, runs: 2, faultsInjected: 0, wallMs: 5, targetMs: 5, invariants }, target: 'sim', seed: 1, faults: [], invariants: INVARIANTS, startedAt: T0, stoppedAt: T0 + 5 }));
    const out = join(dir, 'report');
    const report = await generateReport({ resultsDirs: [results, join(dir, 'missing')], outDir: out, seedWalkthroughs: ['01-create-deployment'] });
    expect(report).toMatchObject({ tests: INVARIANTS.length, failed: 0, index: join(out, 'index.html') });
    const index = readFileSync(report.index, 'utf8');
    expect(index).not.toContain('googletagmanager');
    expect(index).toContain('kubeprop-matrix-link');
    // Single-file mode: no script or stylesheet is fetched from a file beside the page.
    expect(index).not.toMatch(/<script[^>]+src="(?!data:)/);
    expect(existsSync(join(out, 'data'))).toBe(false);
    expect(readFileSync(report.matrix, 'utf8')).toContain('seed 01-create-deployment');
    expect(readFileSync(report.junit, 'utf8')).toContain(`tests="${INVARIANTS.length}" failures="0"`);
  });

  it('says where results come from when there are none', async () => {
    await expect(generateReport({ resultsDirs: [join(dir, 'nothing')], outDir: join(dir, 'never') })).rejects.toThrow(ReportError);
  });

  it('lists the shipped seed walkthroughs', () => {
    expect(shippedSeedWalkthroughs().every((w) => /^[\w.-]+$/.test(w))).toBe(true);
  });
});
