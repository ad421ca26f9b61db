// Decides what a suite does when a real part (etcd, Docker Engine, kubectl, Chromium) is
// missing: in CI (CI=true) that is a failure; on a laptop the suite skips and says what to install.

import { spawnSync } from 'node:child_process';

export function inCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/**
 * Returns true when the part is there. When it is not: throws in CI (so the suite fails at
 * collection), otherwise prints why the suite skips and returns false.
 */
export function realPart(name: string, available: boolean, howToInstall: string): boolean {
  if (available) return true;
  const message = `${name} is not available; install it with: ${howToInstall}`;
  if (inCI()) throw new Error(`CI=true and a real part is missing: ${message}`);
  console.warn(`[kubeprop] skipping suite: ${message}`);
  return false;
}

/** True when `command --version`-style probing of an executable succeeds. */
export function hasExecutable(command: string, args: readonly string[] = ['--version']): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}
