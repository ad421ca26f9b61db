// Container resource requests and limits as people write them: cpu as "100m", "0.5", "1"
// (or a bare YAML number), memory as "256Mi", "1Gi", "500M" or plain bytes; requests only,
// limits only (requests then default to them), both with limits ≥ requests, or nothing.
// Amounts are drafted as numbers and rendered in one of the equivalent spellings, so the
// scenario generator can add them up against node capacity.

import fc from 'fast-check';
import type { ResourceRequirements } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../impl/api/quantity.js';

export const MI = 1024 * 1024;

/** An amount of cpu (millicores) and memory (bytes); either may be absent. */
export interface ResourceAmounts {
  readonly cpuMilli?: number;
  readonly memoryBytes?: number;
}

/** How an amount is spelled: cpu "500m" | "0.5" | 0.5, memory "512Mi" | "0.5Gi" | "536870912". */
export interface Spelling {
  readonly cpu: 'milli' | 'decimal' | 'number';
  readonly memory: 'binary' | 'bytes';
}

export interface ResourcesDraft {
  readonly requests?: ResourceAmounts;
  /** Limits as multiples of the requests (≥ 1), or absolute amounts when there are no requests. */
  readonly limits?: { readonly factor: number } | ResourceAmounts;
  readonly spelling: Spelling;
}

/** Amounts by how common they are: small ones most, large ones now and then. */
const CPU_MILLI = [
  [100, 50, 10, 200, 250],
  [500, 750, 1000],
  [1500, 2000],
] as const;
/** Binary amounts (Mi) and decimal ones (M, spelled in bytes: they have no binary form). */
const MEMORY_BYTES = [
  [64 * MI, 16 * MI, 32 * MI, 128 * MI, 100_000_000],
  [256 * MI, 512 * MI, 500_000_000],
  [1024 * MI],
] as const;
const TIER_WEIGHTS = [6, 3, 1];

function tiered(tiers: readonly (readonly number[])[], max: number): fc.Arbitrary<number> {
  const parts = tiers
    .map((tier, i) => ({ weight: TIER_WEIGHTS[i] ?? 1, values: tier.filter((v) => v <= max) }))
    .filter((p) => p.values.length > 0)
    .map((p) => ({ weight: p.weight, arbitrary: fc.constantFrom(...p.values) }));
  return parts.length > 0 ? fc.oneof(...parts) : fc.constant(Math.min(...tiers.flat()));
}

export interface ResourceBounds {
  /** The largest cpu request of one container (default 2000m). */
  readonly maxCpuMilli?: number;
  /** The largest memory request of one container (default 1Gi). */
  readonly maxMemoryBytes?: number;
  /**
   * The allocatable of the cluster's nodes, for pods sized to fill a good share of one of them
   * (a third to three quarters), as big services and batch jobs are: a few such pods fill
   * their nodes and put the scheduler's accounting to the test.
   */
  readonly nodes?: readonly { readonly cpuMilli: number; readonly memoryBytes: number }[];
}

/** Shares of a node a node-sized container asks for: most leave room for one such pod per node, not two. */
const NODE_SHARES = [3 / 5, 3 / 4, 1 / 2, 1 / 3] as const;

/** cpu and memory that fill `share` of one of the nodes (whole 10 millicores, whole Mi). */
function nodeSizedArbitrary(nodes: NonNullable<ResourceBounds['nodes']>): fc.Arbitrary<ResourceAmounts> {
  return fc.tuple(fc.constantFrom(...nodes), fc.constantFrom(...NODE_SHARES)).map(([n, share]) => ({
    cpuMilli: Math.max(10, Math.round((n.cpuMilli * share) / 10) * 10),
    memoryBytes: Math.max(MI, Math.round((n.memoryBytes * share) / MI) * MI),
  }));
}

function amountsArbitrary(bounds: ResourceBounds): fc.Arbitrary<ResourceAmounts> {
  return fc.record(
    { cpuMilli: tiered(CPU_MILLI, bounds.maxCpuMilli ?? 2000), memoryBytes: tiered(MEMORY_BYTES, bounds.maxMemoryBytes ?? 1024 * MI) },
    { requiredKeys: [] },
  );
}

/**
 * Requests and limits of a container sized to a share of one of the nodes (requests only, or
 * limits equal to them), or undefined when the bounds name no nodes.
 */
export function nodeSizedResourcesArbitrary(bounds: ResourceBounds = {}): fc.Arbitrary<ResourcesDraft> | undefined {
  const nodes = bounds.nodes ?? [];
  if (nodes.length === 0) return undefined;
  const requests = nodeSizedArbitrary(nodes);
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ requests, spelling: spellingArbitrary }) },
    { weight: 1, arbitrary: fc.record({ requests, limits: fc.constant({ factor: 1 }), spelling: spellingArbitrary }) },
  );
}

/**
 * Requests of an init container, which (a migration, a cache warm-up) often asks for more than
 * the containers it prepares for: always cpu and memory, from the larger amounts or sized to a
 * node. The pod's effective request is then its largest init container's.
 */
