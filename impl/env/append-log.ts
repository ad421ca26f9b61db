// The AppendLog seam: a durable, ordered sequence of records (the embedded store's
// write-ahead log), and its in-memory implementation. The file implementation lives in
// file-append-log.ts; both share the framing of log-frame.ts.

import { decodeFrames, encodeFrames } from './log-frame.js';

export interface AppendLog {
  /**
   * Appends one record. Resolves once it is durable (on disk and fsynced for a file).
   * Appends become durable, and resolve, in the order they were called; if one fails,
   * it and every later one reject and the log accepts no more.
   */
  append(record: Uint8Array): Promise<void>;
  /**
   * Every intact record in order. A torn or corrupt tail left by a crash is cut off
   * (and dropped from the file) when the log is opened, so it is never returned.
   */
  readAll(): Promise<Uint8Array[]>;
  /** Waits for pending appends, then releases the log. */
  close(): Promise<void>;
}

export class AppendLogClosedError extends Error {
  constructor() {
    super('append log is closed');
    this.name = 'AppendLogClosedError';
  }
}

/**
 * An AppendLog in memory: the bytes it holds are exactly what the file log would have on
 * disk, so tests can cut or corrupt them and open a new log over the remains.
 * Appends resolve on a later microtask: asynchronous like a disk, deterministic for the sim.
 */
export class MemoryAppendLog implements AppendLog {
  private chunks: Uint8Array[] = [];
  private closed = false;
  /** Bytes dropped at open because they were a torn or corrupt tail. */
  readonly discardedBytes: number;

  constructor(initial: Uint8Array = new Uint8Array(0)) {
    const { validLength } = decodeFrames(initial);
    this.discardedBytes = initial.length - validLength;
    if (validLength > 0) this.chunks.push(initial.slice(0, validLength));
  }

  async append(record: Uint8Array): Promise<void> {
    if (this.closed) throw new AppendLogClosedError();
    // Copy now: the caller may reuse its buffer before the append resolves.
    this.chunks.push(encodeFrames([record]));
    await Promise.resolve();
  }

  async readAll(): Promise<Uint8Array[]> {
    return decodeFrames(this.bytes()).records;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** A copy of the log as it would be on disk. */
  bytes(): Uint8Array {
    if (this.chunks.length > 1) {
      let total = 0;
      for (const chunk of this.chunks) total += chunk.length;
      const joined = new Uint8Array(total);
      let at = 0;
      for (const chunk of this.chunks) {
        joined.set(chunk, at);
        at += chunk.length;
      }
      this.chunks = [joined];
    }
    return (this.chunks[0] ?? new Uint8Array(0)).slice();
  }
}
