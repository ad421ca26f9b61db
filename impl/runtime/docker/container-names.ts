// How the Docker runtime names and labels a pod's containers. Names follow the dockershim's
// k8s_<container>_<pod>_<namespace>_<uid>_<attempt>, so `docker ps` reads as on a Docker-backed
// Kubernetes node; two labels of kubeprop's own scope every container to one node of one
// cluster, so several nodes (and several clusters, as parallel test runs) share one engine
// without seeing each other's containers.

import {
  CONTAINER_NAME_LABEL,
  POD_NAME_LABEL,
  POD_NAMESPACE_LABEL,
  POD_UID_LABEL,
  RESTART_COUNT_LABEL,
} from '../runtime.js';

/** The node whose kubelet created the container. */
export const NODE_LABEL = 'kubeprop.node';
/** The cluster of that node (kubeprop up passes its data directory), so same-named nodes of two clusters keep apart. */
export const CLUSTER_LABEL = 'kubeprop.cluster';
export const DEFAULT_CLUSTER = 'kubeprop';

/** Docker's container id as the kubelet reports it: docker://<64 hex>. */
export const DOCKER_SCHEME = 'docker://';

/** The labels that put a container in the scope of one runtime. */
export function scopeLabels(node: string, cluster: string): Record<string, string> {
  return { [NODE_LABEL]: node, [CLUSTER_LABEL]: cluster };
}

/** Docker's label filters (`label=k=v`, all must match) for these labels. */
export function labelFilters(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

/** Docker allows [a-zA-Z0-9][a-zA-Z0-9_.-]* in names; `_` separates the parts, so it is replaced inside them. */
function part(text: string | undefined, fallback: string): string {
  const cleaned = (text ?? '').replace(/[^a-zA-Z0-9.-]/g, '-');
  return cleaned === '' ? fallback : cleaned;
}

/** k8s_<container>_<pod>_<namespace>_<uid>_<attempt>, from the kubelet's labels (placeholders where a label is missing). */
export function containerName(containerName: string, labels: Readonly<Record<string, string>>): string {
  return [
    'k8s',
    part(labels[CONTAINER_NAME_LABEL] ?? containerName, 'container'),
    part(labels[POD_NAME_LABEL], 'pod'),
    part(labels[POD_NAMESPACE_LABEL], 'default'),
    part(labels[POD_UID_LABEL], 'nouid'),
    part(labels[RESTART_COUNT_LABEL], '0'),
  ].join('_');
}

/** A pod's hostname as the kubelet sets it: the pod's name, cut to a DNS label (63 characters). */
export function podHostname(podName: string | undefined): string | undefined {
  if (!podName) return undefined;
  const cut = podName.slice(0, 63).replace(/[-.]+$/, '');
  return /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(cut) ? cut : undefined;
}

/** The engine's id in a containerID (docker://<id>), or undefined for another runtime's id. */
export function engineId(containerID: string): string | undefined {
  if (!containerID.startsWith(DOCKER_SCHEME)) return undefined;
  const id = containerID.slice(DOCKER_SCHEME.length);
  return /^[0-9a-f]{12,64}$/.test(id) ? id : undefined;
}
