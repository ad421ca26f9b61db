// message-delay: every message on the network takes longer for the fault's duration (new
// delay bounds drawn per message, so reordering grows too), then the bounds return to what
// they were. Timeouts fire, leases renew late, watch events arrive late: a slow network,
// not a broken one. Overlapping delay faults combine to the widest bounds in force.

import fc from 'fast-check';
import type { SimKernel } from '../impl/sim/kernel.js';
import type { FaultKind } from './fault-kind.js';
import { startTime } from './shape.js';

interface Bounds {
  readonly minMs: number;
  readonly maxMs: number;
}

/** Per kernel: the bounds before any delay fault, and the delay faults in force. */
const delays = new WeakMap<SimKernel, { readonly base: Bounds; readonly active: Set<Bounds> }>();

function apply(kernel: SimKernel, state: { readonly base: Bounds; readonly active: Set<Bounds> }): void {
  let { minMs, maxMs } = state.base;
  for (const b of state.active) {
    minMs = Math.max(minMs, b.minMs);
    maxMs = Math.max(maxMs, b.maxMs);
  }
  kernel.setDelay(minMs, maxMs);
}

export const messageDelay: FaultKind = {
  kind: 'message-delay',
  description: 'network messages take longer (wider delay bounds) for a while',
  arbitrary: (_cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('message-delay'),
      target: fc.constant('network'),
      durationMs: fc.integer({ min: 1_000, max: 60_000 }),
      params: fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 2_000 })).map(([a, b]) => ({ minMs: Math.min(a, b), maxMs: Math.max(a, b) })),
    }),
  injectSim(ctx, fault) {
    const kernel = ctx.cluster.kernel;
    const ms = (v: number | string | boolean | undefined) => Math.max(0, Math.round(Number(v ?? 0)) || 0);
    const mine: Bounds = { minMs: ms(fault.params?.minMs), maxMs: Math.max(ms(fault.params?.minMs), ms(fault.params?.maxMs)) };
    ctx.after(fault.at, () => {
      let state = delays.get(kernel);
      if (!state) delays.set(kernel, (state = { base: kernel.delay(), active: new Set() }));
      state.active.add(mine);
      apply(kernel, state);
      const now = kernel.delay();
      ctx.record('inject', `delay ${now.minMs}-${now.maxMs} ms`);
    });
    ctx.after(fault.at + fault.durationMs, () => {
      const state = delays.get(kernel);
      if (!state) return;
      state.active.delete(mine);
      apply(kernel, state);
      const now = kernel.delay();
      ctx.record('heal', `delay ${now.minMs}-${now.maxMs} ms`);
    });
  },
};
