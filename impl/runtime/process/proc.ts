// What the process runtime learns about a pid from Linux's /proc: whether it is still the
// process we started (a pid is identified by its start time, since pids are reused), and
// its scheduler state (T: stopped, as a created container waits to be started).

import { readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  return text.slice(close + 2).trim().split(' ');
}

/** The process's start time in clock ticks since boot (field 22 of stat), or undefined if there is no such process. */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** The one-letter state (R, S, T, Z, …), or undefined if there is no such process. */
export function processState(pid: number): string | undefined {
  return statFields(pid)?.[0];
}

/** Is `pid` still the process that started at `startTime` (and not a zombie)? */
export function isSameProcess(pid: number, startTime: string): boolean {
  const fields = statFields(pid);
  return fields !== undefined && fields[19] === startTime && fields[0] !== 'Z';
}

/** Sends a signal, ignoring a process that is already gone. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // ESRCH: it has exited meanwhile.
  }
}
