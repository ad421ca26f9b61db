// node-add: a node declared spare in the cluster shape (NodeShape.spare) boots late: its
// machine and kubelet start, the kubelet registers the Node, and the scheduler may place
// pods there from then on. A cluster shape without spare nodes gives node-add faults that
// find nothing to add and say so in the fault log.

import fc from 'fast-check';
import type { FaultKind } from './fault-kind.js';
import { spareNodes, startTime } from './shape.js';

/** The target of node-add faults of a cluster shape with no spare node. */
const NO_SPARE = 'none';

export const nodeAdd: FaultKind = {
  kind: 'node-add',
  description: 'a spare node of the cluster shape joins the cluster',
  arbitrary: (cluster, horizonMs) => {
    const spares = spareNodes(cluster);
    return fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('node-add'),
      target: spares.length > 0 ? fc.constantFrom(...spares) : fc.constant(NO_SPARE),
      durationMs: fc.constant(0),
    });
  },
  injectSim(ctx, fault) {
    ctx.after(fault.at, () => {
      if (!ctx.cluster.nodeNames().includes(fault.target)) return ctx.record('inject', 'no such spare node in the cluster shape');
      if (ctx.cluster.machineAlive(fault.target)) return ctx.record('inject', 'already running');
      ctx.record('inject');
      ctx.cluster.startNode(fault.target);
    });
  },
};
