// Pod IPs from the node's podCIDR (set by the node IPAM controller), as the host-local IPAM
// plugin hands them out: the first address is the bridge's gateway, pods get the lowest free
// one after it. The addresses are data only: nothing ever dials them.

/** An IPv4 CIDR as numbers: the network address and the prefix length. */
export interface Ipv4Cidr {
  readonly base: number;
  readonly bits: number;
}

export function parseIpv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function parseIpv4Cidr(cidr: string): Ipv4Cidr | undefined {
  const [ip, len] = cidr.split('/');
  const base = parseIpv4(ip ?? '');
  const bits = Number(len);
  if (base === undefined || !Number.isInteger(bits) || bits < 1 || bits > 30) return undefined;
  const size = 2 ** (32 - bits);
  return { base: base - (base % size), bits };
}

export class PodIpAllocator {
  /** pod uid → its IP, and the reverse: one address per pod, one pod per address. */
  private readonly byPod = new Map<string, string>();
  private readonly byIp = new Map<string, string>();

  ipOf(uid: string): string | undefined {
    return this.byPod.get(uid);
  }

  /** Records an address a pod already has (adopted after a restart); false if another pod holds it. */
  claim(uid: string, ip: string): boolean {
    const holder = this.byIp.get(ip);
    if (holder !== undefined && holder !== uid) return false;
    const old = this.byPod.get(uid);
    if (old !== undefined && old !== ip) this.byIp.delete(old);
    this.byPod.set(uid, ip);
    this.byIp.set(ip, uid);
    return true;
  }

  /** The pod's address, allocating the lowest free one of `cidr` if it has none; undefined when full. */
  allocate(uid: string, cidr: string): string | undefined {
    const own = this.byPod.get(uid);
    if (own !== undefined) return own;
    const range = parseIpv4Cidr(cidr);
    if (!range) return undefined;
    const size = 2 ** (32 - range.bits);
    // Skip the network address and the gateway (.1); stop before the broadcast address.
    for (let i = 2; i < size - 1; i++) {
      const ip = formatIpv4(range.base + i);
      if (!this.byIp.has(ip)) {
        this.claim(uid, ip);
        return ip;
      }
    }
    return undefined;
  }

  release(uid: string): void {
    const ip = this.byPod.get(uid);
    if (ip === undefined) return;
    this.byPod.delete(uid);
    if (this.byIp.get(ip) === uid) this.byIp.delete(ip);
  }
}
