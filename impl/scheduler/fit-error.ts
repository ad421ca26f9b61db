// Why a pod fits nowhere, in the words upstream's FitError.Error() uses for the
// PodScheduled=False condition and the FailedScheduling event: "0/3 nodes are available:
// 1 node(s) were unschedulable, 2 Insufficient cpu." Each node's reasons are counted, and
// the "<count> <reason>" strings are sorted as Go's sort.Strings sorts them (so "10 x"
// precedes "2 y", as upstream prints it).

import { compareGoStrings } from '../api/labels.js';

/** Upstream's ErrNoNodesAvailable: the cluster has no node at all. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** Upstream truncates event and condition messages to this many bytes (validation's limit). */
const MAX_MESSAGE_LENGTH = 1024;

/** FitError.Error() for `numAllNodes` nodes, each failed with the reasons in `reasonsByNode`. */
export function fitErrorMessage(numAllNodes: number, reasonsByNode: ReadonlyMap<string, readonly string[]>): string {
  if (numAllNodes === 0) return NO_NODES_AVAILABLE;
  const histogram = new Map<string, number>();
  for (const reasons of reasonsByNode.values()) for (const r of reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  const parts = [...histogram].map(([reason, n]) => `${n} ${reason}`).sort(compareGoStrings);
  let message = `0/${numAllNodes} nodes are available:`;
  if (parts.length > 0) message += ` ${parts.join(', ')}.`;
  return message;
}

/** truncateMessage: cut long messages so the event and the pod status stay valid. */
export function truncateMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  const suffix = ' ...';
  return message.slice(0, MAX_MESSAGE_LENGTH - suffix.length) + suffix;
}
