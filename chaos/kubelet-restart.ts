// kubelet-restart: only the kubelet process of a node dies, its containers keep running in
// the node's runtime; after the fault's duration the kubelet starts again and must adopt
// them (no duplicates, restartCount kept) rather than start them anew.

import fc from 'fast-check';
import type { FaultKind } from './fault-kind.js';
import { down, up } from './outages.js';
import { bootedNode, startTime } from './shape.js';

export const kubeletRestart: FaultKind = {
  kind: 'kubelet-restart',
  description: "a node's kubelet restarts; its containers keep running and must be adopted",
  arbitrary: (cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('kubelet-restart'),
      target: bootedNode(cluster),
      durationMs: fc.integer({ min: 500, max: 30_000 }),
    }),
  injectSim(ctx, fault) {
    ctx.after(fault.at, () => {
      ctx.record('inject', 'killed');
      down(ctx.cluster, { kubelet: fault.target });
    });
    ctx.after(fault.at + fault.durationMs, () => {
      ctx.record('heal', 'started');
      up(ctx.cluster, { kubelet: fault.target });
    });
  },
  injectLive: {
    needs: 'processes',
    inject(ctx, fault) {
      const kubelet = ctx.node(fault.target);
      ctx.after(fault.at, async () => ctx.record('inject', await ctx.processes.down({ kubelet })));
      ctx.after(fault.at + fault.durationMs, async () => ctx.record('heal', await ctx.processes.up({ kubelet })));
    },
  },
};
