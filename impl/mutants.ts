// The registry of named bugs the reference can be switched into ("mutants"), collected from
// the components that expose them. The harness names a mutant "component/switch" and gets
// back the switches to hand each component; the reference itself never reads this file.

import { APISERVER_MUTANTS, type ApiServerMutants } from './apiserver/mutants.js';
import { CONTROLLER_MUTANTS, type ControllerMutants } from './controllers/mutants.js';
import { KUBELET_MUTANTS, type KubeletMutants } from './kubelet/mutants.js';
import { SCHEDULER_MUTANTS, type SchedulerMutants } from './scheduler/mutants.js';

export interface MutantSwitches {
  readonly apiserver?: ApiServerMutants;
  readonly controllers?: ControllerMutants;
  readonly scheduler?: SchedulerMutants;
  readonly kubelet?: KubeletMutants;
}

export interface MutantInfo {
  readonly name: string;
  readonly component: 'apiserver' | 'controllers' | 'scheduler' | 'kubelet';
  readonly description: string;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const KUBELET_DESCRIPTIONS: Record<string, string> = {
  forgetRestartCount: 'a restarted kubelet counts container restarts from 0 again',
  noAdoption: 'a restarted kubelet starts duplicates beside the containers it already has',
  noCrashLoopBackOff: 'failed containers restart at once, never entering CrashLoopBackOff',
  noGracefulTermination: 'deleting a pod kills its containers at once, with no grace period',
  leakContainersOnDelete: 'containers of a deleted pod keep running on the node',
};

export const MUTANTS: readonly MutantInfo[] = [
  ...Object.entries(APISERVER_MUTANTS).map(([k, d]) => ({ name: `apiserver/${k}`, component: 'apiserver' as const, description: d })),
  ...Object.entries(CONTROLLER_MUTANTS).map(([k, d]) => ({ name: `controllers/${k}`, component: 'controllers' as const, description: d })),
  ...Object.entries(SCHEDULER_MUTANTS).map(([k, d]) => ({ name: `scheduler/${k}`, component: 'scheduler' as const, description: d })),
  ...KUBELET_MUTANTS.map((k) => ({ name: `kubelet/${kebab(k)}`, component: 'kubelet' as const, description: KUBELET_DESCRIPTIONS[k] ?? k })),
];

export function isMutant(name: string): boolean {
  return MUTANTS.some((m) => m.name === name);
}

/** The switches for one named mutant (none for undefined). */
export function mutantSwitches(name: string | undefined): MutantSwitches {
  if (name === undefined) return {};
  const info = MUTANTS.find((m) => m.name === name);
  if (!info) throw new Error(`unknown mutant "${name}"; kubeprop mutants --list names them`);
  const key = name.slice(info.component.length + 1);
  switch (info.component) {
    case 'apiserver':
      return { apiserver: { [key]: true } };
    case 'controllers':
      return { controllers: { [key]: true } };
    case 'scheduler':
      return { scheduler: { [key]: true } };
    case 'kubelet': {
      const camel = KUBELET_MUTANTS.find((k) => kebab(k) === key);
      return camel ? { kubelet: { [camel]: true } } : {};
    }
  }
}
