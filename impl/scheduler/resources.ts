// Resource amounts as the scheduler counts them: a pod's effective requests (the larger of
// its containers' sum and its largest init container, plus overhead), the "non-zero"
// requests scoring uses, and a node's allocatable. cpu is counted in millicores, every
// other resource in whole units (bytes for memory), exactly as upstream's
// framework.Resource does with Quantity.MilliValue and Quantity.Value.

import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../api/quantity.js';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const PODS = 'pods';

/** Amounts by resource name: cpu in millicores, the rest in whole units. */
export type ResourceAmounts = ReadonlyMap<string, bigint>;

/** Scoring counts a container without a cpu request as asking for this (upstream DefaultMilliCPURequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100n;
/** ... and one without a memory request as asking for 200 MiB (upstream DefaultMemoryRequest). */
export const DEFAULT_MEMORY_REQUEST = 200n * 1024n * 1024n;

/** One quantity in the scheduler's unit for that resource; a malformed quantity counts as 0. */
export function amountOf(resource: string, quantity: unknown): bigint {
  try {
    const q = Quantity.fromJSON(quantity);
    return resource === CPU ? q.milliValue() : q.value();
  } catch {
    // The API server validates quantities; a value it let through but we cannot read
    // should not wedge scheduling, and counting it as nothing is what a zero request does.
    return 0n;
  }
}

/** A resource list (requests, allocatable, overhead) in scheduler units. */
export function amountsOf(list: Readonly<Record<string, unknown>> | undefined): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [name, q] of Object.entries(list ?? {})) out.set(name, amountOf(name, q));
  return out;
}

export function addInto(into: Map<string, bigint>, from: ResourceAmounts): void {
  for (const [name, v] of from) into.set(name, (into.get(name) ?? 0n) + v);
}

function maxInto(into: Map<string, bigint>, from: ResourceAmounts): void {
  for (const [name, v] of from) if (v > (into.get(name) ?? 0n)) into.set(name, v);
}

export interface PodRequestOptions {
  /** Mutant switch: count only the regular containers, as if init containers ran beside nothing. */
  readonly ignoreInitContainers?: boolean;
}

/**
 * The pod's effective requests (upstream's resource.PodRequests): per resource, the larger
 * of the sum over its containers and what its init containers need while they run (one at a
 * time, before the others), plus spec.overhead. A restartable (sidecar) init container keeps
 * running once started: it adds to the containers' sum and to every init container after it.
 */
export function podRequests(pod: Pod, options: PodRequestOptions = {}): Map<string, bigint> {
  const sum = new Map<string, bigint>();
  for (const c of pod.spec?.containers ?? []) addInto(sum, amountsOf(c.resources?.requests));
  if (!options.ignoreInitContainers) {
    const sidecars = new Map<string, bigint>();
    const init = new Map<string, bigint>();
    for (const c of pod.spec?.initContainers ?? []) {
      const own = amountsOf(c.resources?.requests);
      if (c.restartPolicy === 'Always') {
        addInto(sum, own);
        addInto(sidecars, own);
        maxInto(init, sidecars);
      } else {
        addInto(own, sidecars);
        maxInto(init, own);
      }
    }
    maxInto(sum, init);
  }
  addInto(sum, amountsOf(pod.spec?.overhead));
  return sum;
}

function nonZeroOf(c: Container): { cpu: bigint; memory: bigint } {
  const requests = c.resources?.requests ?? {};
  return {
    cpu: CPU in requests ? amountOf(CPU, requests[CPU]) : DEFAULT_MILLI_CPU_REQUEST,
    memory: MEMORY in requests ? amountOf(MEMORY, requests[MEMORY]) : DEFAULT_MEMORY_REQUEST,
  };
}

/**
 * cpu and memory requests with upstream's defaults for containers that state none, which
 * is what scoring compares: otherwise best-effort pods would look free and pile onto one node.
 */
export function podNonZeroRequests(pod: Pod): { cpu: bigint; memory: bigint } {
  let cpu = 0n;
  let memory = 0n;
  for (const c of pod.spec?.containers ?? []) {
    const r = nonZeroOf(c);
    cpu += r.cpu;
    memory += r.memory;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const r = nonZeroOf(c);
    if (r.cpu > cpu) cpu = r.cpu;
    if (r.memory > memory) memory = r.memory;
  }
  const overhead = amountsOf(pod.spec?.overhead);
  return { cpu: cpu + (overhead.get(CPU) ?? 0n), memory: memory + (overhead.get(MEMORY) ?? 0n) };
}

/** status.allocatable (what pods may use), in scheduler units. A node without it offers nothing. */
export function nodeAllocatable(node: Node): Map<string, bigint> {
  return amountsOf(node.status?.allocatable);
}
