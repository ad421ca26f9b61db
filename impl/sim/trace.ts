// The trace of a sim run: every spawn, exit, timer firing, delivered or dropped message,
// timeout, broken stream and harness fault, stamped with virtual time and process names.
// Two runs of one (seed, workload) must give byte-identical traces; `hash()` is how replay
// and the determinism property compare them. It is on in every run, so it stays cheap:
// entries are small plain-JSON objects, and a payload is kept only as a short digest.

import { createHash, type Hash } from 'node:crypto';
import type { Millis } from '../env/clock.js';
import { NO_PAYLOAD, type WorldEvent } from '../env/world-event.js';

/** What the harness did to the network, and its own notes. */
export type KernelEvent =
  | { readonly t: Millis; readonly k: 'partition'; readonly a: readonly string[]; readonly b: readonly string[] }
  | { readonly t: Millis; readonly k: 'heal'; readonly a?: readonly string[]; readonly b?: readonly string[] }
  | { readonly t: Millis; readonly k: 'reset'; readonly a: readonly string[]; readonly b: readonly string[] }
  | { readonly t: Millis; readonly k: 'drop-rate'; readonly p: number }
  | { readonly t: Millis; readonly k: 'delay'; readonly min: Millis; readonly max: Millis }
  | { readonly t: Millis; readonly k: 'stream-lag'; readonly to: string; readonly min?: Millis; readonly max?: Millis }
  | { readonly t: Millis; readonly k: 'note'; readonly text: string };

/** `d`, on deliveries that carry a payload, is a digest of it (when payload digests are on). */
export type TraceEntry = (WorldEvent | KernelEvent) & { readonly d?: string };

export interface TraceOptions {
  /** Digest each delivered payload into its entry, so runs that differ only in data differ in hash (default true). */
  payloadDigests?: boolean;
  /** Keep the entries for inspection (default true); without them only the hash is kept. */
  keepEntries?: boolean;
}

/** Serialised entries are fed to the hash in chunks of about this many characters. */
const CHUNK = 1 << 16;

export class Trace {
  private readonly digests: boolean;
  private readonly keep: boolean;
  private readonly list: TraceEntry[] = [];
  private readonly hasher: Hash = createHash('sha256');
  /** Entries of `list` already serialised into `pending` or the hasher. */
  private serialised = 0;
  private pending = '';
  private count = 0;

  constructor(options: TraceOptions = {}) {
    this.digests = options.payloadDigests ?? true;
    this.keep = options.keepEntries ?? true;
  }

  get length(): number {
    return this.count;
  }

  /** The entries in the order they happened (empty when keepEntries is off). */
  get entries(): readonly TraceEntry[] {
    return this.list;
  }

  record(event: WorldEvent | KernelEvent, payload: unknown = NO_PAYLOAD): void {
    const entry: TraceEntry = payload !== NO_PAYLOAD && this.digests ? { ...event, d: digest(payload) } : event;
    this.count++;
    // Kept entries are serialised lazily, when hashed: a run nobody hashes pays nothing for it.
    if (this.keep) this.list.push(entry);
    else this.feed(entry);
  }

  /**
   * sha256 (hex) of the canonical serialisation: one JSON line per entry, in order. Entries
   * are built with a fixed key order per kind, so JSON.stringify is canonical.
   */
  hash(): string {
    for (; this.serialised < this.list.length; this.serialised++) this.feed(this.list[this.serialised] as TraceEntry);
    if (this.pending.length > 0) {
      this.hasher.update(this.pending);
      this.pending = '';
    }
    return this.hasher.copy().digest('hex');
  }

  /** The canonical serialisation itself (JSON Lines), for counterexample files and diffs. */
  toJSONL(): string {
    return this.list.map((entry) => `${JSON.stringify(entry)}\n`).join('');
  }

  private feed(entry: TraceEntry): void {
    this.pending += `${JSON.stringify(entry)}\n`;
    if (this.pending.length >= CHUNK) {
      this.hasher.update(this.pending);
      this.pending = '';
    }
  }
}

/**
 * A short digest of a payload. It only has to tell payloads apart within a run (the trace's
 * sha256 covers the digests), so a fast non-cryptographic 64-bit hash in plain JS does: it
 * costs far less per message than a native hash object. Payloads here are JSON-like API
 * objects, so plain JSON.stringify (no replacer: a replacer call per key would double the
 * cost) is the fast path; the contents of a nested Map, Set or Error do not count. A failed
 * call's Error is digested by name and message, and values JSON rejects (bigint, cycles) get
 * a tagged form.
 */
export function digest(value: unknown): string {
  let text: string;
  if (value instanceof Error) {
    text = `${value.name}: ${value.message}`;
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = tolerantJson(value);
    }
  }
  // Two 32-bit lanes of multiply-xorshift mixing (cyrb53's scheme).
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

function tolerantJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v)) ?? '';
  } catch {
    return '<unserialisable>';
  }
}
