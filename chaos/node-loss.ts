// node-loss: a node's machine disappears with its kubelet and every container on it, and
// comes back (a fresh machine, no containers) when the fault heals. The node lifecycle
// controller must notice, taint and evict; controllers replace the pods elsewhere. On the
// local target with Docker the machine drops out rather than dies: only its kubelet is
// killed, its containers run on in the engine, and the returning kubelet must remove those
// of the evicted pods (no orphan may outlive the heal) and adopt the rest.

import fc from 'fast-check';
import type { FaultKind } from './fault-kind.js';
import { down, up } from './outages.js';
import { bootedNode, startTime } from './shape.js';

export const nodeLoss: FaultKind = {
  kind: 'node-loss',
  description: 'a node and all its containers are gone until the fault heals',
  arbitrary: (cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('node-loss'),
      target: bootedNode(cluster),
      durationMs: fc.integer({ min: 5_000, max: 120_000 }),
    }),
  injectSim(ctx, fault) {
    ctx.after(fault.at, () => {
      ctx.record('inject');
      down(ctx.cluster, { machine: fault.target });
    });
    ctx.after(fault.at + fault.durationMs, () => {
      ctx.record('heal');
      up(ctx.cluster, { machine: fault.target });
    });
  },
  injectLive: {
    needs: 'processes',
    inject(ctx, fault) {
      // The kubelet is killed (and the node's container processes; Docker's containers run on
      // until the kubelet is back); it starts again on the same data directory at the heal,
      // like a machine back with its disk.
      const machine = ctx.node(fault.target);
      ctx.after(fault.at, async () => ctx.record('inject', await ctx.processes.down({ machine }, 'lost')));
      ctx.after(fault.at + fault.durationMs, async () => ctx.record('heal', await ctx.processes.up({ machine })));
    },
  },
};
