// The simulated container runtime: a node's machine (its runtime as a sim process, with
// fault hooks) and the kubelet's network client to it.

export { nodeProcessName, spawnSimNode, type SimNode, type Spawn } from './sim-node.js';
export { SimNodeRuntime, type RuntimeObservation, type Signal, type SimNodeRuntimeOptions } from './sim-node-runtime.js';
export { SimRuntimeClient } from './sim-runtime-client.js';
export { runtimeAddress, SIM_RUNTIME_VERSION } from './sim-runtime-protocol.js';
