// container-kill: SIGKILL one running container on a node, as `docker kill` does; the
// kubelet must restart it (restartCount + 1) or its controller replace the pod.

import fc from 'fast-check';
import type { FaultKind } from './fault-kind.js';
import { runningContainer, runningContainerLive } from './running-container.js';
import { bootedNode, startTime } from './shape.js';

export const containerKill: FaultKind = {
  kind: 'container-kill',
  description: 'SIGKILL a running container (docker kill)',
  arbitrary: (cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('container-kill'),
      target: bootedNode(cluster),
      durationMs: fc.constant(0),
      params: fc.record({ pick: fc.nat({ max: 1000 }) }),
    }),
  injectSim(ctx, fault) {
    ctx.after(fault.at, async () => {
      const victim = await runningContainer(ctx.cluster, fault);
      if (typeof victim === 'string') return ctx.record('inject', victim);
      ctx.record('inject', victim.label);
      victim.runtime.kill(victim.id, 'SIGKILL');
    });
  },
  injectLive: {
    needs: 'processes',
    inject(ctx, fault) {
      // The container its pod's status names: kill -9 of a process://PID, the engine's kill of a docker://ID.
      ctx.after(fault.at, async () => {
        const victim = await runningContainerLive(ctx, fault);
        if (typeof victim === 'string') return ctx.record('inject', victim);
        const killed = await ctx.processes.killContainer(victim.id);
        ctx.record('inject', killed ? victim.label : `${victim.label} had already exited`);
      });
    },
  },
};
