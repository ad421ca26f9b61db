// The pod CIDRs of a cluster range: 10.244.0.0/16 cut into /24s gives 256 of them, each
// named by its index. Pure arithmetic; who holds which is the IPAM controller's business.

function parseIPv4(text: string): number {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`invalid IPv4 address ${JSON.stringify(text)}`);
  return (((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0);
}

function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export class CidrSet {
  private readonly base: number;
  private readonly clusterBits: number;
  /** How many per-node CIDRs the range holds. */
  readonly size: number;

  constructor(
    clusterCidr: string,
    private readonly nodeMaskSize: number,
  ) {
    const [ip, bits] = clusterCidr.split('/');
    this.clusterBits = Number(bits);
    if (!ip || !Number.isInteger(this.clusterBits) || this.clusterBits < 0 || this.clusterBits > 32) throw new Error(`invalid CIDR ${JSON.stringify(clusterCidr)}`);
    if (!Number.isInteger(nodeMaskSize) || nodeMaskSize < this.clusterBits || nodeMaskSize > 32) {
      throw new Error(`node CIDR mask /${nodeMaskSize} does not fit in ${clusterCidr}`);
    }
    const mask = this.clusterBits === 0 ? 0 : (~0 << (32 - this.clusterBits)) >>> 0;
    this.base = (parseIPv4(ip) & mask) >>> 0;
    this.size = 2 ** (nodeMaskSize - this.clusterBits);
  }

  /** The index-th per-node CIDR ("10.244.3.0/24" for 3). */
  cidr(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`CIDR index ${index} is outside 0..${this.size - 1}`);
    return `${formatIPv4((this.base + index * 2 ** (32 - this.nodeMaskSize)) >>> 0)}/${this.nodeMaskSize}`;
  }

  /** The index of a per-node CIDR of this range, or undefined for anything else. */
  indexOf(cidr: string): number | undefined {
    const [ip, bits] = cidr.split('/');
    if (!ip || Number(bits) !== this.nodeMaskSize) return undefined;
    let n: number;
    try {
      n = parseIPv4(ip);
    } catch {
      return undefined;
    }
    const offset = n - this.base;
    const step = 2 ** (32 - this.nodeMaskSize);
    if (offset < 0 || offset % step !== 0) return undefined;
    const index = offset / step;
    return index < this.size ? index : undefined;
  }

  /** The lowest index not in `used`, or undefined when the range is full. */
  lowestFree(used: ReadonlySet<number>): number | undefined {
    for (let i = 0; i < this.size; i++) if (!used.has(i)) return i;
    return undefined;
  }
}
