// What fault generators aim at, read from the cluster shape: the nodes booted with the
// cluster (spares only exist once a node-add boots them), the spare nodes, the components,
// and fault start times within the horizon. Shared by every kind so they draw alike.

import fc from 'fast-check';
import type { ClusterShape } from '../harness/campaign/scenario.js';

/** The control-plane components a fault can stop or cut off, by sim process name. */
export const COMPONENTS = ['apiserver', 'controller-manager', 'scheduler'] as const;
export type Component = (typeof COMPONENTS)[number];

/** The sim process name of a node's kubelet. */
export function kubeletProcess(node: string): string {
  return `kubelet/${node}`;
}

/** Nodes that boot with the cluster. */
export function bootedNodes(cluster: ClusterShape): string[] {
  return cluster.nodes.filter((n) => !n.spare).map((n) => n.name);
}

/** Nodes declared spare: a node-add boots them. */
export function spareNodes(cluster: ClusterShape): string[] {
  return cluster.nodes.filter((n) => n.spare).map((n) => n.name);
}

/** One of the nodes booted with the cluster. */
export function bootedNode(cluster: ClusterShape): fc.Arbitrary<string> {
  const nodes = bootedNodes(cluster);
  if (nodes.length === 0) throw new Error('the cluster shape has no node that boots with it: node faults have no target');
  return fc.constantFrom(...nodes);
}

/** A start time in [0, horizonMs), shrinking towards 0. */
export function startTime(horizonMs: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: Math.max(0, horizonMs - 1) });
}
