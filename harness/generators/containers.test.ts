// Generated containers do what their behaviour says when the runtimes' shell runs them:
// the argv the sim runtime would run (image default, command, args) parses, and runs forever,
// or exits with the intended code after the intended time.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertProperty, checkProperty } from '../../specs/support/property.js';
import { containerArgv, findImage } from '../../impl/runtime/image-catalog.js';
import { runProgram, type ShellHost } from '../../impl/runtime/sim/shell-interpreter.js';
import { parseArgv } from '../../impl/runtime/sim/shell-script.js';
import { buildContainer, containerDraftArbitrary, expectedExit, MISSING_IMAGES, PRESENT_IMAGES } from './containers.js';

const FILE = 'harness/generators/containers.test.ts';
/** Virtual time after which a container that has not exited counts as running forever (scenarios last minutes). */
const FOREVER_MS = 3600_000;

type Outcome = { readonly exit: number; readonly atMs: number } | 'forever';

/** Runs an argv on a virtual clock: sleeps return at once, and a sleep past FOREVER_MS never does. */
async function run(argv: readonly string[]): Promise<{ outcome: Outcome; syntaxError: boolean }> {
  const program = parseArgv(argv);
  let now = 0;
  let blocked!: () => void;
  const forever = new Promise<'forever'>((resolve) => (blocked = () => resolve('forever')));
  const host: ShellHost = {
    env: { HOSTNAME: 'pod-x' },
    write: () => {},
    ignoreTerm: () => {},
    sleep: (ms) => {
      if (now + ms > FOREVER_MS) {
        blocked();
        return new Promise<void>(() => {});
      }
      now += ms;
      return Promise.resolve();
    },
  };
  const outcome = await Promise.race([runProgram(program, host).then((exit) => ({ exit, atMs: now })), forever]);
  return { outcome, syntaxError: program.kind === 'syntax-error' };
}

describe('generated containers', () => {
  it('behave as drafted under the runtimes\' shell', async () => {
    await assertProperty(
      fc.asyncProperty(containerDraftArbitrary(fc.constant('main'), { missingImageWeight: 0 }), async (d) => {
        const c = buildContainer(d);
        const image = findImage(c.image ?? '');
        expect(image, c.image).toBeDefined();
        const { outcome, syntaxError } = await run(containerArgv(image!, c.command, c.args));
        expect(syntaxError, JSON.stringify(c)).toBe(false);
        const want = expectedExit(d.behaviour);
        if (want === undefined) expect(outcome, JSON.stringify(c)).toBe('forever');
        else expect(outcome, JSON.stringify(c)).toEqual({ exit: want.code, atMs: want.afterMs });
      }),
      { file: FILE, numRuns: 300 },
    );
  });

  it('use images the catalog has, or names no registry has', () => {
    checkProperty(FILE, 'images', fc.property(fc.constantFrom(...PRESENT_IMAGES), (i) => findImage(i) !== undefined));
    checkProperty(FILE, 'images', fc.property(fc.constantFrom(...MISSING_IMAGES), (i) => findImage(i) === undefined));
  });

  it('mostly use images that exist', () => {
    const drafts = fc.sample(containerDraftArbitrary(fc.constant('main')), { numRuns: 1000, seed: 9 });
    const missing = drafts.filter((d) => findImage(d.image) === undefined).length;
    expect(missing).toBeGreaterThan(20);
    expect(missing).toBeLessThan(200);
  });
});
