// The sim kernel's public face: the kernel, its options and run summary, and the trace.

export { DEFAULT_START_TIME, SimKernel, type RunOptions, type RunSummary, type SimKernelOptions } from './kernel.js';
export type { SimNetworkOptions } from './sim-links.js';
export { Trace, digest, type KernelEvent, type TraceEntry, type TraceOptions } from './trace.js';
