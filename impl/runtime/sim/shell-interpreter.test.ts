import { describe, expect, it } from 'vitest';
import { runProgram, sleepMs, type ShellHost } from './shell-interpreter.js';
import { parseArgv, parseScript } from './shell-script.js';

/** Runs a program on a fake clock: sleeps advance `now` at once (bounded, for loops). */
async function run(argv: string[], env: Record<string, string> = {}, maxMs = 60_000): Promise<{ code: number | 'running'; out: string; err: string; now: number; ignoresTerm: boolean }> {
  let now = 0;
  let out = '';
  let err = '';
  let ignoresTerm = false;
  const host: ShellHost = {
    env,
    write: (text, stream) => {
      if (stream === 'stdout') out += text;
      else err += text;
    },
    sleep: (ms) => {
      if (now + ms > maxMs) return new Promise(() => {});
      now += ms;
      return Promise.resolve();
    },
    ignoreTerm: (ignored) => {
      ignoresTerm = ignored;
    },
  };
  const done = runProgram(parseArgv(argv), host);
  const code = await Promise.race([done, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 20))]);
  return { code, out, err, now, ignoresTerm };
}

describe('the simulated shell', () => {
  it('runs plain commands: sleep N exits 0 after N seconds, sleep infinity never', async () => {
    expect(await run(['sleep', '5'])).toMatchObject({ code: 0, now: 5000 });
    expect(await run(['/bin/sleep', '1.5'])).toMatchObject({ code: 0, now: 1500 });
    expect(await run(['sleep', 'infinity'])).toMatchObject({ code: 'running' });
    expect(await run(['true'])).toMatchObject({ code: 0 });
    expect(await run(['false'])).toMatchObject({ code: 1 });
    expect(await run(['echo', 'hello', 'world'])).toMatchObject({ code: 0, out: 'hello world\n' });
  });

  it('runs sh -c scripts with exits, sequences and conditionals', async () => {
    expect(await run(['sh', '-c', 'echo starting; sleep 3; exit 4'])).toMatchObject({ code: 4, out: 'starting\n', now: 3000 });
    expect(await run(['/bin/sh', '-c', 'false && echo no || echo yes'])).toMatchObject({ code: 0, out: 'yes\n' });
    expect(await run(['sh', '-c', 'false; exit $?'])).toMatchObject({ code: 1 });
    expect(await run(['sh', '-c', 'exit 300'])).toMatchObject({ code: 44 });
    expect(await run(['busybox', 'sh', '-c', 'echo "a  b" \'$HOME\' "$GREETING"'], { GREETING: 'hi' })).toMatchObject({ out: 'a  b $HOME hi\n' });
    expect(await run(['sh', '-c', 'echo oops >&2; exit 1'])).toMatchObject({ code: 1, out: '', err: 'oops\n' });
  });

  it('loops: for over items, while true until killed (a loop without sleep still takes time)', async () => {
    expect(await run(['sh', '-c', 'for i in 1 2 3; do echo line $i; done'])).toMatchObject({ code: 0, out: 'line 1\nline 2\nline 3\n' });
    const looping = await run(['sh', '-c', 'while true; do echo tick; sleep 10; done'], {}, 35_000);
    expect(looping.code).toBe('running');
    expect(looping.out).toBe('tick\ntick\ntick\ntick\n');
    const busy = await run(['sh', '-c', 'while :; do echo x; done'], {}, 100);
    expect(busy.code).toBe('running');
    expect(busy.out.length).toBeGreaterThan(0);
  });

  it('reports unknown commands and unsupported syntax as a shell does', async () => {
    expect(await run(['sh', '-c', 'curl example.com'])).toMatchObject({ code: 127, err: 'sh: curl: not found\n' });
    expect(await run(['sh', '-c', 'echo a | cat'])).toMatchObject({ code: 2 });
    expect(parseScript('echo "unterminated')).toMatchObject({ kind: 'syntax-error' });
    expect(await run(['sh'])).toMatchObject({ code: 0 });
  });

  it('traps SIGTERM when told to ignore it', async () => {
    expect(await run(['sh', '-c', "trap '' TERM; sleep infinity"])).toMatchObject({ code: 'running', ignoresTerm: true });
  });

  it('parses busybox sleep durations', () => {
    expect(sleepMs(['1m', '30'])).toBe(90_000);
    expect(sleepMs(['inf'])).toBe(Infinity);
    expect(sleepMs(['x'])).toBe("sleep: invalid number 'x'");
  });
});
