// The Docker runtime: a node's containers as containers of a real Docker Engine (live mode).

export { CLUSTER_LABEL, DEFAULT_CLUSTER, DOCKER_SCHEME, engineId, NODE_LABEL } from './container-names.js';
export { DockerRuntime, type DockerRuntimeOptions } from './docker-runtime.js';
