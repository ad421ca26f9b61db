// Cluster shapes: 1–5 nodes named node-1…node-N with realistic capacities (cpu, memory, a
// pod limit), labels from a small vocabulary (zone, disk type, pool) that pod placement
// rules also draw from, now and then a taint, and sometimes a spare node that only a
// node-add fault boots.

import fc from 'fast-check';
import type { ClusterShape, NodeShape } from '../campaign/scenario.js';

export type Taint = NonNullable<NodeShape['taints']>[number];

/** Node labels placement rules refer to; each node carries some of them. */
export const NODE_LABEL_POOL: Readonly<Record<string, readonly string[]>> = {
  'topology.kubernetes.io/zone': ['zone-a', 'zone-b', 'zone-c'],
  disktype: ['ssd', 'hdd'],
  'kubeprop.dev/pool': ['general', 'batch'],
};

/** Labels every kubelet sets on its Node (impl/kubelet/node-object.ts). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
export const OS_LABEL = 'kubernetes.io/os';

/** Taints nodes may carry; tolerations are drawn from the same list. */
export const TAINT_POOL: readonly Taint[] = [
  { key: 'dedicated', value: 'batch', effect: 'NoSchedule' },
  { key: 'gpu', value: 'true', effect: 'NoSchedule' },
  { key: 'kubeprop.dev/spot', effect: 'PreferNoSchedule' },
  { key: 'maintenance', value: 'planned', effect: 'NoExecute' },
];

export function nodeName(index: number): string {
  return `node-${index + 1}`;
}

interface NodeDraft {
  readonly cpuMilli: number;
  readonly memoryMi: number;
  readonly pods: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

/** Each pool key present or not, with one of its values. */
const nodeLabelsArbitrary: fc.Arbitrary<Readonly<Record<string, string>>> = fc
  .tuple(...Object.entries(NODE_LABEL_POOL).map(([key, values]) => fc.option(fc.constantFrom(...values).map((v) => [key, v] as const), { nil: undefined })))
  .map((pairs) => Object.fromEntries(pairs.filter((p) => p !== undefined)));

const nodeDraftArbitrary: fc.Arbitrary<NodeDraft> = fc.record({
  cpuMilli: fc.constantFrom(2000, 4000, 1000, 8000),
  memoryMi: fc.constantFrom(4096, 2048, 8192, 1024, 16384),
  pods: fc.oneof({ weight: 5, arbitrary: fc.constant(110) }, { weight: 1, arbitrary: fc.constantFrom(8, 16, 32) }),
  labels: nodeLabelsArbitrary,
  taints: fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray([...TAINT_POOL], { minLength: 1, maxLength: 1 }) }),
});

export interface ClusterOptions {
  readonly min?: number;
  readonly max?: number;
  /**
   * Whether the last node may be declared spare (booted later by a node-add fault), about
   * one cluster in four when it has two nodes or more (default true). At least one node
   * always boots with the cluster.
   */
  readonly spare?: boolean;
}

/** A cluster of `min`–`max` nodes (default 1–5); shrinks toward fewer, plainer nodes and no spare. */
export function clusterShapeArbitrary(options: ClusterOptions = {}): fc.Arbitrary<ClusterShape> {
  const min = Math.max(1, options.min ?? 1);
  const max = Math.max(min, options.max ?? 5);
  const spare = options.spare === false ? fc.constant(false) : fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  return fc.tuple(fc.array(nodeDraftArbitrary, { minLength: min, maxLength: max }), spare).map(([drafts, lastIsSpare]) => ({
    nodes: drafts.map(
      (d, i): NodeShape => ({
        name: nodeName(i),
        cpuMilli: d.cpuMilli,
        memoryMi: d.memoryMi,
        pods: d.pods,
        ...(Object.keys(d.labels).length > 0 ? { labels: d.labels } : {}),
        ...(d.taints.length > 0 ? { taints: d.taints } : {}),
        ...(lastIsSpare && drafts.length > 1 && i === drafts.length - 1 ? { spare: true as const } : {}),
      }),
    ),
  }));
}
