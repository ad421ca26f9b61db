// The process runtime: containers as host processes under busybox-static (live mode).

export { DEFAULT_BUSYBOX, PROCESS_RUNTIME_VERSION, ProcessRuntime, type ProcessRuntimeOptions } from './process-runtime.js';
