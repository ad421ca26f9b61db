// JUnit XML from Allure results, for CI systems that read it (GitLab, Jenkins, GitHub
// annotations): one <testsuite> per Allure suite, one <testcase> per test; a failed test
// is a <failure>, a broken one an <error>, a skipped one <skipped/>.

import { LabelName, Status, type TestResult } from 'allure-js-commons';
import { labelValue } from './allure-results.js';
import { escapeXml } from './markup.js';

/** XML 1.0 forbids most control characters even escaped; drop them. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeXml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''));
}

export function suiteOf(result: TestResult): string {
  const path = [LabelName.PARENT_SUITE, LabelName.SUITE, LabelName.SUB_SUITE].map((n) => labelValue(result, n)).filter((v): v is string => v !== undefined);
  return path.join(' › ') || labelValue(result, LabelName.PACKAGE) || 'kubeprop';
}

/** The test's name with the parameters that tell its variants apart (target, mutant). */
export function caseName(result: TestResult): string {
  const shown = result.parameters.filter((p) => !p.excluded && p.mode !== 'hidden');
  return shown.length ? `${result.name ?? result.uuid} [${shown.map((p) => `${p.name}=${p.value}`).join(', ')}]` : (result.name ?? result.uuid);
}

const seconds = (r: TestResult) => (r.start !== undefined && r.stop !== undefined ? Math.max(0, r.stop - r.start) / 1000 : 0);

export function junitXml(results: readonly TestResult[], name = 'kubeprop'): string {
  const suites = new Map<string, TestResult[]>();
  for (const r of results) {
    const s = suiteOf(r);
    suites.set(s, [...(suites.get(s) ?? []), r]);
  }
  const count = (list: readonly TestResult[], status: Status) => list.filter((r) => r.status === status).length;
  const skippedOf = (list: readonly TestResult[]) => list.filter((r) => r.status === Status.SKIPPED || r.status === undefined).length;
  const total = (f: (l: readonly TestResult[]) => number) => f(results);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${clean(name)}" tests="${results.length}" failures="${total((l) => count(l, Status.FAILED))}" errors="${total((l) => count(l, Status.BROKEN))}" skipped="${total(skippedOf)}" time="${results.reduce((t, r) => t + seconds(r), 0).toFixed(3)}">`,
  ];
  for (const [suite, list] of [...suites].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(
      `  <testsuite name="${clean(suite)}" tests="${list.length}" failures="${count(list, Status.FAILED)}" errors="${count(list, Status.BROKEN)}" skipped="${skippedOf(list)}" time="${list.reduce((t, r) => t + seconds(r), 0).toFixed(3)}">`,
    );
    for (const r of [...list].sort((a, b) => caseName(a).localeCompare(caseName(b)))) {
      const open = `    <testcase classname="${clean(suite)}" name="${clean(caseName(r))}" time="${seconds(r).toFixed(3)}"`;
      const message = r.statusDetails.message ?? '';
      const trace = r.statusDetails.trace ?? '';
      const body = trace && trace !== message ? `${message}\n\n${trace}` : message;
      switch (r.status) {
        case Status.PASSED:
          lines.push(`${open}/>`);
          break;
        case Status.FAILED:
          lines.push(`${open}>`, `      <failure message="${clean(message.split('\n')[0] ?? '')}" type="AssertionError">${clean(body)}</failure>`, '    </testcase>');
          break;
        case Status.BROKEN:
          lines.push(`${open}>`, `      <error message="${clean(message.split('\n')[0] ?? '')}">${clean(body)}</error>`, '    </testcase>');
          break;
        default:
          lines.push(`${open}>`, `      <skipped${message ? ` message="${clean(message)}"` : ''}/>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
