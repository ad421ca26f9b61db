// container-crash: a running container's process exits on its own with a non-zero code (a
// crash, not a signal); the kubelet must restart it under the pod's restartPolicy and count
// the restart, with lastState showing the exit code.

import fc from 'fast-check';
import type { FaultKind } from './fault-kind.js';
import { runningContainer } from './running-container.js';
import { bootedNode, startTime } from './shape.js';

export const containerCrash: FaultKind = {
  kind: 'container-crash',
  description: 'a running container exits on its own with a non-zero code',
  arbitrary: (cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('container-crash'),
      target: bootedNode(cluster),
      durationMs: fc.constant(0),
      // Below 128: codes from 128 up read as death by a signal.
      params: fc.record({ pick: fc.nat({ max: 1000 }), exitCode: fc.integer({ min: 1, max: 127 }) }),
    }),
  injectSim(ctx, fault) {
    ctx.after(fault.at, async () => {
      const victim = await runningContainer(ctx.cluster, fault);
      if (typeof victim === 'string') return ctx.record('inject', victim);
      const exitCode = Number(fault.params?.exitCode ?? 1);
      ctx.record('inject', `${victim.label} exits ${exitCode}`);
      victim.runtime.crash(victim.id, exitCode);
    });
  },
};