export function initResourcesDraftArbitrary(bounds: ResourceBounds = {}): fc.Arbitrary<ResourcesDraft> {
  const large = fc.record({ cpuMilli: tiered(CPU_MILLI.slice(1), bounds.maxCpuMilli ?? 2000), memoryBytes: tiered(MEMORY_BYTES.slice(1), bounds.maxMemoryBytes ?? 1024 * MI) });
  const nodes = bounds.nodes ?? [];
  const requests = nodes.length > 0 ? fc.oneof(large, nodeSizedArbitrary(nodes)) : large;
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ requests, spelling: spellingArbitrary }) },
    { weight: 1, arbitrary: fc.record({ requests, limits: fc.constant({ factor: 1 }), spelling: spellingArbitrary }) },
  );
}

const spellingArbitrary: fc.Arbitrary<Spelling> = fc.record({
  cpu: fc.constantFrom<Spelling['cpu']>('milli', 'decimal', 'number'),
  memory: fc.constantFrom<Spelling['memory']>('binary', 'bytes'),
});

export function resourcesDraftArbitrary(bounds: ResourceBounds = {}): fc.Arbitrary<ResourcesDraft> {
  const amounts = amountsArbitrary(bounds);
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ spelling: spellingArbitrary }) },
    { weight: 5, arbitrary: fc.record({ requests: amounts, spelling: spellingArbitrary }) },
    { weight: 3, arbitrary: fc.record({ requests: amounts, limits: fc.record({ factor: fc.constantFrom(1, 2, 4) }), spelling: spellingArbitrary }) },
    { weight: 1, arbitrary: fc.record({ limits: amounts, spelling: spellingArbitrary }) },
  );
}

export function cpuQuantity(milli: number, spelling: Spelling['cpu']): string | number {
  if (spelling === 'milli' || milli % 10 !== 0) return `${milli}m`;
  const cores = milli / 1000;
  return spelling === 'number' ? cores : String(cores);
}

export function memoryQuantity(bytes: number, spelling: Spelling['memory']): string {
  if (spelling === 'bytes' || bytes % MI !== 0) return String(bytes);
  const mi = bytes / MI;
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}

function render(a: ResourceAmounts, s: Spelling): Record<string, string | number> {
  return {
    ...(a.cpuMilli !== undefined ? { cpu: cpuQuantity(a.cpuMilli, s.cpu) } : {}),
    ...(a.memoryBytes !== undefined ? { memory: memoryQuantity(a.memoryBytes, s.memory) } : {}),
  };
}

/** The limits a draft stands for, as absolute amounts. */
function limitAmounts(d: ResourcesDraft): ResourceAmounts | undefined {
  if (!d.limits) return undefined;
  if ('factor' in d.limits) {
    const { factor } = d.limits;
    const r = d.requests ?? {};
    return {
      ...(r.cpuMilli !== undefined ? { cpuMilli: r.cpuMilli * factor } : {}),
      ...(r.memoryBytes !== undefined ? { memoryBytes: r.memoryBytes * factor } : {}),
    };
  }
  return d.limits;
}

/**
 * A container's `resources`, or undefined for none. Quantities are strings except the cpu
 * "number" spelling, a bare JSON number as a YAML `cpu: 0.5` gives (the API's type is
 * IntOrString-like for quantities), which kubernetes-types does not model.
 */
export function buildResources(d: ResourcesDraft): ResourceRequirements | undefined {
  const limits = limitAmounts(d);
  const requests = d.requests ? render(d.requests, d.spelling) : undefined;
  const rendered = limits ? render(limits, d.spelling) : undefined;
  const out = {
    ...(requests && Object.keys(requests).length > 0 ? { requests } : {}),
    ...(rendered && Object.keys(rendered).length > 0 ? { limits: rendered } : {}),
  };
  return Object.keys(out).length > 0 ? (out as ResourceRequirements) : undefined;
}

/** What the scheduler counts for a container: its requests, defaulted from its limits. */
export function effectiveRequests(d: ResourcesDraft): { cpuMilli: number; memoryBytes: number } {
  const limits = limitAmounts(d) ?? {};
  const requests = d.requests ?? {};
  return { cpuMilli: requests.cpuMilli ?? limits.cpuMilli ?? 0, memoryBytes: requests.memoryBytes ?? limits.memoryBytes ?? 0 };
}

/** The same sum read back from a rendered `resources` (for tests: draft and manifest agree). */
export function requestsOf(r: ResourceRequirements | undefined): { cpuMilli: number; memoryBytes: number } {
  const pick = (name: 'cpu' | 'memory'): Quantity | undefined => {
    const v: unknown = r?.requests?.[name] ?? r?.limits?.[name];
    return v === undefined ? undefined : Quantity.fromJSON(v);
  };
  const cpu = pick('cpu');
  const memory = pick('memory');
  return { cpuMilli: cpu ? Number(cpu.milliValue()) : 0, memoryBytes: memory ? Number(memory.value()) : 0 };
}
