// A target runs scenarios against a control plane and records histories: the reference in
// the sim kernel, the reference as processes, or any cluster reachable by kubeconfig.

import type { History } from '../history/history.js';
import type { Scenario } from '../campaign/scenario.js';

export interface RunOptions {
  /** A named bug switched on in the reference (sim and local targets only). */
  readonly mutant?: string;
}

export interface Target {
  /** sim | local | kubeconfig:FILE[#context] */
  readonly name: string;
  /** Fault kinds this target can inject. */
  readonly faultKinds: readonly string[];
  /** Whether a run is a pure function of the scenario (sim): shrinking and replay rely on it. */
  readonly deterministic: boolean;
  /**
   * A live cluster's real nodes, which the scenario's nodes stand for by index (campaigns
   * then generate at most this many); absent when the target builds the scenario's own (sim).
   */
  readonly nodes?: readonly string[];
  run(scenario: Scenario, options?: RunOptions): Promise<RunOutcome>;
  close(): Promise<void>;
}

export interface RunOutcome {
  readonly history: History;
  /** sha256 of the run's full trace (sim): the same scenario gives the same hash. */
  readonly traceHash?: string;
  readonly wallMs: number;
  /** Virtual (sim) or wall (live) milliseconds the run covered. */
  readonly targetMs: number;
}
