// What the in-process machinery reports as it runs: spawns, exits, timer firings, message
// deliveries, drops, timeouts and broken streams. The sim kernel's trace records these;
// live mode ignores them. Every event is plain JSON built with a fixed key order, so its
// JSON.stringify is canonical.

import type { Millis } from './clock.js';

/**
 * What a message is. A call, its reply (`reply`, `error`, `refused` when nobody serves the
 * address, `closed` when the server died mid-call) and, for a streamed reply, the stream's
 * `open`, `item`s and its `end` or `fail`, plus the caller's `close`, share one message id.
 */
export type MessageKind =
  | 'send'
  | 'call'
  | 'reply'
  | 'error'
  | 'refused'
  | 'closed'
  | 'open'
  | 'item'
  | 'end'
  | 'fail'
  | 'close';

/**
 * Why a message was lost: `rate` (random loss), `partition` (the link is cut), `no-listener`
 * (nobody listens or serves at the address), `late` (the caller gave up or died before the
 * reply came), `closed` (the caller already closed the stream).
 */
export type DropReason = 'rate' | 'partition' | 'no-listener' | 'late' | 'closed';

/** Why a stream broke: one end died (`killed`, `exited`, `failed`), a partition, or its opening was lost or late. */
export type BreakReason = 'killed' | 'exited' | 'failed' | 'partition' | 'reset' | 'lost' | 'late';

export type WorldEvent =
  | { readonly t: Millis; readonly k: 'spawn'; readonly p: string; readonly by: string | null }
  | {
      readonly t: Millis;
      readonly k: 'exit';
      readonly p: string;
      readonly how: 'returned' | 'failed' | 'killed';
      /** The failure text, or the killer (a process name, or null for the harness). */
      readonly why: string | null;
    }
  | { readonly t: Millis; readonly k: 'timer'; readonly p: string; readonly id: number }
  | {
      readonly t: Millis;
      readonly k: 'deliver';
      readonly m: number;
      readonly kind: MessageKind;
      readonly from: string | null;
      readonly to: string;
      readonly addr: string;
      /** Position of a stream item in its stream, from 1; 0 for other messages. */
      readonly n: number;
    }
  | {
      readonly t: Millis;
      readonly k: 'drop';
      readonly m: number;
      readonly kind: MessageKind;
      readonly from: string | null;
      readonly to: string | null;
      readonly addr: string;
      readonly why: DropReason;
    }
  | { readonly t: Millis; readonly k: 'timeout'; readonly m: number; readonly p: string; readonly addr: string }
  | {
      readonly t: Millis;
      readonly k: 'break';
      readonly m: number;
      readonly client: string;
      readonly server: string;
      readonly addr: string;
      readonly why: BreakReason;
    };

/** Marks a delivery that carries no payload of its own (an `open`, an `end`, a timeout...). */
export const NO_PAYLOAD: unique symbol = Symbol('no payload');

/**
 * Receives every event as it happens. `payload` is the delivered value itself (already the
 * receiver's private copy): an observer may digest it but must not keep or change it.
 */
export type WorldObserver = (event: WorldEvent, payload: unknown) => void;
