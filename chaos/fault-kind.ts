// The shape of one fault kind: its name, a fast-check generator of faults of this kind for
// a cluster, and its injector for each target that can inject it. One kind per file
// (STYLE.md #3); chaos/index.ts lists them.

import type fc from 'fast-check';
import type { ClusterShape, Fault, Operation } from '../harness/campaign/scenario.js';
import type { SimCluster } from '../impl/cluster/sim/sim-cluster.js';
import type { ApiClient } from '../impl/client/api-client.js';
import type { Unit } from './outages.js';

/** What an injector may use in the sim target. */
export interface SimFaultContext {
  readonly cluster: SimCluster;
  /**
   * Schedules a harness action at a virtual time (ms after the cluster came up). Nobody
   * awaits an async action, so it must not reject: it records what went wrong instead.
   */
  after(ms: number, fn: () => void | Promise<void>): void;
  /** Records that the fault happened (inject) or ended (heal). */
  record(phase: 'inject' | 'heal', detail?: string): void;
  /**
   * Performs an API operation as the user would (admin client, from a harness process) and
   * records it in the history's operations beside the scenario's own, so the checkers judge
   * it alike (numbered after the scenario's operations: their count plus the fault's
   * position). For the faults that are requests: duplicate-create, stale-update.
   */
  operation(op: Operation): Promise<void>;
}

/**
 * What an injector may use in the live targets: a cluster reached through its API (the
 * kubeconfig and local targets), where each run lives in a namespace of its own and the
 * scenario's nodes stand for the cluster's real ones.
 */
export interface LiveFaultContext {
  /**
   * Schedules a harness action at a scenario time (ms after the run's operations began);
   * the target scales it to wall-clock time. Must not reject, as in the sim.
   */
  after(ms: number, fn: () => void | Promise<void>): void;
  record(phase: 'inject' | 'heal', detail?: string): void;
  /** As in the sim: an API operation recorded beside the scenario's own. */
  operation(op: Operation): Promise<void>;
  /** The namespace the run's objects live in (a fault's "default/x" means "<namespace>/x"). */
  readonly namespace: string;
  /** The real node a scenario node name stands for. */
  node(name: string): string;
  /** The harness's admin client of the cluster. */
  readonly client: ApiClient;
}

/**
 * How a machine goes down, where the runtime makes it matter (the local target with Docker):
 * `lost` — the node drops out: its kubelet dies, and with Docker its containers run on in the
 * engine until the returning kubelet cleans up after the evicted pods or adopts the rest;
 * `power-off` — a reboot: the kubelet and every container die. With the process runtime both
 * kill the containers (a lost machine's processes die with it).
 */
export type MachineOutage = 'lost' | 'power-off';

/** The control plane's processes on this machine (the local target), for process-level faults. */
export interface LiveProcesses {
  /**
   * Starts an outage of a unit, counted as the sim's outages are (the first one stops it):
   * a machine loses its kubelet, and its containers as `outage` says (default power-off); a
   * kubelet or component is killed. Units name the cluster's real nodes. Resolves to what it
   * did, for the fault log.
   */
  down(unit: Unit, outage?: MachineOutage): Promise<string>;
  /** Ends an outage; the last one starts the unit again. Resolves to what it did. */
  up(unit: Unit): Promise<string>;
  /**
   * SIGKILLs a container from outside its kubelet by its containerID: kill -9 of a
   * process://PID, the engine's kill of a docker://ID (as `docker kill`). False when it names
   * no running container of the cluster.
   */
  killContainer(containerId: string): Promise<boolean>;
}

/**
 * A live injector says what it needs: `api` ones work on any cluster, `processes` ones only
 * where the target runs the control plane's processes itself (local).
 */
export type LiveInjector =
  | { readonly needs: 'api'; inject(ctx: LiveFaultContext, fault: Fault): void }
  | { readonly needs: 'processes'; inject(ctx: LiveFaultContext & { readonly processes: LiveProcesses }, fault: Fault): void };

export interface FaultKind {
  readonly kind: string;
  readonly description: string;
  /** Faults of this kind for a cluster, starting within [0, horizonMs). */
  arbitrary(cluster: ClusterShape, horizonMs: number): fc.Arbitrary<Fault>;
  /** Injects the fault at fault.at and heals it after fault.durationMs. */
  injectSim?(ctx: SimFaultContext, fault: Fault): void;
  /** The same for live clusters, when this kind can be injected there. */
  readonly injectLive?: LiveInjector;
}
