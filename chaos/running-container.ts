// Picks the victim of a container fault: one running container on a node, chosen by the
// fault's `pick` parameter among the running ones in the runtime's order (in the sim) or in
// the order of the run's pods and their containers (live, from the pods' status), so a
// schedule names its victim without knowing container ids in advance.

import type { SimCluster } from '../impl/cluster/sim/sim-cluster.js';
import type { SimNodeRuntime } from '../impl/runtime/sim/index.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL } from '../impl/runtime/runtime.js';
import type { Fault } from '../harness/campaign/scenario.js';
import type { ApiObject } from '../impl/client/api-client.js';
import { PODS } from '../impl/client/resources.js';
import type { LiveFaultContext } from './fault-kind.js';

export interface Victim {
  readonly runtime: SimNodeRuntime;
  readonly id: string;
  /** "<namespace>/<pod>/<container>" when the runtime labels it, else the id. */
  readonly label: string;
}

/** The container `fault` hits on its target node, or why there is none. */
export async function runningContainer(cluster: SimCluster, fault: Fault): Promise<Victim | string> {
  const pending = cluster.runtimeOf(fault.target);
  if (!pending) return `node ${fault.target} is down`;
  const runtime = await pending;
  const running = runtime.listContainers().filter((c) => c.state === 'running');
  if (running.length === 0) return 'no running container';
  const victim = running[Number(fault.params?.pick ?? 0) % running.length]!;
  const l = victim.labels;
  const pod = l[POD_NAME_LABEL];
  return { runtime, id: victim.id, label: pod ? `${l[POD_NAMESPACE_LABEL] ?? ''}/${pod}/${l[CONTAINER_NAME_LABEL] ?? ''} (${victim.id})` : victim.id };
}

type PodStatusView = ApiObject & {
  spec?: { nodeName?: string };
  status?: { containerStatuses?: { name: string; containerID?: string; state?: { running?: object } }[] };
};

/**
 * The container `fault` hits on a live cluster: among the run's pods bound to the target's
 * real node, the containers their status says run, by pod name then container name.
 */
export async function runningContainerLive(ctx: LiveFaultContext, fault: Fault): Promise<{ readonly id: string; readonly label: string } | string> {
  const node = ctx.node(fault.target);
  let pods: PodStatusView[];
  try {
    pods = (await ctx.client.list<PodStatusView>(PODS, ctx.namespace)).items;
  } catch (e) {
    return `could not list pods: ${e instanceof Error ? e.message : String(e)}`;
  }
  const byName = (a: { name?: string }, b: { name?: string }) => (a.name ?? '').localeCompare(b.name ?? '');
  const running = pods
    .filter((p) => p.spec?.nodeName === node)
    .sort((a, b) => byName(a.metadata ?? {}, b.metadata ?? {}))
    .flatMap((p) =>
      [...(p.status?.containerStatuses ?? [])]
        .filter((s) => s.state?.running && s.containerID)
        .sort(byName)
        .map((s) => ({ id: s.containerID ?? '', label: `${ctx.namespace}/${p.metadata?.name ?? ''}/${s.name} (${s.containerID ?? ''})` })),
    );
  if (running.length === 0) return `no running container on node ${node}`;
  return running[Number(fault.params?.pick ?? 0) % running.length]!;
}
