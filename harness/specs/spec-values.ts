// How the scalar forms of a scenario spec read: durations ("5s"), comparisons (3, ">= 1",
// "== spec.replicas", "~ /Pending/") and text matches ("Running" or "/^(False|Unknown)$/"),
// and how a comparison or match judges an observed value.

import type { Comparison, TextMatch } from './scenario-spec.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "500ms", "5s", "2m", "1.5h" → milliseconds; undefined when it is none of those. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  return m ? Math.round(Number(m[1]) * UNIT_MS[m[2]!]!) : undefined;
}

/** "/re/flags" → RegExp; a plain string → undefined. Throws on a bad regex. */
export function parseRegex(text: string): RegExp | undefined {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(text.trim());
  if (!m) return undefined;
  return new RegExp(m[1]!, m[2]);
}

export function parseTextMatch(text: string): TextMatch {
  const re = parseRegex(text);
  return re ? { pattern: re } : { exact: text };
}

export function textMatches(m: TextMatch, value: string | undefined): boolean {
  if (value === undefined) return false;
  return 'pattern' in m ? m.pattern.test(value) : m.exact === value;
}

export function describeTextMatch(m: TextMatch): string {
  return 'pattern' in m ? String(m.pattern) : JSON.stringify(m.exact);
}

/**
 * A comparison as written. Numbers and booleans compare for equality; strings carry an
 * operator and then a number, true/false, a field path (letters first: spec.replicas) or a
 * "quoted string"; "~ /re/" matches. A string without an operator compares for equality.
 */
export function parseComparison(written: number | string | boolean): Comparison {
  if (typeof written !== 'string') return { op: '==', value: written };
  const text = written.trim();
  const tilde = /^~\s*(\/.*\/[a-z]*)$/s.exec(text);
  if (tilde) return { op: '~', pattern: parseRegex(tilde[1]!)! };
  const m = /^(==|!=|>=|<=|>|<)\s*(.+)$/s.exec(text);
  if (!m) return { op: '==', value: written };
  const op = m[1] as '==' | '!=' | '>=' | '<=' | '>' | '<';
  const operand = m[2]!.trim();
  if (/^-?\d+(\.\d+)?$/.test(operand)) return { op, value: Number(operand) };
  if (operand === 'true' || operand === 'false') return { op, value: operand === 'true' };
  const quoted = /^"(.*)"$/s.exec(operand);
  if (quoted) return { op, value: quoted[1]! };
  return { op, field: operand };
}

export function describeComparison(c: Comparison): string {
  if (c.op === '~') return `~ ${String(c.pattern)}`;
  return `${c.op} ${c.field ?? JSON.stringify(c.value)}`;
}

/** Judges `actual` against the comparison; `resolve` reads the field a comparison names. */
export function compare(c: Comparison, actual: unknown, resolve: (path: string) => unknown = () => undefined): boolean {
  if (c.op === '~') return actual !== undefined && actual !== null && c.pattern.test(String(actual));
  const expected = c.field !== undefined ? resolve(c.field) : c.value;
  switch (c.op) {
    case '==':
      return looselyEqual(actual, expected);
    case '!=':
      return !looselyEqual(actual, expected);
    default: {
      const a = numeric(actual);
      const b = numeric(expected);
      if (a === undefined || b === undefined) return false;
      return c.op === '>=' ? a >= b : c.op === '<=' ? a <= b : c.op === '>' ? a > b : a < b;
    }
  }
}

/**
 * Kubernetes omits zero counts (omitempty): an absent status.availableReplicas means 0, so
 * absent compares as 0 against numbers.
 */
function numeric(v: unknown): number | undefined {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

function looselyEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number' || a === undefined || b === undefined) {
    const x = numeric(a);
    const y = numeric(b);
    if (x !== undefined && y !== undefined) return x === y;
  }
  return String(a) === String(b);
}

/** Reads a dotted path (status.conditions.0.type) from an object. */
export function readPath(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}
