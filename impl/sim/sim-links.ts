// The simulated links between processes: a delay drawn from the seed for every message (so
// independent messages reorder), a further lag for stream items (watch events trail the
// answers to requests), random loss at the drop rate, and partitions by process name.

import type { Millis } from '../env/clock.js';
import type { LinkPolicy } from '../env/link-policy.js';
import type { Random } from '../env/random.js';

export interface SimNetworkOptions {
  /** Shortest transit time of a message, in whole virtual ms (default 1). */
  minDelayMs?: number;
  /** Longest transit time (default 10). */
  maxDelayMs?: number;
  /** Probability that a lossy message (a send, a call, a reply) is lost (default 0). */
  dropRate?: number;
  /**
   * A further delay of every stream item (watch event), on top of its transit time (default
   * none): an API server's watch cache and a client's informer queue make watch events
   * trail the answers to requests, so a controller's cache lags its own writes.
   */
  streamLag?: LagBounds;
}

/** Bounds of an extra delay, in whole virtual ms, 0 <= minMs <= maxMs. */
export interface LagBounds {
  readonly minMs: Millis;
  readonly maxMs: Millis;
}

function checkedLag(bounds: LagBounds): LagBounds {
  if (!Number.isInteger(bounds.minMs) || !Number.isInteger(bounds.maxMs) || bounds.minMs < 0 || bounds.maxMs < bounds.minMs) {
    throw new RangeError(`stream lag bounds [${bounds.minMs}, ${bounds.maxMs}] must be whole ms with 0 <= min <= max`);
  }
  return bounds;
}

export class SimLinks implements LinkPolicy {
  private minDelay = 1;
  private maxDelay = 10;
  private dropRate = 0;
  /**
   * Cut directed pairs, as "from\0to", each with how many partitions cut it: overlapping
   * partitions of the same pair heal one at a time. Both directions are added together.
   */
  private readonly cuts = new Map<string, number>();
  /** The extra delay of every stream item (SimNetworkOptions.streamLag). */
  private readonly baseStreamLag: LagBounds | undefined;
  /** Receiving process → a further delay of the stream items it receives (setStreamLag). */
  private readonly streamLags = new Map<string, LagBounds>();

  constructor(
    private readonly random: Random,
    options: SimNetworkOptions = {},
  ) {
    this.setDelay(options.minDelayMs ?? this.minDelay, options.maxDelayMs ?? this.maxDelay);
    this.setDropRate(options.dropRate ?? this.dropRate);
    this.baseStreamLag = options.streamLag ? checkedLag(options.streamLag) : undefined;
  }

  cut(from: string, to: string): boolean {
    return this.cuts.size > 0 && this.cuts.has(`${from}\0${to}`);
  }

  lose(from: string, to: string): boolean {
    // No draw when nothing can be lost: the seed's stream stays the same for loss-free runs.
    return this.dropRate > 0 && from !== to && this.random.chance(this.dropRate);
  }

  delay(_from?: string, to?: string, stream?: boolean): Millis {
    let ms = this.draw({ minMs: this.minDelay, maxMs: this.maxDelay });
    if (!stream) return ms;
    // No draw without a lag in force: the seed's stream stays the same for lag-free runs.
    if (this.baseStreamLag) ms += this.draw(this.baseStreamLag);
    const lag = to !== undefined && this.streamLags.size > 0 ? this.streamLags.get(to) : undefined;
    if (lag) ms += this.draw(lag);
    return ms;
  }

  private draw(b: LagBounds): Millis {
    return b.minMs === b.maxMs ? b.minMs : this.random.int(b.minMs, b.maxMs);
  }

  /**
   * Holds back every stream item (watch event) to process `to` by a further [minMs, maxMs]
   * each, on top of its transit time and the network's stream lag; streams stay FIFO.
   * Undefined bounds end it.
   */
  setStreamLag(to: string, bounds: LagBounds | undefined): void {
    if (bounds) this.streamLags.set(to, checkedLag(bounds));
    else this.streamLags.delete(to);
  }

  /** Cuts every link between a process of `a` and one of `b`, both ways. Adds to earlier cuts. */
  partition(a: readonly string[], b: readonly string[]): void {
    for (const [from, to] of pairs(a, b)) this.cuts.set(`${from}\0${to}`, (this.cuts.get(`${from}\0${to}`) ?? 0) + 1);
  }

  /** Undoes one partition(a, b); a pair another partition still cuts stays cut. */
  unpartition(a: readonly string[], b: readonly string[]): void {
    for (const [from, to] of pairs(a, b)) {
      const key = `${from}\0${to}`;
      const n = (this.cuts.get(key) ?? 0) - 1;
      if (n > 0) this.cuts.set(key, n);
      else this.cuts.delete(key);
    }
  }

  /** Restores every link, whatever cut it. */
  heal(): void {
    this.cuts.clear();
  }

  setDropRate(p: number): void {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`drop rate ${p} is not in [0, 1]`);
    this.dropRate = p;
  }

  /** The current transit time bounds. */
  delayBounds(): { readonly minMs: Millis; readonly maxMs: Millis } {
    return { minMs: this.minDelay, maxMs: this.maxDelay };
  }

  setDelay(min: Millis, max: Millis): void {
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
      throw new RangeError(`delay bounds [${min}, ${max}] must be whole ms with 0 <= min <= max`);
    }
    this.minDelay = min;
    this.maxDelay = max;
  }
}

/** Both directions of every link between a process of `a` and one of `b`. */
function pairs(a: readonly string[], b: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const x of a) {
    for (const y of b) {
      if (x === y) continue;
      out.push([x, y], [y, x]);
    }
  }
  return out;
}
