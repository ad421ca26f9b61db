// Declarative scenario specs: YAML files that say what a user does to a cluster and what must
// then be true, loaded and checked (spec-file.ts) and run on the sim target (run-on-sim.ts) or
// on `kubeprop up` with the real kubectl (run-on-local.ts). `kubeprop run` is the front door.

export { formatIssue, loadSpecFile, parseSpec, SpecFileError, type SpecIssue } from './spec-file.js';
export { runSpecOnSim, type SimSpecOptions } from './run-on-sim.js';
export { LocalSpecTarget, localFaultProblem, localShapeProblem, type LocalTargetOptions } from './run-on-local.js';
export type { InvariantVerdict, RunSpecOptions, SpecOutcome, SpecStatus } from './spec-runner.js';
export type { ScenarioSpec } from './scenario-spec.js';
