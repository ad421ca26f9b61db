// Field selectors (`?fieldSelector=spec.nodeName=node-1,status.phase!=Failed`) as
// k8s.io/apimachinery/pkg/fields parses, prints and matches them. Which fields a resource
// supports is the server's business; here a selector matches through a field getter.

import { compareGoStrings } from './labels.js';

/** "=" and "==" mean the same and both print as "="; "!=" is the only other operator. */
export type FieldSelectorOperator = '=' | '!=';

export interface FieldRequirement {
  /** The field path as written ("metadata.name"); never trimmed, as upstream. */
  readonly field: string;
  readonly operator: FieldSelectorOperator;
  /** The unescaped value; "" also matches a missing field. */
  readonly value: string;
}

/** ANDed requirements; none selects everything. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

/** fields.Everything(). */
export const EMPTY_FIELD_SELECTOR: FieldSelector = Object.freeze({ requirements: Object.freeze([]) });

/** A bad field selector; the message is upstream's. */
export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
}

/**
 * fields.ParseSelector: comma-separated `field=value`, `field==value` or `field!=value`.
 * In values `\,` `\=` and `\\` stand for the characters themselves; an unescaped "," splits
 * terms and an unescaped "=" in a value is an error. Terms are ordered by their raw text;
 * empty terms and terms with neither field nor value ("=") are dropped. Throws
 * FieldSelectorError.
 */
export function parseFieldSelector(input: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const part of splitTerms(input).sort(compareGoStrings)) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (term === undefined) throw new FieldSelectorError(`invalid selector: '${input}'; can't understand '${part}'`);
    const value = unescapeFieldValue(term.rhs);
    // Upstream's identity Transform turns a term with empty field and value into Everything.
    if (term.lhs === '' && value === '') continue;
    requirements.push({ field: term.lhs, operator: term.op === '!=' ? '!=' : '=', value });
  }
  return { requirements };
}

/** OneTermEqualSelector: `field=value`, as a kubelet watches its Pods by spec.nodeName. */
export function oneTermEqualSelector(field: string, value: string): FieldSelector {
  return { requirements: [{ field, operator: '=', value }] };
}

/**
 * Selector.Matches. `getField` gives an object's value for a field path, or undefined when
 * the object has none; like upstream's fields.Set lookup, a missing field counts as "".
 */
export function fieldSelectorMatches(selector: FieldSelector, getField: (field: string) => string | undefined): boolean {
  return selector.requirements.every((r) => {
    const actual = getField(r.field) ?? '';
    return r.operator === '=' ? actual === r.value : actual !== r.value;
  });
}

/** Selector.Empty. */
export function isEmptyFieldSelector(selector: FieldSelector): boolean {
  return selector.requirements.length === 0;
}

/** Selector.String: terms joined by ",", values escaped. */
export function fieldSelectorToString(selector: FieldSelector): string {
  return selector.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}

/** RequiresExactMatch: the value an `=` term demands for `field` (the first such), if any. */
export function fieldSelectorRequiresExactMatch(selector: FieldSelector, field: string): string | undefined {
  return selector.requirements.find((r) => r.field === field && r.operator === '=')?.value;
}

/** EscapeValue: `\` → `\\`, `,` → `\,`, `=` → `\=`. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** UnescapeValue: the inverse of escapeFieldValue; throws FieldSelectorError on bad escapes. */
export function unescapeFieldValue(value: string): string {
  let out = '';
  let inSlash = false;
  for (const c of value) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Upstream prints the rune with %v, that is as its code point number ("61" for '=').
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** splitTerms: split on commas not escaped by a backslash; escapes stay in the terms. */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/**
 * splitTerm: the first operator occurrence splits the term; the field part has no escaping.
 * "==" is tried before "=" so it leaves no "=" on the value.
 */
function splitTerm(term: string): { lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}
