// The behaviour switches ("mutants") the controller-manager exposes: each names one bug a
// controller can be made to have, so the harness can measure which of its checkers catch
// it. Every switch is off in the reference. The reference does not know it is tested: the
// harness flips switches by name from this registry and nothing else.

/** Every switch, with the bug it introduces (shown by `kubeprop mutants --list`). */
export const CONTROLLER_MUTANTS = {
  'ignore-expectations': 'ReplicaSet controller acts on every sync, even while its own creates and deletes are not yet in its cache (over-creation on a lagging informer).',
  'ignore-max-surge': 'Deployment controller scales the new ReplicaSet straight to spec.replicas during a rolling update, ignoring maxSurge.',
  'ignore-max-unavailable': 'Deployment controller scales old ReplicaSets down without waiting for new pods to become available, ignoring maxUnavailable.',
  'recreate-without-waiting': 'Deployment controller starts the new pods of a Recreate rollout while old pods still run.',
  'ignore-toleration-seconds': 'Taint eviction deletes pods from a NoExecute-tainted node at once, ignoring tolerationSeconds.',
  'never-mark-unknown': 'Node lifecycle controller never marks a silent node Unknown (no taints, no eviction).',
  'gc-skip-foreground-wait': 'Garbage collector removes the foregroundDeletion finalizer without waiting for blocking dependents.',
  'gc-ignore-orphan': 'Garbage collector deletes the dependents of an owner deleted with propagationPolicy Orphan.',
  'duplicate-pod-cidr': 'Node IPAM hands every node the first podCIDR of the cluster range.',
} as const;

export type ControllerMutantName = keyof typeof CONTROLLER_MUTANTS;

/** Switches to turn on; absent or false means the reference behaviour. */
export type ControllerMutants = Readonly<Partial<Record<ControllerMutantName, boolean>>>;

export function isControllerMutantName(name: string): name is ControllerMutantName {
  return Object.prototype.hasOwnProperty.call(CONTROLLER_MUTANTS, name);
}

/** Whether a switch is on. */
export function mutantOn(mutants: ControllerMutants | undefined, name: ControllerMutantName): boolean {
  return mutants?.[name] === true;
}
