// The kubelet's Node as it registers it and the status it reports: capacity and allocatable,
// the four node conditions (Ready by KubeletReady, no memory/disk/PID pressure), nodeInfo,
// addresses and the kubelet's endpoint. Pure, so a status can be compared with the one the
// API holds before deciding to post it.

import type { Node, NodeCondition, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import { metaTime } from '../api/meta-time.js';
import type { Millis } from '../env/clock.js';
import { stableJson } from './stable-json.js';

export const KUBELET_VERSION = 'v1.32.0-kubeprop';

export interface NodeResources {
  readonly cpu: string;
  readonly memory: string;
  readonly pods: string;
  readonly 'ephemeral-storage': string;
}

export interface NodeDescription {
  readonly nodeName: string;
  readonly capacity: NodeResources;
  readonly allocatable: NodeResources;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly hostIP: string;
  readonly kubeletPort: number;
  /** ContainerRuntime.name and .version. */
  readonly runtimeName: string;
  readonly runtimeVersion: string;
}

/** The labels every kubelet sets on its Node. */
export function defaultNodeLabels(nodeName: string): Record<string, string> {
  return {
    'kubernetes.io/hostname': nodeName,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
  };
}

/** The Node a kubelet creates when it registers (its status is posted right after). */
export function registrationNode(d: NodeDescription, now: Millis): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: d.nodeName, labels: { ...defaultNodeLabels(d.nodeName), ...d.labels } },
    spec: d.taints.length > 0 ? { taints: d.taints.map((t) => ({ ...t })) } : {},
    status: nodeStatus(d, undefined, now),
  };
}

const CONDITIONS: readonly { type: string; status: 'True' | 'False'; reason: string; message: string }[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/** A stable, node-specific hex id (machineID, systemUUID, bootID are data only). */
function hexId(seed: string, length: number): string {
  let h = 2166136261;
  let out = '';
  while (out.length < length) {
    for (const ch of `${seed}:${out.length}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/**
 * The status to post at `now`: each condition keeps its lastTransitionTime from `previous`
 * while its status is unchanged (so a node the node controller marked Unknown gets a fresh
 * transition when the kubelet is back).
 */
export function nodeStatus(d: NodeDescription, previous: NodeStatus | undefined, now: Millis): NodeStatus {
  const at = metaTime(now);
  const conditions: NodeCondition[] = CONDITIONS.map((c) => {
    const old = previous?.conditions?.find((p) => p.type === c.type);
    const since = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : at;
    return { type: c.type, status: c.status, lastHeartbeatTime: at, lastTransitionTime: since, reason: c.reason, message: c.message };
  });
  const uuid = hexId(d.nodeName, 32);
  return {
    capacity: { ...d.capacity },
    allocatable: { ...d.allocatable },
    conditions,
    addresses: [
      { type: 'InternalIP', address: d.hostIP },
      { type: 'Hostname', address: d.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: d.kubeletPort } },
    nodeInfo: {
      machineID: uuid,
      systemUUID: `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20)}`,
      bootID: hexId(`${d.nodeName}/boot`, 32),
      kernelVersion: '6.1.0-kubeprop',
      osImage: `kubeprop ${d.runtimeName} node`,
      containerRuntimeVersion: d.runtimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

/** Has anything the kubelet reports, heartbeat times aside, changed between two node statuses? */
export function nodeStatusChanged(a: NodeStatus | undefined, b: NodeStatus): boolean {
  const owned = (s: NodeStatus | undefined) =>
    stableJson({
      capacity: s?.capacity,
      allocatable: s?.allocatable,
      conditions: (s?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionTime })),
      addresses: s?.addresses,
      daemonEndpoints: s?.daemonEndpoints,
      nodeInfo: s?.nodeInfo,
    });
  return owned(a) !== owned(b);
}
