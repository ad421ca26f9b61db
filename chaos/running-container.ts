// Picks the victim of a container fault: one running container on a node, chosen by the
// fault's `pick` parameter among the running ones in the runtime's order, so a schedule
// names its victim without knowing container ids in advance.

import type { SimCluster } from '../impl/cluster/sim/sim-cluster.js';
import type { SimNodeRuntime } from '../impl/runtime/sim/index.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL } from '../impl/runtime/runtime.js';
import type { Fault } from '../harness/campaign/scenario.js';

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
