// node-partition: a node's kubelet is cut off from the API server while the machine and its
// containers keep running. The node controller sees the Lease go stale, marks the node
// unreachable and evicts; when the partition heals the kubelet must catch up (pods deleted
// meanwhile are stopped on the node) without running anything twice.

import fc from 'fast-check';
import type { FaultKind } from './fault-kind.js';
import { bootedNode, kubeletProcess, startTime } from './shape.js';

export const nodePartition: FaultKind = {
  kind: 'node-partition',
  description: "the kubelet is cut off from the API server; the node's containers keep running",
  arbitrary: (cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('node-partition'),
      target: bootedNode(cluster),
      durationMs: fc.integer({ min: 5_000, max: 90_000 }),
    }),
  injectSim(ctx, fault) {
    const kubelet = [kubeletProcess(fault.target)];
    const apiserver = ['apiserver'];
    ctx.after(fault.at, () => {
      ctx.record('inject');
      ctx.cluster.kernel.partition(kubelet, apiserver);
    });
    ctx.after(fault.at + fault.durationMs, () => {
      ctx.record('heal');
      // Only this partition: another fault's cut of the same link stays.
      ctx.cluster.kernel.heal(kubelet, apiserver);
    });
  },
};
