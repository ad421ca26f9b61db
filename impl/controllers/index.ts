// The controller-manager's public face: running it, its options, and the registry of
// behaviour switches (mutants) the harness may flip.

export { CONTROLLER_NAMES, runControllerManager, type ControllerManager, type ControllerManagerOptions, type ControllerName } from './controller-manager.js';
export { CONTROLLER_MUTANTS, isControllerMutantName, type ControllerMutantName, type ControllerMutants } from './mutants.js';
