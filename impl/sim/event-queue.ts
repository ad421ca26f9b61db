// The kernel's agenda: a binary min-heap of events ordered by (time, tie, seq). `tie` is drawn
// from the seed when the event is scheduled, so events due at the same instant run in an order
// the seed chooses; `seq` makes the order total even if two ties collide.

import type { Millis } from '../env/clock.js';
import type { ProcessScope } from '../env/process-scope.js';
import type { Scheduled } from '../env/scheduler.js';

export class SimEvent implements Scheduled {
  /** Cancelled events stay in the heap and are skipped when they surface (cheaper than removal). */
  cancelled = false;

  constructor(
    readonly time: Millis,
    readonly tie: number,
    readonly seq: number,
    /** The process the event belongs to: skipped if it has ended. Null for kernel and network events. */
    readonly owner: ProcessScope | null,
    readonly task: () => void,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.tie !== b.tie) return a.tie < b.tie;
  return a.seq < b.seq;
}

export class EventQueue {
  private readonly heap: SimEvent[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): SimEvent | undefined {
    return this.heap[0];
  }

  push(event: SimEvent): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent] as SimEvent;
      if (!before(event, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = event;
  }

  pop(): SimEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(heap[right] as SimEvent, heap[left] as SimEvent)) child = right;
      const smaller = heap[child] as SimEvent;
      if (!before(smaller, last)) break;
      heap[i] = smaller;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
