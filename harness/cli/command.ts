// The shape of one kubeprop sub-command: a name, a one-line summary, usage text and a runner
// that returns the process exit code (0 ok, 1 a property failed, 2 bad usage).

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[]): Promise<number>;
}

/** Thrown for bad command-line usage; main() prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
