// The shape of one fault kind: its name, a fast-check generator of faults of this kind for
// a cluster, and its injector for each target that can inject it. One kind per file
// (STYLE.md #3); chaos/index.ts lists them.

import type fc from 'fast-check';
import type { ClusterShape, Fault, Operation } from '../harness/campaign/scenario.js';
import type { SimCluster } from '../impl/cluster/sim/sim-cluster.js';

/** What an injector may use in the sim target. */
export interface SimFaultContext {
  readonly cluster: SimCluster;
  /** Schedules a harness action at a virtual time (ms after the cluster came up). */
  after(ms: number, fn: () => void | Promise<void>): void;
  /** Records that the fault happened (inject) or ended (heal). */
  record(phase: 'inject' | 'heal', detail?: string): void;
  /**
   * Performs an API operation as the user would (admin client, from a harness process) and
   * records it in the history's operations beside the scenario's own, so the checkers judge
   * it alike. For the faults that are requests: duplicate-create, stale-update.
   */
  operation(op: Operation): Promise<void>;
}

export interface FaultKind {
  readonly kind: string;
  readonly description: string;
  /** Faults of this kind for a cluster, starting within [0, horizonMs). */
  arbitrary(cluster: ClusterShape, horizonMs: number): fc.Arbitrary<Fault>;
  /** Injects the fault at fault.at and heals it after fault.durationMs. */
  injectSim?(ctx: SimFaultContext, fault: Fault): void;
}
