import { describe, expect, it } from 'vitest';
import type { History } from '../history/history.js';
import { HistoryBuilder } from './history-builder.testing.js';
import { cidrsOverlap, ipv4Range, nodeIpam } from './node-ipam.js';

function watched(): HistoryBuilder {
  return new HistoryBuilder().watch('harness', { resource: 'nodes' });
}

const messages = (h: History) => nodeIpam.check(h).violations.map((v) => v.message);

describe('node-ipam', () => {
  it('reads IPv4 CIDRs as address ranges', () => {
    expect(ipv4Range('10.244.1.0/24')).toEqual({ first: 0x0af40100, last: 0x0af401ff });
    expect(ipv4Range('10.244.1.7/24')).toEqual({ first: 0x0af40100, last: 0x0af401ff });
    expect(ipv4Range('fd00::/64')).toBeUndefined();
    expect(cidrsOverlap('10.244.0.0/24', '10.244.1.0/24')).toBe(false);
    expect(cidrsOverlap('10.244.0.0/16', '10.244.1.0/24')).toBe(true);
    expect(cidrsOverlap('fd00::/64', 'fd00::/64')).toBe(true);
  });

  it('holds when every Node gets its own podCIDR, and a deleted Node frees its CIDR for a new one', () => {
    const b = watched();
    b.at(100).put('Node', 'node-1', { nodeReady: 'True' });
    b.put('Node', 'node-2', { nodeReady: 'True' });
    b.at(200).put('Node', 'node-1', { podCIDR: '10.244.0.0/24' });
    b.put('Node', 'node-2', { podCIDR: '10.244.1.0/24' });
    b.at(5_000).delete('Node', 'node-1');
    b.at(6_000).put('Node', 'node-3', { nodeReady: 'True' });
    b.put('Node', 'node-3', { podCIDR: '10.244.0.0/24' });
    const r = nodeIpam.check(b.build());
    expect(r.violations).toEqual([]);
    expect(r.checks).toBeGreaterThan(0);
  });

  it('catches two existing Nodes given the same podCIDR, once', () => {
    const b = watched();
    b.at(100).put('Node', 'node-1', { nodeReady: 'True' });
    b.put('Node', 'node-2', { nodeReady: 'True' });
    b.at(200).put('Node', 'node-1', { podCIDR: '10.244.0.0/24' });
    b.at(300).put('Node', 'node-2', { podCIDR: '10.244.0.0/24' });
    b.at(5_300).put('Node', 'node-2', { nodeReady: 'False' });
    expect(messages(b.build())).toEqual([
      'nodes node-1 and node-2 share pod address space at t=0.3s (resourceVersion 5): podCIDR 10.244.0.0/24 and 10.244.0.0/24 overlap, so both hand out the same pod IPs',
    ]);
  });

  it('says it did not check when no Node carries a podCIDR', () => {
    const b = watched();
    b.at(100).put('Node', 'node-1', { nodeReady: 'True' });
    expect(nodeIpam.check(b.build()).notChecked).toMatch(/no Node was seen with a spec.podCIDR/);
  });
});
