// Node IPAM (upstream's range allocator): every node without spec.podCIDR gets the lowest
// free per-node CIDR of the cluster range (10.244.0.0/16 in /24s by default), from which its
// kubelet hands out pod IPs (as data only; nothing dials them). Which CIDRs are taken is
// read off the node cache each time, so a deleted node's CIDR is free again once the cache
// drops it; the only private state is the handful of CIDRs whose patch is in flight.

import type { Node } from 'kubernetes-types/core/v1.js';
import { ApiClient, isNotFound, type ApiObject } from '../../client/api-client.js';
import type { ControllerLoop } from '../../client/controller-loop.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { NODES } from '../../client/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Env } from '../../env/env.js';
import { mutantOn, type ControllerMutants } from '../mutants.js';
import { writeOutcomeUnknown } from '../write-outcome.js';
import { CidrSet } from './cidr-set.js';

export interface NodeIpamOptions {
  /** The cluster's pod range (upstream --cluster-cidr). */
  readonly clusterCIDR?: string;
  /** The prefix length of each node's range (upstream --node-cidr-mask-size, 24). */
  readonly nodeCIDRMaskSize?: number;
  readonly retryMaxMs?: number;
  readonly mutants?: ControllerMutants;
}

export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;

export class NodeIpamController implements ControllerLoop {
  readonly name = 'node-ipam-controller';
  /** Node names that may lack a podCIDR. */
  readonly queue: WorkQueue<string>;
  sync: (key: string) => Promise<void> = (key) => this.syncNode(key);
  readonly cidrs: CidrSet;
  /** CIDR indices being written to a node, by node name, until the cache shows the write. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    env: Env,
    private readonly client: ApiClient,
    private readonly nodes: Informer<Node>,
    private readonly recorder: EventRecorder,
    private readonly options: NodeIpamOptions = {},
  ) {
    this.queue = new WorkQueue<string>(env.timers, { maxMs: options.retryMaxMs ?? 30_000 });
    this.cidrs = new CidrSet(options.clusterCIDR ?? DEFAULT_CLUSTER_CIDR, options.nodeCIDRMaskSize ?? DEFAULT_NODE_CIDR_MASK_SIZE);
    nodes.on({
      add: (n) => this.queue.add(n.metadata?.name ?? ''),
      update: (_old, n) => this.queue.add(n.metadata?.name ?? ''),
      delete: (n) => this.queue.add(n.metadata?.name ?? ''),
    });
  }

  private used(except: string): Set<number> {
    const used = new Set<number>();
    for (const n of this.nodes.list()) {
      const i = n.spec?.podCIDR ? this.cidrs.indexOf(n.spec.podCIDR) : undefined;
      if (i !== undefined) used.add(i);
    }
    for (const [name, i] of this.inFlight) if (name !== except) used.add(i);
    return used;
  }

  private async syncNode(name: string): Promise<void> {
    const node = this.nodes.get(name);
    if (!node || node.spec?.podCIDR) {
      this.inFlight.delete(name);
      return;
    }
    // Chosen and reserved before the first await: two workers never pick the same CIDR.
    const index = this.inFlight.get(name) ?? (mutantOn(this.options.mutants, 'duplicate-pod-cidr') ? 0 : this.cidrs.lowestFree(this.used(name)));
    if (index === undefined) {
      this.recorder.event({ apiVersion: 'v1', kind: 'Node', name, uid: name }, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      return;
    }
    this.inFlight.set(name, index);
    const cidr = this.cidrs.cidr(index);
    try {
      await this.client.patch<ApiObject>(NODES, undefined, name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
    } catch (e) {
      // A patch that may have landed keeps its CIDR reserved: the retry writes the same one.
      if (!writeOutcomeUnknown(e)) this.inFlight.delete(name);
      if (isNotFound(e)) return;
      throw e;
    }
  }
}
