// node-ipam: Nodes never share pod address space. Upstream's Node IPAM (the range allocator
// of kube-controller-manager) gives each Node its own per-node CIDR carved out of
// --cluster-cidr and marks it taken until the Node is deleted; the kubelet (or the network
// plugin) then hands out pod IPs from its Node's spec.podCIDR alone, so two Nodes with
// overlapping podCIDRs would hand out the same pod IPs. Judged at every revision (the
// union of the observers' versions): no two Nodes that exist at that revision have
// overlapping spec.podCIDR. A CIDR is only released when its Node is deleted, so a Node
// re-registering under a name whose old object is gone may legitimately get it again.

import type { History, ObjectSummary } from '../history/history.js';
import { at } from './describe.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';
import { replayRevisions } from './revision-replay.js';

const NAME = 'node-ipam';

/** An IPv4 CIDR as the closed range of addresses it covers, or undefined when it is not one. */
export function ipv4Range(cidr: string): { readonly first: number; readonly last: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = address - (address % size);
  return { first, last: first + size - 1 };
}

/** Whether two podCIDRs share an address (the same text when either is not an IPv4 CIDR). */
export function cidrsOverlap(a: string, b: string): boolean {
  const ra = ipv4Range(a);
  const rb = ipv4Range(b);
  if (!ra || !rb) return a.trim() === b.trim();
  return ra.first <= rb.last && rb.first <= ra.last;
}

export const nodeIpam: Invariant = {
  name: NAME,
  description: 'at every revision, no two existing Nodes have overlapping spec.podCIDR (each Node hands out pod IPs from its own range)',
  check(history: History) {
    const violations: Violation[] = [];
    let checks = 0;
    let sawCidr = false;
    /** Pairs of node uids already reported, until they stop overlapping. */
    const reported = new Set<string>();
    const observed = replayRevisions(history, (step, state) => {
      if (!step.changes.some((c) => c.version.object.kind === 'Node')) return;
      const nodes = state.ofKind('Node').filter((n): n is ObjectSummary & { podCIDR: string } => n.podCIDR !== undefined);
      if (nodes.length > 0) sawCidr = true;
      const overlapping = new Set<string>();
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const a = nodes[i]!;
          const b = nodes[j]!;
          checks++;
          if (!cidrsOverlap(a.podCIDR, b.podCIDR)) continue;
          const pair = [a.uid, b.uid].sort().join('|');
          overlapping.add(pair);
          if (reported.has(pair)) continue;
          reported.add(pair);
          const [x, y] = a.name < b.name ? [a, b] : [b, a];
          violations.push({
            invariant: NAME,
            message: `nodes ${x.name} and ${y.name} share pod address space at ${at(step.time)} (resourceVersion ${step.rv}): podCIDR ${x.podCIDR} and ${y.podCIDR} overlap, so both hand out the same pod IPs`,
            time: step.time,
            objects: [`node ${x.name}`, `node ${y.name}`, `resourceVersion ${step.rv}`],
          });
        }
      }
      for (const pair of [...reported]) if (!overlapping.has(pair)) reported.delete(pair);
    });
    if (!observed) return notChecked('no objects were observed on any watch');
    if (!sawCidr) return notChecked('no Node was seen with a spec.podCIDR (the cluster allocates none, or the observers missed them)');
    return result(violations, checks);
  },
};
