// Waiting for a cluster's nodes: every node registered, Ready, and free of the node
// lifecycle taints (not-ready, unreachable), as after boot or after a lost node comes back.

import type { Node } from 'kubernetes-types/core/v1.js';

export function nodeIsReady(n: Node): boolean {
  const ready = n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  return ready && !(n.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/not-ready' || t.key === 'node.kubernetes.io/unreachable');
}

/** Waits until the named nodes (or `count` nodes) are Ready and untainted; throws at the deadline. */
export async function untilNodesReady(
  want: { readonly names?: readonly string[]; readonly count?: number },
  deadline: number,
  list: () => Promise<Node[]>,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  for (;;) {
    let ready: string[] = [];
    try {
      ready = (await list()).filter(nodeIsReady).map((n) => n.metadata?.name ?? '');
    } catch {
      // The API server is still starting.
    }
    const done = want.names ? want.names.every((n) => ready.includes(n)) : ready.length >= (want.count ?? 1);
    if (done) return;
    if (now() >= deadline) {
      const of = want.names ? want.names.join(', ') : `${want.count ?? 1} nodes`;
      throw new Error(`nodes not Ready in time: want ${of}, Ready: ${ready.join(', ') || 'none'}`);
    }
    await sleep(250);
  }
}
