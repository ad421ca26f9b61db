// The scheduler's bug switches: each names one way a scheduler can go wrong, so the
// harness can measure which invariants notice. All off in the reference.

export const SCHEDULER_MUTANTS = {
  'ignore-assumed-pods': 'pods bound but not yet seen bound do not count against their node, so two pods can take the last CPU',
  'ignore-init-containers': "a pod's requests leave out its init containers, so an init container larger than the rest overcommits the node",
  'ignore-taints': 'NoSchedule and NoExecute taints do not keep pods off a node',
} as const;

export type SchedulerMutant = keyof typeof SCHEDULER_MUTANTS;

/** Which switches are on. */
export type SchedulerMutants = Readonly<Partial<Record<SchedulerMutant, boolean>>>;
