import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['impl/**/*.test.ts', 'harness/**/*.test.ts', 'chaos/**/*.test.ts', 'reports/**/*.test.ts', 'specs/**/*.test.ts', 'specs/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: keep suites from starving each other (real etcd, child processes).
    maxWorkers: 2,
    // The default console reporter, plus Allure result files for `kubeprop report`
    // (allure-results/ is gitignored; a fuzz campaign writes its own beside its counterexamples).
    // Not every expect() as a step: properties call them thousands of times per test; the
    // report's steps are the ones specs name (reports/spec-labels.ts).
    reporters: ['default', ['allure-vitest/reporter', { resultsDir: 'allure-results', reportMatchers: false }]],
  },
});
