// Opens the target a command line names: `sim`, `local` (starts a `kubeprop up` cluster on
// this machine, with the process or the docker runtime) or `kubeconfig:FILE[#context]`
// (connects to the cluster the file reaches).
// Commands check the name first (a bad one is a usage error) and open it afterwards.

import { existsSync } from 'node:fs';
import type { FaultKind } from '../../chaos/fault-kind.js';
import { FAULT_KINDS } from '../../chaos/index.js';
import { createKubeTarget, parseKubeconfigTarget } from './kube-target.js';
import { createLocalTarget } from './local-target.js';
import type { LocalRuntimeName } from './local-runtime.js';
import { createSimTarget } from './sim-target.js';
import type { Target } from './target.js';

export const TARGET_USAGE = 'sim | local | kubeconfig:FILE[#context]';

/** Why `spec` names no target, or undefined when it does. */
export function targetSpecProblem(spec: string): string | undefined {
  if (spec === 'sim' || spec === 'local') return undefined;
  const kube = parseKubeconfigTarget(spec);
  if (!kube) return `unknown target "${spec}"; use ${TARGET_USAGE}`;
  if (!existsSync(kube.kubeconfig)) return `kubeconfig ${kube.kubeconfig} does not exist`;
  return undefined;
}

export interface OpenTargetOptions {
  /** Lines about the target's own work (the local cluster's output, cleanup notes). */
  readonly log?: (line: string) => void;
  /** The local target's container runtime (default process). */
  readonly runtime?: LocalRuntimeName;
}

export async function openTarget(spec: string, options: OpenTargetOptions = {}): Promise<Target> {
  const problem = targetSpecProblem(spec);
  if (problem) throw new Error(problem);
  if (spec === 'sim') return createSimTarget();
  if (spec === 'local') return createLocalTarget({ ...(options.log ? { log: options.log } : {}), ...(options.runtime ? { runtime: options.runtime } : {}) });
  const kube = parseKubeconfigTarget(spec);
  if (!kube) throw new Error(`unknown target "${spec}"; use ${TARGET_USAGE}`);
  return createKubeTarget({ ...kube, ...(options.log ? { log: options.log } : {}) });
}

/** The fault kinds a target of this name can inject, known before it is opened. */
export function faultKindsOf(spec: string, kinds: readonly FaultKind[] = FAULT_KINDS): FaultKind[] {
  if (spec === 'sim') return kinds.filter((k) => k.injectSim);
  if (spec === 'local') return kinds.filter((k) => k.injectLive);
  return kinds.filter((k) => k.injectLive?.needs === 'api');
}
