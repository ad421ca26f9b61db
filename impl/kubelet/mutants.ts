// Bug switches the kubelet exposes so the harness can measure what its checkers catch
// (`kubeprop fuzz --mutant NAME`). Each is a realistic mistake; all are off in the reference.

export interface KubeletMutants {
  /** A restarted kubelet counts restarts from 0 again (ignores container labels and the API status). */
  readonly forgetRestartCount?: boolean;
  /** A restarted kubelet does not adopt the containers it finds: it starts duplicates beside them. */
  readonly noAdoption?: boolean;
  /** Failed containers restart at once, never entering CrashLoopBackOff. */
  readonly noCrashLoopBackOff?: boolean;
  /** Deleting a pod kills its containers at once (SIGKILL, no grace period). */
  readonly noGracefulTermination?: boolean;
  /** Containers of a deleted pod are never stopped: the API forgets the pod, the node keeps running it. */
  readonly leakContainersOnDelete?: boolean;
}

/** The names, for registries and `--mutant` validation. */
export const KUBELET_MUTANTS: readonly (keyof KubeletMutants)[] = [
  'forgetRestartCount',
  'noAdoption',
  'noCrashLoopBackOff',
  'noGracefulTermination',
  'leakContainersOnDelete',
];
