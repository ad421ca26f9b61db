// The HTML report as a person sees it: a campaign against a mutant (the reference with a
// planted bug) fails, kubeprop's Allure results and the single-file report are generated
// from it, and headless Chromium opens the report from the file system — where the failing
// test, its counterexample, its replay command and the timeline must all be visible. The
// screenshots (out/report-spec/report.png, timeline.png, matrix.png) are the artifacts a
// reviewer looks at; the report itself stays beside them (out/report-spec/report/).

import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Status } from 'allure-js-commons';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCampaign } from '../harness/campaign/campaign.js';
import type { Scenario } from '../harness/campaign/scenario.js';
import { writeCounterexample } from '../harness/campaign/write-counterexample.js';
import { INVARIANTS } from '../harness/invariants/index.js';
import { createSimTarget } from '../harness/targets/sim-target.js';
import { writeAllureResults } from '../reports/allure-results.js';
import { campaignResults, replayCommand } from '../reports/campaign-results.js';
import { generateReport } from '../reports/generate-report.js';
import { labelSpec, stepped } from '../reports/spec-labels.js';
import { realPart } from './support/real-parts.js';

const CHROMIUM = '/usr/bin/chromium';
const present = realPart('Chromium', existsSync(CHROMIUM), 'apt-get install chromium');
const OUT = resolve('out', 'report-spec');
const MUTANT = 'kubelet/leak-containers-on-delete';

/**
 * The seeds' "delete a Deployment" step: with the mutant, the kubelet leaves the pod's
 * container running, and convergence catches the orphan on the first run. A constant
 * scenario (rather than the generators) keeps this spec about the report, fast and stable
 * however the generators evolve.
 */
const DELETE_A_DEPLOYMENT: Scenario = {
  seed: 1,
  cluster: { nodes: [{ name: 'node-1', cpuMilli: 2000, memoryMi: 4096, pods: 10 }] },
  operations: [
    {
      at: 0,
      operation: {
        op: 'create',
        manifest: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
          spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'busybox', command: ['sleep', 'infinity'] }] } } },
        },
      },
    },
    { at: 2000, operation: { op: 'delete', kind: 'Deployment', target: 'default/web' } },
  ],
  faults: [],
  convergenceBoundMs: 30_000,
};

/** Chromium in a fresh profile that makes no network traffic of its own. */
async function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true, // playwright passes --headless itself
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
}

describe.skipIf(!present)('the HTML report in Chromium', () => {
  labelSpec({ feature: 'reports', story: 'single-file HTML report opened from the file system', severity: 'critical', target: 'headless Chromium' });
  const profile = mkdtempSync(join(tmpdir(), 'kubeprop-chromium-'));
  let context: BrowserContext | undefined;
  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it("shows a mutant's failing invariant with its counterexample, replay command and timeline", { timeout: 240_000 }, async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const startedAt = Date.now();
    const target = createSimTarget();
    const result = await stepped(`a campaign against mutant ${MUTANT}`, async () => {
      try {
        return await runCampaign({ target, scenarios: fc.constant(DELETE_A_DEPLOYMENT), invariants: INVARIANTS, runs: 3, seed: 1, mutant: MUTANT });
      } finally {
        await target.close();
      }
    });
    const ce = result.counterexample;
    expect(ce?.invariant, 'the mutant should be caught by convergence').toBe('convergence');
    if (!ce) return;
    const file = writeCounterexample(ce, { outDir: OUT, target: 'sim', mutant: MUTANT, runs: result.runs });
    const results = join(OUT, 'allure-results');
    const written = campaignResults({
      result,
      target: 'sim',
      mutant: MUTANT,
      seed: 1,
      faults: [],
      invariants: INVARIANTS,
      counterexample: { path: file, yaml: readFileSync(file, 'utf8') },
      startedAt,
      stoppedAt: Date.now(),
    });
    writeAllureResults(results, written);
    const failed = written.results.find((r) => r.status === Status.FAILED);
    const timeline = failed?.attachments.find((a) => a.name === 'timeline.svg');
    expect(timeline).toBeDefined();

    const report = await stepped('kubeprop report', () => generateReport({ resultsDirs: [results], outDir: join(OUT, 'report'), reportName: 'kubeprop report spec' }));
    expect(report.failed).toBe(1);

    context = await launch(profile);
    // The report must work offline: anything but the page itself is refused and remembered.
    const outside: string[] = [];
    await context.route(/^(?!file:|data:|blob:)/, (route) => {
      outside.push(route.request().url());
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await stepped('open index.html from the file system', () => page.goto(pathToFileURL(report.index).href));
    await stepped('filter the failed tests and open convergence', async () => {
      await page.getByRole('button', { name: /Failed/ }).click();
      await page.getByText('convergence', { exact: true }).first().click();
    });

    const violation = ce.violations[0]!.message;
    await stepped('the failing test, its violation and its replay command are visible', async () => {
      await page.getByText(/orphan container app on node node-1/).first().waitFor({ state: 'visible' });
      expect(await page.getByText('Failed', { exact: true }).first().isVisible()).toBe(true);
      expect(violation).toMatch(/orphan container app on node node-1/);
      await page.getByText(`Replay: ${replayCommand(file)}`).first().waitFor({ state: 'visible' });
    });
    await page.screenshot({ path: join(OUT, 'report.png') });
    await stepped('the counterexample opens', async () => {
      await page.getByText('counterexample.yaml', { exact: true }).click();
      await page.getByText('kubeprop.dev/counterexample/v1').first().waitFor({ state: 'visible' });
    });
    await stepped('the timeline renders', async () => {
      await page.getByText('timeline.svg', { exact: true }).click();
      const image = page.locator(`img[alt="${timeline!.source}"]`);
      await image.waitFor({ state: 'visible' });
      const size = await image.evaluate((img: { naturalWidth: number; naturalHeight: number; complete: boolean }) => ({ width: img.naturalWidth, height: img.naturalHeight, complete: img.complete }));
      expect(size.complete).toBe(true);
      expect(size.width).toBe(1200);
      expect(size.height).toBeGreaterThan(150);
      await image.screenshot({ path: join(OUT, 'timeline.png') });
    });

    await stepped('the conformance matrix is linked and shows the caught mutant', async () => {
      await page.locator('#kubeprop-matrix-link').click();
      await page.waitForURL(/matrix\.html$/);
      const cell = page.locator(`td[title^="convergence on ${MUTANT}: fail"]`);
      expect(await cell.innerText()).toBe('fail');
      await page.screenshot({ path: join(OUT, 'matrix.png'), fullPage: true });
    });
    expect(outside, 'the report fetched something from the network').toEqual([]);
  });
});
