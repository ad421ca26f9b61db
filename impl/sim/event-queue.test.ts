// The agenda pops events in (time, tie, seq) order whatever the order they were pushed in.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, SimEvent } from './event-queue.js';

describe('EventQueue', () => {
  it('pops in (time, tie, seq) order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 3 }))), (keys) => {
        const queue = new EventQueue();
        const events = keys.map(([time, tie], seq) => new SimEvent(time, tie, seq, null, () => {}));
        for (const event of events) queue.push(event);
        const popped: SimEvent[] = [];
        for (let event = queue.pop(); event; event = queue.pop()) popped.push(event);
        const sorted = [...events].sort((a, b) => a.time - b.time || a.tie - b.tie || a.seq - b.seq);
        expect(popped).toEqual(sorted);
        expect(queue.size).toBe(0);
      }),
    );
  });

  it('interleaves pushes and pops correctly', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.nat({ max: 50 }), { nil: null })), (ops) => {
        const queue = new EventQueue();
        const model: SimEvent[] = [];
        ops.forEach((op, seq) => {
          if (op === null) {
            model.sort((a, b) => a.time - b.time || a.seq - b.seq);
            expect(queue.pop()).toBe(model.shift());
          } else {
            const event = new SimEvent(op, 0, seq, null, () => {});
            queue.push(event);
            model.push(event);
          }
        });
        expect(queue.size).toBe(model.length);
      }),
    );
  });
});
