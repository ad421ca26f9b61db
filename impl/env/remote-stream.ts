// The caller's end of a streamed reply: a buffer the network fills in order and the caller
// drains with for-await. Items that arrived before the connection broke are still yielded;
// then iteration throws NetworkError('closed') once.

import { NetworkError, type RemoteStream } from './network.js';

interface Waiter<T> {
  resolve(result: IteratorResult<T>): void;
  reject(error: unknown): void;
}

type InboxState = 'open' | 'ended' | 'failed' | 'closed';

export class StreamInbox<T = unknown> implements RemoteStream<T>, AsyncIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiters: Waiter<T>[] = [];
  private state: InboxState = 'open';
  private failure: NetworkError | null = null;

  /** `onClose` tells the network that the caller closed its end (never called for an end or a break). */
  constructor(private readonly onClose: () => void) {}

  /** False once the stream ended, broke or was closed by the caller: nothing more is accepted. */
  get accepting(): boolean {
    return this.state === 'open';
  }

  push(item: T): void {
    if (this.state !== 'open') return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve({ value: item, done: false });
    else this.buffer.push(item);
  }

  end(): void {
    if (this.state !== 'open') return;
    this.state = 'ended';
    for (const waiter of this.waiters.splice(0)) waiter.resolve(DONE);
  }

  fail(error: NetworkError): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.failure = error;
    // Waiters exist only when the buffer is empty, so the first of them takes the error.
    const [first, ...rest] = this.waiters.splice(0);
    if (first) {
      this.failure = null;
      first.reject(error);
    }
    for (const waiter of rest) waiter.resolve(DONE);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift() as T, done: false });
    if (this.state === 'open') return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.failure) {
      const error = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    return Promise.resolve(DONE);
  }

  /** Leaving a for-await loop early closes the stream. */
  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve(DONE);
  }

  close(): void {
    if (this.state !== 'open') return;
    this.state = 'closed';
    this.buffer.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(DONE);
    this.onClose();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this;
  }
}

const DONE: IteratorResult<never> = { value: undefined, done: true };
