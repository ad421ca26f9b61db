// stale-update: a client updates a Deployment from a read that someone else's write has
// since made stale; the API server must refuse it with 409 Conflict (optimistic
// concurrency). The harness picks one of the Deployments that exist at the fault's time,
// reads it, writes it once (an annotation), then sends the update based on the first read
// with the replicas it read, so only the refusal is at stake, never the user's intent.

import fc from 'fast-check';
import { ADMIN_USER } from '../impl/cluster/sim/sim-cluster.js';
import type { ApiObject } from '../impl/client/api-client.js';
import { DEPLOYMENTS } from '../impl/client/resources.js';
import type { FaultKind } from './fault-kind.js';
import { startTime } from './shape.js';

export const staleUpdate: FaultKind = {
  kind: 'stale-update',
  description: 'an update of a Deployment based on a stale resourceVersion',
  arbitrary: (_cluster, horizonMs) =>
    fc.record({
      at: startTime(horizonMs),
      kind: fc.constant('stale-update'),
      target: fc.constant('deployment'),
      durationMs: fc.constant(0),
      params: fc.record({ pick: fc.nat({ max: 1000 }) }),
    }),
  injectSim(ctx, fault) {
    ctx.after(fault.at, () => {
      // Choosing the Deployment takes a list: from a short-lived harness process of its own,
      // named apart from any other stale-update still in progress (names are unique).
      const kernel = ctx.cluster.kernel;
      let n = 0;
      while (kernel.process(`harness/stale-update-${n}`)) n++;
      kernel.spawn(`harness/stale-update-${n}`, async (env) => {
        const client = ctx.cluster.client(env, ADMIN_USER, 'kubeprop-fault');
        let deployments: (ApiObject & { spec?: { replicas?: number } })[];
        try {
          deployments = (await client.list<ApiObject & { spec?: { replicas?: number } }>(DEPLOYMENTS)).items;
        } catch (e) {
          return ctx.record('inject', `could not list deployments: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (deployments.length === 0) return ctx.record('inject', 'no deployment');
        const d = deployments[Number(fault.params?.pick ?? 0) % deployments.length]!;
        const target = `${d.metadata?.namespace ?? 'default'}/${d.metadata?.name ?? ''}`;
        ctx.record('inject', target);
        await ctx.operation({ op: 'stale-update', target, replicas: d.spec?.replicas ?? 1 });
      });
    });
  },
  injectLive: {
    needs: 'api',
    inject(ctx, fault) {
      // The same choice among the run's own Deployments (its namespace).
      ctx.after(fault.at, async () => {
        let deployments: (ApiObject & { spec?: { replicas?: number } })[];
        try {
          deployments = (await ctx.client.list<ApiObject & { spec?: { replicas?: number } }>(DEPLOYMENTS, ctx.namespace)).items;
        } catch (e) {
          return ctx.record('inject', `could not list deployments: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (deployments.length === 0) return ctx.record('inject', 'no deployment');
        const d = deployments[Number(fault.params?.pick ?? 0) % deployments.length]!;
        const target = `${ctx.namespace}/${d.metadata?.name ?? ''}`;
        ctx.record('inject', target);
        await ctx.operation({ op: 'stale-update', target, replicas: d.spec?.replicas ?? 1 });
      });
    },
  },
};
