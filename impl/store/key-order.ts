// Key order and key ranges as etcd sees them. etcd compares keys and values as bytes, so
// strings are ordered by their UTF-8 encoding (code point order), which differs from
// JavaScript's UTF-16 order for U+E000..U+FFFF against characters beyond U+FFFF.

import type { KeyRange } from './store.js';

/** Compares two strings in UTF-8 byte order (negative, zero, positive). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // Surrogates (characters beyond U+FFFF) sort above U+E000..U+FFFF in code point order.
        x = x < 0xe000 ? x + 0x2000 : x - 0x800;
        y = y < 0xe000 ? y + 0x2000 : y - 0x800;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/**
 * The keys an operation covers, resolved from a KeyRange:
 * - single: exactly `from`;
 * - prefix: keys starting with `prefix` (etcd's [key, GetPrefixRangeEnd(key))), all keys for an empty prefix;
 * - otherwise [from, end), with end undefined for "\0" (every key >= from).
 */
export type KeySpan =
  | { readonly kind: 'single'; readonly from: string }
  | { readonly kind: 'prefix'; readonly from: string }
  | { readonly kind: 'interval'; readonly from: string; readonly end: string | undefined };

/** etcd's "range end" meaning "to the end of the keyspace". */
export const FROM_KEY_END = '\0';

export function keySpan(range: KeyRange): KeySpan {
  if (range.prefix) return { kind: 'prefix', from: range.key };
  if (range.end === undefined || range.end === '') return { kind: 'single', from: range.key };
  return { kind: 'interval', from: range.key, end: range.end === FROM_KEY_END ? undefined : range.end };
}

/** True when the span covers more than one key position (etcd's "range end given"). */
export function isMultiKey(span: KeySpan): boolean {
  return span.kind !== 'single';
}

export function spanContains(span: KeySpan, key: string): boolean {
  switch (span.kind) {
    case 'single':
      return key === span.from;
    case 'prefix':
      return key.startsWith(span.from);
    case 'interval':
      return compareKeys(key, span.from) >= 0 && (span.end === undefined || compareKeys(key, span.end) < 0);
  }
}

/**
 * While scanning keys upward from span.from: true while `key` is still inside the span
 * (the first false ends the scan).
 */
export function spanContinues(span: KeySpan, key: string): boolean {
  switch (span.kind) {
    case 'single':
      return key === span.from;
    case 'prefix':
      return key.startsWith(span.from);
    case 'interval':
      return span.end === undefined || compareKeys(key, span.end) < 0;
  }
}

/**
 * The span as etcd 3.4's txn duplicate-key check (checkIntervals) sees a delete's range.
 * Its interval tree orders "" above every key but not "\0", so a delete whose range end is
 * "\0" (from-key, or a prefix of "") is an empty interval there and never conflicts with a put:
 * a quirk of etcd 3.4 reproduced here on purpose (checked against etcd 3.4.23).
 */
export function deleteConflictsWithPut(span: KeySpan, putKey: string): boolean {
  switch (span.kind) {
    case 'single':
      return putKey === span.from;
    case 'prefix':
      return span.from !== '' && putKey.startsWith(span.from);
    case 'interval':
      return span.end !== undefined && compareKeys(putKey, span.from) >= 0 && compareKeys(putKey, span.end) < 0;
  }
}
