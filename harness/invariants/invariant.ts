// The shape of every invariant checker (Jepsen-style, STYLE.md #5): a pure function of a
// history that says whether it holds and, if not, one human sentence per violation naming
// the objects, revisions and times involved.

import type { History } from '../history/history.js';

export interface Violation {
  readonly invariant: string;
  readonly message: string;
  /** Virtual or wall time of the offending moment, when there is one. */
  readonly time?: number;
  /** Objects involved: "pod default/web-abc12", "node node-2", "revision 42". */
  readonly objects?: readonly string[];
}

export interface CheckResult {
  readonly ok: boolean;
  readonly violations: readonly Violation[];
  /** How many individual facts were checked (for the campaign's table). */
  readonly checks: number;
  /** Set when the history lacked what the checker needs (e.g. no store revisions). */
  readonly notChecked?: string;
}

export interface Invariant {
  readonly name: string;
  readonly description: string;
  check(history: History): CheckResult;
}

export function result(violations: Violation[], checks: number): CheckResult {
  return { ok: violations.length === 0, violations, checks };
}

/** The history lacks what the checker needs: it holds vacuously, and says so. */
export function notChecked(reason: string): CheckResult {
  return { ok: true, violations: [], checks: 0, notChecked: reason };
}
