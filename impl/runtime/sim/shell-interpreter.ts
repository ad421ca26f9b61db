// Runs a parsed shell program (shell-script.ts) against a host that owns time and output:
// in the sim runtime the host is a virtual container whose sleeps are timers of its node, so
// a container's life (what it prints, when it exits, with which code) is a pure function of
// its command and the virtual clock.

import type { Program, Statement, Word } from './shell-script.js';

export interface ShellHost {
  readonly env: Readonly<Record<string, string>>;
  write(text: string, stream: 'stdout' | 'stderr'): void;
  /** Resolves after `ms` of virtual time (Infinity: never); never resolves once the container is killed. */
  sleep(ms: number): Promise<void>;
  /** `trap '' TERM` makes SIGTERM ignored (then only the SIGKILL after the grace period stops it). */
  ignoreTerm(ignored: boolean): void;
}

/** A loop iteration that did not sleep still costs this much virtual time, so `while true; do echo; done` cannot stall the kernel. */
export const BUSY_ITERATION_MS = 10;

class Exit {
  constructor(readonly code: number) {}
}

/** Runs the program; resolves with its exit code. */
export async function runProgram(program: Program, host: ShellHost): Promise<number> {
  if (program.kind === 'syntax-error') {
    host.write(`${program.message}\n`, 'stderr');
    return 2;
  }
  const shell = new Shell(host);
  try {
    return await shell.run(program.statements);
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  }
}

const DURATION = /^(\d+(?:\.\d+)?)([smhd]?)$/;
const UNIT_MS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** busybox sleep: a sum of durations with optional s/m/h/d suffixes, or inf/infinity. */
export function sleepMs(args: readonly string[]): number | string {
  if (args.length === 0) return 'sleep: missing operand';
  let total = 0;
  for (const a of args) {
    if (a === 'inf' || a === 'infinity') return Infinity;
    const m = DURATION.exec(a);
    if (!m) return `sleep: invalid number '${a}'`;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  return Math.round(total);
}

class Shell {
  private status = 0;
  private slept = 0;
  private readonly vars: Record<string, string>;

  constructor(private readonly host: ShellHost) {
    this.vars = { ...host.env };
  }

  async run(statements: readonly Statement[]): Promise<number> {
    for (const s of statements) {
      if (s.connector === '&&' && this.status !== 0) continue;
      if (s.connector === '||' && this.status === 0) continue;
      await this.statement(s);
    }
    return this.status;
  }

  private async statement(s: Statement): Promise<void> {
    if (s.kind === 'while') {
      for (;;) {
        const before = this.slept;
        await this.run(s.body);
        if (this.slept === before) await this.sleep(BUSY_ITERATION_MS);
      }
    }
    if (s.kind === 'for') {
      const items = s.items.map((w) => this.expand(w));
      this.status = 0;
      for (const item of items) {
        this.vars[s.variable] = item;
        await this.run(s.body);
      }
      return;
    }
    const words = s.words.map((w) => this.expand(w));
    this.status = await this.command(words, s.silent ? null : s.stderr ? 'stderr' : 'stdout');
  }

  private async sleep(ms: number): Promise<void> {
    this.slept += 1;
    await this.host.sleep(ms);
  }

  private expand(word: Word): string {
    let out = '';
    for (const part of word) {
      out += part.expand
        ? part.text.replace(/\$(?:\{(\w+)\}|(\w+)|([?$]))/g, (_, braced: string | undefined, bare: string | undefined, special: string | undefined) => {
            if (special === '?') return String(this.status);
            if (special === '$') return '1';
            return this.vars[(braced ?? bare)!] ?? '';
          })
        : part.text;
    }
    return out;
  }

  private async command(words: readonly string[], stream: 'stdout' | 'stderr' | null): Promise<number> {
    const write = (text: string) => {
      if (stream) this.host.write(text, stream);
    };
    const [name, ...args] = words;
    if (name === undefined) return this.status;
    switch (name.slice(name.lastIndexOf('/') + 1)) {
      case 'echo': {
        let newline = true;
        let escapes = false;
        while (args[0] === '-n' || args[0] === '-e' || args[0] === '-ne' || args[0] === '-en') {
          const flag = args.shift()!;
          if (flag.includes('n')) newline = false;
          if (flag.includes('e')) escapes = true;
        }
        let text = args.join(' ');
        if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
        write(newline ? `${text}\n` : text);
        return 0;
      }
      case 'sleep': {
        const ms = sleepMs(args);
        if (typeof ms === 'string') {
          this.host.write(`${ms}\n`, 'stderr');
          return 1;
        }
        await this.sleep(ms);
        return 0;
      }
      case 'exit': {
        const code = args[0] === undefined ? this.status : Number.parseInt(args[0], 10);
        if (Number.isNaN(code)) {
          this.host.write(`sh: exit: Illegal number: ${args[0]}\n`, 'stderr');
          throw new Exit(2);
        }
        throw new Exit(((code % 256) + 256) % 256);
      }
      case 'true':
      case ':':
        return 0;
      case 'false':
        return 1;
      case 'hostname':
        write(`${this.vars.HOSTNAME ?? 'localhost'}\n`);
        return 0;
      case 'trap': {
        const [handler, ...signals] = args;
        const term = signals.some((sig) => ['TERM', 'SIGTERM', '15'].includes(sig));
        if (!term) return 0;
        if (handler === '') this.host.ignoreTerm(true);
        else if (handler === '-') this.host.ignoreTerm(false);
        else this.host.write(`sh: trap: only '' and - handlers are simulated\n`, 'stderr');
        return 0;
      }
      default:
        this.host.write(`sh: ${name}: not found\n`, 'stderr');
        return 127;
    }
  }
}
