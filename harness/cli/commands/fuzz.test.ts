// `kubeprop fuzz --runtime`: chooses the local target's container runtime, and is refused
// for targets that have none to choose, before any cluster starts.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { fuzzCommand } from './fuzz.js';

describe('kubeprop fuzz --runtime', () => {
  it.each([
    [['--runtime', 'docker'], /target sim has none to choose/],
    [['--target', 'sim', '--runtime', 'process'], /target sim has none to choose/],
    [['--target', 'local', '--runtime', 'podman'], /--runtime must be process or docker, got "podman"/],
  ])('refuses %j', async (args, message) => {
    const run = fuzzCommand.run(args);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  it('is in the usage text', () => {
    expect(fuzzCommand.usage).toMatch(/--runtime R\s+the local target's container runtime: process \(default/);
  });
});
