// What a kubelet is told at start: its node's name, size, labels and taints, and the periods
// of its loops. Defaults are upstream's; tests shorten what they need.

import type { Taint } from 'kubernetes-types/core/v1.js';
import type { Millis } from '../env/clock.js';
import { KUBELET_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { KubeletMutants } from './mutants.js';
import type { NodeResources } from './node-object.js';

export interface KubeletOptions {
  readonly nodeName: string;
  /** Defaults: 4 CPUs, 8Gi memory, 110 pods, 100Gi ephemeral storage. */
  readonly capacity?: { readonly cpu?: string; readonly memory?: string; readonly pods?: string | number; readonly 'ephemeral-storage'?: string };
  /** What pods may use; defaults to the capacity (no system reservations). */
  readonly allocatable?: { readonly cpu?: string; readonly memory?: string; readonly pods?: string | number; readonly 'ephemeral-storage'?: string };
  /** Added to the default labels (kubernetes.io/hostname, os, arch). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Set when the Node is first created (later changes are the API's, as upstream). */
  readonly taints?: readonly Taint[];
  /** The node's InternalIP (default 127.0.0.1: the only network here is loopback). */
  readonly hostIP?: string;
  /** Advertised in status.daemonEndpoints.kubeletEndpoint.Port (the live log endpoint's port). */
  readonly kubeletPort?: number;
  /** Upstream: 10 s renewal of a 40 s lease. */
  readonly nodeLeaseRenewIntervalMs?: Millis;
  readonly nodeLeaseDurationSeconds?: number;
  /** Upstream: the status is computed every 10 s and posted when it changed, or every 5 min regardless. */
  readonly nodeStatusUpdateFrequencyMs?: Millis;
  readonly nodeStatusReportFrequencyMs?: Millis;
  /** How often the runtime's containers are relisted (upstream PLEG: 1 s); runtime events come sooner. */
  readonly relistPeriodMs?: Millis;
  /** Every pod is synced at least this often (upstream syncFrequency: 1 min). */
  readonly syncFrequencyMs?: Millis;
  readonly crashLoopBackOff?: BackoffPolicy;
  readonly imagePullBackOff?: BackoffPolicy;
  /**
   * Pod IPs come from the Node's spec.podCIDR (the node IPAM controller's). Until it is set a
   * pod waits in ContainerCreating, as upstream's would without a pod network — unless this
   * fallback is given (a kubelet run without a controller-manager).
   */
  readonly fallbackPodCIDR?: string;
  readonly mutants?: KubeletMutants;
}

export interface ResolvedKubeletOptions {
  readonly nodeName: string;
  readonly capacity: NodeResources;
  readonly allocatable: NodeResources;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly hostIP: string;
  readonly kubeletPort: number;
  readonly nodeLeaseRenewIntervalMs: Millis;
  readonly nodeLeaseDurationSeconds: number;
  readonly nodeStatusUpdateFrequencyMs: Millis;
  readonly nodeStatusReportFrequencyMs: Millis;
  readonly relistPeriodMs: Millis;
  readonly syncFrequencyMs: Millis;
  readonly crashLoopBackOff: BackoffPolicy;
  readonly imagePullBackOff: BackoffPolicy;
  readonly fallbackPodCIDR: string | undefined;
  readonly mutants: KubeletMutants;
}

const DEFAULT_CAPACITY: NodeResources = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' };

function resources(given: KubeletOptions['capacity'], base: NodeResources): NodeResources {
  return {
    cpu: given?.cpu ?? base.cpu,
    memory: given?.memory ?? base.memory,
    pods: given?.pods !== undefined ? String(given.pods) : base.pods,
    'ephemeral-storage': given?.['ephemeral-storage'] ?? base['ephemeral-storage'],
  };
}

export function resolveKubeletOptions(o: KubeletOptions): ResolvedKubeletOptions {
  const capacity = resources(o.capacity, DEFAULT_CAPACITY);
  return {
    nodeName: o.nodeName,
    capacity,
    allocatable: resources(o.allocatable, capacity),
    labels: o.labels ?? {},
    taints: o.taints ?? [],
    hostIP: o.hostIP ?? '127.0.0.1',
    kubeletPort: o.kubeletPort ?? 10250,
    nodeLeaseRenewIntervalMs: o.nodeLeaseRenewIntervalMs ?? 10_000,
    nodeLeaseDurationSeconds: o.nodeLeaseDurationSeconds ?? 40,
    nodeStatusUpdateFrequencyMs: o.nodeStatusUpdateFrequencyMs ?? 10_000,
    nodeStatusReportFrequencyMs: o.nodeStatusReportFrequencyMs ?? 300_000,
    relistPeriodMs: o.relistPeriodMs ?? 1_000,
    syncFrequencyMs: o.syncFrequencyMs ?? 60_000,
    crashLoopBackOff: o.crashLoopBackOff ?? KUBELET_BACKOFF,
    imagePullBackOff: o.imagePullBackOff ?? KUBELET_BACKOFF,
    fallbackPodCIDR: o.fallbackPodCIDR,
    mutants: o.mutants ?? {},
  };
}
