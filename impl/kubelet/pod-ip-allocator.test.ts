import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../../specs/support/property.js';
import { parseIpv4Cidr, PodIpAllocator } from './pod-ip-allocator.js';

describe('PodIpAllocator', () => {
  it('hands out the lowest free address after the gateway, keeps a pod its address, and reuses released ones', () => {
    const a = new PodIpAllocator();
    expect(a.allocate('a', '10.244.1.0/24')).toBe('10.244.1.2');
    expect(a.allocate('b', '10.244.1.0/24')).toBe('10.244.1.3');
    expect(a.allocate('a', '10.244.1.0/24')).toBe('10.244.1.2');
    a.release('a');
    expect(a.allocate('c', '10.244.1.0/24')).toBe('10.244.1.2');
    expect(a.claim('d', '10.244.1.3')).toBe(false);
    expect(a.claim('d', '10.244.1.9')).toBe(true);
    expect(a.ipOf('d')).toBe('10.244.1.9');
  });

  it('runs out in a small range and refuses bad CIDRs', () => {
    const a = new PodIpAllocator();
    // A /30 has 4 addresses: network, gateway, one pod, broadcast.
    expect(a.allocate('a', '10.0.0.0/30')).toBe('10.0.0.2');
    expect(a.allocate('b', '10.0.0.0/30')).toBeUndefined();
    expect(a.allocate('c', 'fd00::/64')).toBeUndefined();
    expect(parseIpv4Cidr('10.244.1.77/24')).toEqual({ base: parseIpv4Cidr('10.244.1.0/24')?.base, bits: 24 });
  });

  it('never gives one address to two pods', () => {
    checkProperty(
      'impl/kubelet/pod-ip-allocator.test.ts',
      'never gives one address to two pods',
      fc.property(fc.array(fc.tuple(fc.constantFrom('allocate', 'release', 'claim'), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 2, max: 12 }))), (ops) => {
        const a = new PodIpAllocator();
        for (const [op, pod, host] of ops) {
          const uid = `p${pod}`;
          if (op === 'allocate') a.allocate(uid, '10.1.0.0/28');
          else if (op === 'release') a.release(uid);
          else a.claim(uid, `10.1.0.${host}`);
        }
        const ips = Array.from({ length: 21 }, (_, i) => a.ipOf(`p${i}`)).filter((x) => x !== undefined);
        expect(new Set(ips).size).toBe(ips.length);
      }),
    );
  });
});
