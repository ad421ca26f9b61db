// JUnit XML from Allure results: counts, failures, errors and skips as CI systems read them.

import { Stage, Status, type TestResult } from 'allure-js-commons';
import { describe, expect, it } from 'vitest';
import { caseName, junitXml, suiteOf } from './junit.js';
import { wellFormed } from './report-fixtures.testing.js';

function result(name: string, status: Status | undefined, extra: Partial<TestResult> = {}): TestResult {
  return {
    uuid: `u-${name}`,
    name,
    ...(status ? { status } : {}),
    stage: Stage.FINISHED,
    statusDetails: {},
    labels: [
      { name: 'parentSuite', value: 'kubeprop fuzz' },
      { name: 'suite', value: 'sim' },
    ],
    links: [],
    parameters: [],
    steps: [],
    attachments: [],
    start: 1000,
    stop: 3500,
    ...extra,
  };
}

describe('JUnit XML', () => {
  it('has a testcase per result: failures, errors and skips as JUnit names them', () => {
    const xml = junitXml([
      result('convergence', Status.FAILED, { statusDetails: { message: 'orphan container <app> & more\nsecond line', trace: 'AssertionError: convergence does not hold' } }),
      result('safety', Status.PASSED, { parameters: [{ name: 'target', value: 'sim' }, { name: 'seed', value: '4', excluded: true }] }),
      result('api-semantics', Status.BROKEN, { statusDetails: { message: 'crashed' } }),
      result('pod-lifecycle', Status.SKIPPED, { statusDetails: { message: 'not checked' } }),
      result('store-only-via-apiserver', undefined, { labels: [{ name: 'package', value: 'specs.store' }] }),
    ]);
    expect(wellFormed(xml)).toBe(true);
    expect(xml).toContain('<testsuites name="kubeprop" tests="5" failures="1" errors="1" skipped="2" time="12.500">');
    expect(xml).toContain('<testsuite name="kubeprop fuzz › sim" tests="4" failures="1" errors="1" skipped="1" time="10.000">');
    expect(xml).toContain('<failure message="orphan container &lt;app&gt; &amp; more" type="AssertionError">orphan container &lt;app&gt; &amp; more\nsecond line\n\nAssertionError: convergence does not hold</failure>');
    expect(xml).toContain('<testcase classname="kubeprop fuzz › sim" name="safety [target=sim]" time="2.500"/>');
    expect(xml).toContain('<error message="crashed">crashed</error>');
    expect(xml).toContain('<skipped message="not checked"/>');
    expect(xml).toContain('<testsuite name="specs.store" tests="1"');
  });

  it('drops characters XML cannot carry', () => {
    const xml = junitXml([result('x', Status.FAILED, { statusDetails: { message: 'bell\u0007 and escape\u001b[31m' } })]);
    expect(xml).toContain('bell and escape[31m');
  });

  it('names suites and cases from labels and parameters', () => {
    expect(suiteOf(result('a', Status.PASSED, { labels: [] }))).toBe('kubeprop');
    expect(caseName(result('a', Status.PASSED, { parameters: [{ name: 'target', value: 'sim' }, { name: 'mutant', value: 'm' }] }))).toBe('a [target=sim, mutant=m]');
  });
});
