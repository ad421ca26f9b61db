// Reads of a spec's world through the API, shared by the drivers: the pods, Deployments and
// ReplicaSets of the spec's namespace and the cluster's nodes, as objects for conditions and
// as summaries for the invariants' final state.

import type { ApiClient, ApiObject } from '../../impl/client/api-client.js';
import { DEPLOYMENTS, NODES, PODS, REPLICASETS } from '../../impl/client/resources.js';
import type { ObjectSummary } from '../history/history.js';
import { summarize } from '../history/summarize.js';
import type { Deployment, Node, Pod, ReplicaSet } from './spec-driver.js';

export class NamespaceReads {
  constructor(
    private readonly client: ApiClient,
    readonly namespace: string,
  ) {}

  async pods(): Promise<Pod[]> {
    return (await this.client.list<ApiObject & Pod>(PODS, this.namespace)).items;
  }

  async deployments(): Promise<Deployment[]> {
    return (await this.client.list<ApiObject & Deployment>(DEPLOYMENTS, this.namespace)).items;
  }

  async replicaSets(): Promise<ReplicaSet[]> {
    return (await this.client.list<ApiObject & ReplicaSet>(REPLICASETS, this.namespace)).items;
  }

  async nodes(): Promise<Node[]> {
    return (await this.client.list<ApiObject & Node>(NODES)).items;
  }

  /** Every pod, ReplicaSet and Deployment of the namespace and every node, summarised. */
  async summaries(): Promise<ObjectSummary[]> {
    const out: ObjectSummary[] = [];
    for (const r of [PODS, REPLICASETS, DEPLOYMENTS]) {
      for (const o of (await this.client.list(r, this.namespace)).items) out.push(summarize(r.kind, o as unknown as Record<string, unknown>));
    }
    for (const o of (await this.client.list(NODES)).items) out.push(summarize('Node', o as unknown as Record<string, unknown>));
    return out;
  }
}
