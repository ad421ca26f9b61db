// `kubeprop run --runtime`: the local target's container runtime (docker runs specs/docker),
// refused for the sim target and for unknown runtimes before any spec runs.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { runCommand } from './run.js';

describe('kubeprop run --runtime', () => {
  it.each([
    [['specs/docker', '--runtime', 'docker'], /--runtime works with --target local only/],
    [['specs/docker', '--target', 'local', '--runtime', 'containerd'], /--runtime must be process or docker, got "containerd"/],
  ])('refuses %j', async (args, message) => {
    const run = runCommand.run(args);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });
});
