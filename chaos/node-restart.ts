// node-restart: a node reboots. Its machine and kubelet stop, every container is lost, and
// after the fault's duration (the boot time) the machine and kubelet come back on the same
// node. Unlike node-loss the outage is short: the pods usually stay bound to the node and
// the kubelet must start their containers again, counting the restarts.

import fc from 'fast-check';
import type { FaultKind } from './fault-kind.js';
import { down, up } from './outages.js';
import { bootedNode, startTime } from './shape.js';

export const nodeRestart: FaultKind = {
  kind: 'node-restart',
  description: 'a node reboots: containers lost, machine and kubelet back after the boot time',
  arbitrary: (cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('node-restart'),
      target: bootedNode(cluster),
      durationMs: fc.integer({ min: 1_000, max: 15_000 }),
    }),
  injectSim(ctx, fault) {
    ctx.after(fault.at, () => {
      ctx.record('inject', 'power off');
      down(ctx.cluster, { machine: fault.target });
    });
    ctx.after(fault.at + fault.durationMs, () => {
      ctx.record('heal', 'booted');
      up(ctx.cluster, { machine: fault.target });
    });
  },
  injectLive: {
    needs: 'processes',
    inject(ctx, fault) {
      const machine = ctx.node(fault.target);
      ctx.after(fault.at, async () => ctx.record('inject', `power off: ${await ctx.processes.down({ machine }, 'power-off')}`));
      ctx.after(fault.at + fault.durationMs, async () => ctx.record('heal', `booted: ${await ctx.processes.up({ machine })}`));
    },
  },
};
