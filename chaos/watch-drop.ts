// watch-drop: every stream between one component and the API server breaks at once, as when
// a load balancer or the server resets idle connections, while the network itself stays
// up. The component's informers see their watches end and must resume from the last
// resourceVersion they saw (or relist on 410) without missing or repeating an event.
// Mechanism: the sim kernel's resetStreams, a connection reset rather than a partition, so
// the component's requests keep working and only the streams are hit.

import fc from 'fast-check';
import type { ClusterShape } from '../harness/campaign/scenario.js';
import type { FaultKind } from './fault-kind.js';
import { bootedNodes, kubeletProcess, startTime } from './shape.js';

/** The processes that hold watches on the API server. */
function watchers(cluster: ClusterShape): string[] {
  return ['controller-manager', 'scheduler', ...bootedNodes(cluster).map(kubeletProcess)];
}

export const watchDrop: FaultKind = {
  kind: 'watch-drop',
  description: "a component's watch streams to the API server are reset",
  arbitrary: (cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('watch-drop'),
      target: fc.constantFrom(...watchers(cluster)),
      durationMs: fc.constant(0),
    }),
  injectSim(ctx, fault) {
    ctx.after(fault.at, () => {
      const broken = ctx.cluster.kernel.resetStreams([fault.target], ['apiserver']);
      ctx.record('inject', `${broken} stream${broken === 1 ? '' : 's'} reset`);
    });
  },
};
