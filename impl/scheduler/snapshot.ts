// The cluster as one scheduling cycle sees it: every node with the pods on it (bound, or
// assumed by this scheduler and not yet seen bound) and the sums of their requests. Plugins
// read only this, so a cycle's decision is a pure function of the snapshot and the pod.
//
// Upstream keeps an incrementally updated cache and snapshots it per cycle; here the
// snapshot is rebuilt from the informer caches each cycle. That costs O(pods) per pod
// scheduled, which is nothing at this project's cluster sizes, and leaves no second copy of
// the cluster that could drift from what the informers show.

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Labels } from '../api/labels.js';
import { addInto, nodeAllocatable, podNonZeroRequests, podRequests, type PodRequestOptions, type ResourceAmounts } from './resources.js';

/** A pod and what it asks for, computed once per snapshot. */
export interface PodInfo {
  readonly pod: Pod;
  /** namespace/name */
  readonly key: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly requests: ResourceAmounts;
  readonly nonZeroRequests: { readonly cpu: bigint; readonly memory: bigint };
}

export interface NodeInfo {
  readonly node: Node;
  readonly name: string;
  readonly labels: Labels;
  readonly allocatable: ResourceAmounts;
  /** The pods on this node, bound or assumed, in key order. */
  readonly pods: readonly PodInfo[];
  /** The sum of those pods' requests. */
  readonly requested: ResourceAmounts;
  /** The sum of their non-zero cpu and memory requests (for scoring). */
  readonly nonZeroRequested: { readonly cpu: bigint; readonly memory: bigint };
}

export interface Snapshot {
  /** Every node, in name order (so ties and reason counts never depend on arrival order). */
  readonly nodes: readonly NodeInfo[];
  /** Labels of a namespace, for affinity terms with a namespaceSelector; undefined if unknown. */
  namespaceLabels(namespace: string): Labels | undefined;
}

export function podInfoOf(pod: Pod, options: PodRequestOptions = {}): PodInfo {
  const namespace = pod.metadata?.namespace ?? '';
  return {
    pod,
    key: `${namespace}/${pod.metadata?.name ?? ''}`,
    namespace,
    labels: pod.metadata?.labels ?? {},
    requests: podRequests(pod, options),
    nonZeroRequests: podNonZeroRequests(pod),
  };
}

export interface SnapshotInput {
  readonly nodes: readonly Node[];
  /** Pods bound to a node (spec.nodeName set) or assumed onto one (a copy with nodeName set). */
  readonly pods: readonly Pod[];
  readonly namespaceLabels?: (namespace: string) => Labels | undefined;
  readonly requestOptions?: PodRequestOptions;
}

export function buildSnapshot(input: SnapshotInput): Snapshot {
  const byNode = new Map<string, PodInfo[]>();
  for (const pod of input.pods) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) continue;
    let list = byNode.get(nodeName);
    if (!list) byNode.set(nodeName, (list = []));
    list.push(podInfoOf(pod, input.requestOptions));
  }
  const nodes = [...input.nodes]
    .filter((n) => n.metadata?.name)
    .sort((a, b) => compareNames(a.metadata?.name ?? '', b.metadata?.name ?? ''))
    .map((node): NodeInfo => {
      const name = node.metadata?.name ?? '';
      const pods = (byNode.get(name) ?? []).sort((a, b) => compareNames(a.key, b.key));
      const requested = new Map<string, bigint>();
      let cpu = 0n;
      let memory = 0n;
      for (const p of pods) {
        addInto(requested, p.requests);
        cpu += p.nonZeroRequests.cpu;
        memory += p.nonZeroRequests.memory;
      }
      return { node, name, labels: node.metadata?.labels ?? {}, allocatable: nodeAllocatable(node), pods, requested, nonZeroRequested: { cpu, memory } };
    });
  const namespaceLabels = input.namespaceLabels ?? (() => undefined);
  return { nodes, namespaceLabels };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
