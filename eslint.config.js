// Lint: typescript-eslint's recommended rules, plus the determinism rule of DESIGN.md:
// logic in impl/ reaches time, timers and randomness only through impl/env.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const worldAccess = [
  { object: 'Date', property: 'now', message: 'Use env.clock.now() (impl/env): Date.now breaks sim replay.' },
  { object: 'Math', property: 'random', message: 'Use env.random (impl/env): Math.random breaks sim replay.' },
  { object: 'performance', property: 'now', message: 'Use env.clock (impl/env).' },
];
const worldGlobals = [
  { name: 'setTimeout', message: 'Use env.timers (impl/env): real timers break sim replay.' },
  { name: 'setInterval', message: 'Use env.timers (impl/env): real timers break sim replay.' },
  { name: 'setImmediate', message: 'Only the sim kernel may yield to the event loop; use env.timers.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'allure-*/**', '.kubeprop/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['impl/**/*.ts'],
    ignores: ['impl/env/**', 'impl/sim/kernel.ts', 'impl/runtime/process/**', 'impl/runtime/docker/**', 'impl/cluster/live/**', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', ...worldAccess],
      'no-restricted-globals': ['error', ...worldGlobals],
    },
  },
);
