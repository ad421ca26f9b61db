// Whole scenarios for campaigns: a cluster shape (nodes.ts), a user operation sequence on it
// (operations.ts) spread over the horizon, a fault schedule drawn from the chosen fault
// kinds' own arbitraries, a seed for the target, and the convergence bound. Everything is a
// fast-check value, so a failing scenario shrinks: fewer operations, fewer faults, fewer
// and plainer nodes, smaller seeds.

import fc from 'fast-check';
import type { FaultKind } from '../../chaos/fault-kind.js';
import type { ClusterShape, Fault, Scenario } from '../campaign/scenario.js';
import { clusterShapeArbitrary, type ClusterOptions } from './nodes.js';
import { operationsArbitrary, type OperationsOptions } from './operations.js';

export interface ScenarioOptions {
  /** Fault kinds the schedule may use (none: no faults). */
  readonly faultKinds: readonly FaultKind[];
  /** Most user operations (default 8). */
  readonly maxOperations?: number;
  /** Most faults (default 3). */
  readonly maxFaults?: number;
  /** Operations and fault starts fall within [0, horizonMs] (default 60 s). */
  readonly horizonMs?: number;
  /** Time the cluster has to converge after the last heal (default 120 s). */
  readonly convergenceBoundMs?: number;
  /** Cluster size (default 1–5 nodes). */
  readonly nodes?: ClusterOptions;
  /** Most replicas a workload asks for (default 5). */
  readonly maxReplicas?: number;
  /** Whether requests fit the cluster (default: five scenarios in six). */
  readonly capacity?: OperationsOptions['capacity'];
}

export const DEFAULT_SCENARIO_OPTIONS = {
  maxOperations: 8,
  maxFaults: 3,
  horizonMs: 60_000,
  convergenceBoundMs: 120_000,
} as const;

/**
 * Machines that fall silent are what self-healing is mostly about (the node lifecycle
 * controller marks, taints and evicts; controllers replace pods elsewhere): these kinds weigh
 * double in a schedule.
 */
const MACHINE_OUTAGES = new Set(['node-loss', 'node-partition']);

/**
 * A kubelet restart (an upgrade, a configuration change, a kubelet that crashed) is the
 * everyday node event, and one running pods must not notice: the new kubelet adopts their
 * containers. It weighs triple.
 */
const KUBELET_RESTARTS = new Set(['kubelet-restart']);

function faultsArbitrary(kinds: readonly FaultKind[], cluster: ClusterShape, horizonMs: number, maxFaults: number): fc.Arbitrary<readonly Fault[]> {
  if (kinds.length === 0 || maxFaults <= 0) return fc.constant([]);
  const one = fc.oneof(...kinds.map((k) => ({ weight: MACHINE_OUTAGES.has(k.kind) ? 2 : KUBELET_RESTARTS.has(k.kind) ? 3 : 1, arbitrary: k.arbitrary(cluster, horizonMs) })));
  // In time order, so a schedule reads as a timeline (ties keep fast-check's order).
  return fc.array(one, { maxLength: maxFaults }).map((faults) => [...faults].sort((a, b) => a.at - b.at));
}

export function scenarioArbitrary(options: ScenarioOptions): fc.Arbitrary<Scenario> {
  const horizonMs = options.horizonMs ?? DEFAULT_SCENARIO_OPTIONS.horizonMs;
  const maxFaults = options.maxFaults ?? DEFAULT_SCENARIO_OPTIONS.maxFaults;
  const convergenceBoundMs = options.convergenceBoundMs ?? DEFAULT_SCENARIO_OPTIONS.convergenceBoundMs;
  const operationOptions: OperationsOptions = {
    maxOperations: options.maxOperations ?? DEFAULT_SCENARIO_OPTIONS.maxOperations,
    horizonMs,
    ...(options.maxReplicas !== undefined ? { maxReplicas: options.maxReplicas } : {}),
    ...(options.capacity !== undefined ? { capacity: options.capacity } : {}),
  };
  // Operations and faults both depend on the cluster; fast-check shrinks the cluster first
  // (regenerating the rest from the same random stream), then the operations and faults.
  return clusterShapeArbitrary(options.nodes).chain((cluster) =>
    fc
      .record({
        seed: fc.nat({ max: 2 ** 31 - 1 }),
        operations: operationsArbitrary(cluster, operationOptions),
        faults: faultsArbitrary(options.faultKinds, cluster, horizonMs, maxFaults),
      })
      .map(({ seed, operations, faults }): Scenario => ({ seed, cluster, operations, faults, convergenceBoundMs })),
  );
}
