// The kubelet's public face: run one for a node, its options and mutants, and the pieces the
// wiring needs for `kubectl logs` (the live HTTP endpoint and the API server's log sources).

export { runKubelet, Kubelet } from './kubelet.js';
export { resolveKubeletOptions, type KubeletOptions, type ResolvedKubeletOptions } from './kubelet-options.js';
export { KUBELET_MUTANTS, type KubeletMutants } from './mutants.js';
export { KUBELET_BACKOFF, type BackoffPolicy } from './backoff.js';
export { KUBELET_VERSION } from './node-object.js';
export { NODE_LEASE_NAMESPACE } from './node-lease.js';
export { kubeletAddress, type ContainerLogRequest, type ContainerLogReply } from './log-protocol.js';
export { serveKubeletHttp } from './log-http-endpoint.js';
export { NetworkPodLogSource } from './log-source-sim.js';
