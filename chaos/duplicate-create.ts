// duplicate-create: the same create request arrives several times at once, as when a client
// retries a create whose answer it never got. The object here is a small bare Pod named by
// the fault's target; of the copies exactly one may succeed and the others must get 409
// AlreadyExists (api-semantics judges it from the operation records), and the Pod that
// exists must run like any other.

import fc from 'fast-check';
import type { FaultKind } from './fault-kind.js';
import type { Manifest } from '../harness/campaign/scenario.js';
import { startTime } from './shape.js';

function pod(namespace: string, name: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name },
    spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  };
}

export const duplicateCreate: FaultKind = {
  kind: 'duplicate-create',
  description: 'one create request of a Pod arrives several times at once',
  arbitrary: (_cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('duplicate-create'),
      target: fc.nat({ max: 99 }).map((n) => `default/dup-${n}`),
      durationMs: fc.constant(0),
      params: fc.record({ copies: fc.integer({ min: 2, max: 4 }) }),
    }),
  injectSim(ctx, fault) {
    const slash = fault.target.indexOf('/');
    const namespace = slash < 0 ? 'default' : fault.target.slice(0, slash);
    const name = fault.target.slice(slash + 1);
    const copies = Math.max(2, Number(fault.params?.copies ?? 2));
    ctx.after(fault.at, async () => {
      ctx.record('inject', `${copies} creates of pod ${namespace}/${name}`);
      await ctx.operation({ op: 'duplicate-create', manifest: pod(namespace, name), copies });
    });
  },
  injectLive: {
    needs: 'api',
    inject(ctx, fault) {
      // The run's namespace stands in for the scenario's.
      const name = fault.target.slice(fault.target.indexOf('/') + 1);
      const copies = Math.max(2, Number(fault.params?.copies ?? 2));
      ctx.after(fault.at, async () => {
        ctx.record('inject', `${copies} creates of pod ${ctx.namespace}/${name}`);
        await ctx.operation({ op: 'duplicate-create', manifest: pod(ctx.namespace, name), copies });
      });
    },
  },
};
