// A pod's effective requests, as upstream's resource.PodRequests computes them and the
// scheduler must count them against a node: app containers run together, so their requests
// add up; init containers run one at a time before them, so each needs its own requests
// (plus the restartable "sidecar" init containers started before it, which keep running);
// sidecars also run beside the app containers; and spec.overhead (the sandbox) comes on top.
//
//   effective = max(Σ app + Σ sidecars, max over init i of (init_i + Σ sidecars before i)) + overhead
//
// Pure: reads the pod spec's JSON (requests as the API server stored them, after requests
// were defaulted from limits).

import { Quantity } from '../../impl/api/quantity.js';

type Json = Record<string, unknown>;

export interface Requests {
  readonly cpuMilli: number;
  readonly memoryBytes: number;
}

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

function amount(q: unknown, milli: boolean): number {
  try {
    if (q === undefined) return 0;
    const v = Quantity.fromJSON(q);
    return Number(milli ? v.milliValue() : v.value());
  } catch {
    return 0;
  }
}

/** A resource list (requests or overhead) as cpu millicores and memory bytes. */
function amounts(list: unknown): Requests {
  const l = obj(list);
  return { cpuMilli: amount(l.cpu, true), memoryBytes: amount(l.memory, false) };
}

const plus = (a: Requests, b: Requests): Requests => ({ cpuMilli: a.cpuMilli + b.cpuMilli, memoryBytes: a.memoryBytes + b.memoryBytes });
const max = (a: Requests, b: Requests): Requests => ({ cpuMilli: Math.max(a.cpuMilli, b.cpuMilli), memoryBytes: Math.max(a.memoryBytes, b.memoryBytes) });
const NONE: Requests = { cpuMilli: 0, memoryBytes: 0 };

/** The effective cpu and memory requests of a pod with this spec. */
export function effectivePodRequests(spec: Json): Requests {
  let total = NONE;
  for (const c of arr(spec.containers)) total = plus(total, amounts(obj(c.resources).requests));
  let sidecars = NONE;
  let init = NONE;
  for (const c of arr(spec.initContainers)) {
    const own = amounts(obj(c.resources).requests);
    if (c.restartPolicy === 'Always') {
      total = plus(total, own);
      sidecars = plus(sidecars, own);
      init = max(init, sidecars);
    } else {
      init = max(init, plus(own, sidecars));
    }
  }
  return plus(max(total, init), amounts(spec.overhead));
}
