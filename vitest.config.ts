import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['impl/**/*.test.ts', 'harness/**/*.test.ts', 'chaos/**/*.test.ts', 'reports/**/*.test.ts', 'specs/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: keep suites from starving each other (real etcd, child processes).
    maxWorkers: 2,
  },
});
