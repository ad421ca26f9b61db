// The shape shared by the control-plane restart faults (apiserver-restart,
// controller-manager-restart, scheduler-restart): the component's process is killed at the
// fault's time and started afresh when it heals. What survives is only what lives outside
// the process: the store survives an API server restart, the API's objects survive the rest.

import fc from 'fast-check';
import type { FaultKind } from './fault-kind.js';
import { down, up } from './outages.js';
import { startTime, type Component } from './shape.js';

export function componentRestart(component: Component, description: string, maxDownMs: number): FaultKind {
  const kind = `${component}-restart`;
  return {
    kind,
    description,
    arbitrary: (_cluster, horizonMs) =>
      fc.record({
        at: startTime(horizonMs),
        kind: fc.constant(kind),
        target: fc.constant(component),
        durationMs: fc.integer({ min: 500, max: maxDownMs }),
      }),
    injectSim(ctx, fault) {
      ctx.after(fault.at, () => {
        ctx.record('inject', 'killed');
        down(ctx.cluster, { component });
      });
      ctx.after(fault.at + fault.durationMs, () => {
        ctx.record('heal', 'started');
        up(ctx.cluster, { component });
      });
    },
    injectLive: {
      needs: 'processes',
      inject(ctx, fault) {
        ctx.after(fault.at, async () => ctx.record('inject', await ctx.processes.down({ component })));
        ctx.after(fault.at + fault.durationMs, async () => ctx.record('heal', await ctx.processes.up({ component })));
      },
    },
  };
}
