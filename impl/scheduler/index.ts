// The scheduler's public face: run it as a component, or hold a Scheduler to observe it;
// the plugins and the pure scheduling cycle for those who compose their own.

export { DEFAULT_SCHEDULER_NAME, Scheduler, runScheduler, type SchedulerOptions, type SchedulingOutcome } from './scheduler.js';
export { SCHEDULER_MUTANTS, type SchedulerMutant, type SchedulerMutants } from './mutants.js';
export { schedulePod, type ScheduleResult } from './schedule-pod.js';
export { buildSnapshot, podInfoOf, type NodeInfo, type PodInfo, type Snapshot } from './snapshot.js';
export { MAX_NODE_SCORE, type FilterPlugin, type Profile, type ScorePlugin } from './framework.js';
export { defaultProfile } from './plugins/index.js';
export { fitErrorMessage, NO_NODES_AVAILABLE } from './fit-error.js';
