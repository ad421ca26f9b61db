// One watch's delivery queue: the store pushes responses as revisions become visible; the
// consumer iterates. Delivery is asynchronous but deterministic (only promise resolution,
// no timers). The queue is unbounded: a consumer that stops reading holds its backlog in
// memory, where etcd would fall back to catching it up from its backend later.

import type { Watch, WatchResponse } from './store.js';

export class WatchStream implements Watch {
  private queue: WatchResponse[] = [];
  /** Index of the next response to hand out. */
  private head = 0;
  /** A consumer waiting in next() for the queue to fill. */
  private waiter: { resolve: (result: IteratorResult<WatchResponse>) => void; reject: (error: unknown) => void } | undefined;
  /** No more pushes: cancelled, failed or its store closed. */
  private ended = false;
  /** Thrown to the consumer once the queued responses are handed out. */
  private failure: unknown;

  /** `onEnd` unregisters the watch from its store; called once, when it is cancelled or failed. */
  constructor(private readonly onEnd: () => void) {}

  get active(): boolean {
    return !this.ended;
  }

  push(response: WatchResponse): void {
    if (this.ended) return;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve({ value: response, done: false });
    } else {
      this.queue.push(response);
    }
  }

  /** Ends the watch with an error, thrown after the responses already queued. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.onEnd();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }

  /** Ends iteration at once; queued responses are dropped. */
  cancel(): void {
    if (!this.ended) {
      this.ended = true;
      this.onEnd();
    }
    this.failure = undefined;
    this.queue = [];
    this.head = 0;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchResponse> {
    return {
      next: () => this.next(),
      return: async () => {
        this.cancel();
        return { value: undefined, done: true };
      },
    };
  }

  private next(): Promise<IteratorResult<WatchResponse>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++] as WatchResponse;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    if (this.waiter !== undefined) return Promise.reject(new Error('a watch has one consumer: next() called while another next() waits'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }
}
