// message-delay: messages take longer for the fault's duration, then go back to what they
// were. Aimed at the network, every message gets new, wider delay bounds (drawn per message,
// so reordering grows too): timeouts fire, leases renew late, watch events arrive late — a
// slow network, not a broken one. Aimed at a component (controller-manager, scheduler), only
// the watch events it receives are held back by a further delay, while its requests are
// answered on time — an API server whose watch cache falls behind, or a component too busy
// to drain its streams: its informers lag the store, its own writes included (a controller
// acting again on a cache that does not yet show what it just created creates it twice,
// which upstream's expectations prevent). Streams stay FIFO either way. Overlapping delay
// faults on one target combine to the widest bounds in force.

import fc from 'fast-check';
import type { SimKernel } from '../impl/sim/kernel.js';
import type { FaultKind } from './fault-kind.js';
import { startTime } from './shape.js';

interface Bounds {
  readonly minMs: number;
  readonly maxMs: number;
}

/** The components whose watch events a message-delay can hold back. */
export const WATCHING_COMPONENTS = ['controller-manager', 'scheduler'] as const;

/** Per kernel: the network's bounds before any delay fault, and the delay faults in force on each target. */
const delays = new WeakMap<SimKernel, { readonly base: Bounds; readonly active: Map<string, Set<Bounds>> }>();

function widest(base: Bounds, active: ReadonlySet<Bounds> | undefined): Bounds {
  let { minMs, maxMs } = base;
  for (const b of active ?? []) {
    minMs = Math.max(minMs, b.minMs);
    maxMs = Math.max(maxMs, b.maxMs);
  }
  return { minMs, maxMs };
}

/** Puts the bounds in force on `target` into the kernel; returns them (undefined: no extra watch delay). */
function apply(kernel: SimKernel, target: string, active: ReadonlySet<Bounds>): Bounds | undefined {
  if (target === 'network') {
    const state = delays.get(kernel);
    const now = widest(state?.base ?? kernel.delay(), active);
    kernel.setDelay(now.minMs, now.maxMs);
    return now;
  }
  const now = active.size > 0 ? widest({ minMs: 0, maxMs: 0 }, active) : undefined;
  kernel.setStreamLag(target, now);
  return now;
}

function describe(target: string, now: Bounds | undefined): string {
  if (target === 'network') return `delay ${now?.minMs ?? 0}-${now?.maxMs ?? 0} ms`;
  return now ? `watch events +${now.minMs}-${now.maxMs} ms` : 'watch events on time';
}

const bounds = (minMax: number, maxMax: number) =>
  fc.tuple(fc.integer({ min: 1, max: minMax }), fc.integer({ min: 1, max: maxMax })).map(([a, b]) => ({ minMs: Math.min(a, b), maxMs: Math.max(a, b) }));

export const messageDelay: FaultKind = {
  kind: 'message-delay',
  description: "network messages take longer (wider delay bounds), or a component's watch events do, for a while",
  arbitrary: (_cluster, horizonMs) =>
    fc.oneof(
      fc.record({
        at: startTime(horizonMs),
        kind: fc.constant('message-delay'),
        target: fc.constant('network'),
        durationMs: fc.integer({ min: 1_000, max: 60_000 }),
        params: bounds(500, 2_000),
      }),
      fc.record({
        at: startTime(horizonMs),
        kind: fc.constant('message-delay'),
        target: fc.constantFrom(...WATCHING_COMPONENTS),
        durationMs: fc.integer({ min: 2_000, max: 40_000 }),
        params: bounds(500, 3_000),
      }),
    ),
  injectSim(ctx, fault) {
    const kernel = ctx.cluster.kernel;
    const ms = (v: number | string | boolean | undefined) => Math.max(0, Math.round(Number(v ?? 0)) || 0);
    const mine: Bounds = { minMs: ms(fault.params?.minMs), maxMs: Math.max(ms(fault.params?.minMs), ms(fault.params?.maxMs)) };
    const inForce = () => {
      let state = delays.get(kernel);
      if (!state) delays.set(kernel, (state = { base: kernel.delay(), active: new Map() }));
      let set = state.active.get(fault.target);
      if (!set) state.active.set(fault.target, (set = new Set()));
      return set;
    };
    ctx.after(fault.at, () => {
      const set = inForce();
      set.add(mine);
      ctx.record('inject', describe(fault.target, apply(kernel, fault.target, set)));
    });
    ctx.after(fault.at + fault.durationMs, () => {
      const set = inForce();
      set.delete(mine);
      ctx.record('heal', describe(fault.target, apply(kernel, fault.target, set)));
    });
  },
};
