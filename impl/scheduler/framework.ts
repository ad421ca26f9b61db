// The two extension points the scheduling cycle calls, as in the kube-scheduler framework:
// a Filter says why a pod cannot go to a node, a Score ranks the nodes that passed. Each
// plugin is one small file under plugins/; the cycle (schedule-pod.ts) only runs them.

import type { NodeInfo, PodInfo, Snapshot } from './snapshot.js';

/** Upstream's framework.MaxNodeScore: every score plugin answers in [0, 100] after normalising. */
export const MAX_NODE_SCORE = 100;

export interface FilterPlugin {
  /** Upstream's plugin name ("NodeResourcesFit"). */
  readonly name: string;
  /**
   * Why `pod` cannot be placed on `node`, in upstream's words ("Insufficient cpu"); an empty
   * list means it can. The reasons are counted across nodes into the FailedScheduling message.
   */
  filter(pod: PodInfo, node: NodeInfo, snapshot: Snapshot): readonly string[];
}

export interface ScorePlugin {
  readonly name: string;
  /** Multiplies the plugin's normalised scores when the cycle sums them. */
  readonly weight: number;
  /** A raw score for a node that passed every filter. */
  score(pod: PodInfo, node: NodeInfo, snapshot: Snapshot): number;
  /** Maps the raw scores of all feasible nodes (same order) into [0, MAX_NODE_SCORE]. */
  normalize?(scores: readonly number[]): number[];
}

/** The plugins one scheduler runs, in order (upstream: a profile). */
export interface Profile {
  readonly filters: readonly FilterPlugin[];
  readonly scores: readonly ScorePlugin[];
}
