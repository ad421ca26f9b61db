// Lends a live cluster's real nodes to one run and gives them back: remembers whether each
// was cordoned (the scenario's cordon/uncordon operations act on real nodes) and, when the
// target may reshape nodes (its own cluster), gives each the labels and taints of the
// scenario node it stands for and cordons the nodes the scenario does not name. Restoring
// puts back the original labels and cordons and removes only the taints it added, so
// taints the node lifecycle controller set meanwhile stay.

import { ApiStatusError, type ApiClient, type ApiObject } from '../../impl/client/api-client.js';
import { NODES } from '../../impl/client/resources.js';
import type { ClusterShape, NodeShape } from '../campaign/scenario.js';

type Taint = NonNullable<NodeShape['taints']>[number];

interface NodeObject extends ApiObject {
  spec?: { unschedulable?: boolean; taints?: Taint[]; [field: string]: unknown };
}

/** What one real node was before the run, and what the run added to it. */
interface Lent {
  readonly name: string;
  readonly unschedulable: boolean;
  /** Label keys the run set, with their values before (undefined: absent). */
  readonly labels: ReadonlyMap<string, string | undefined>;
  readonly addedTaints: readonly Taint[];
}

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect && (a.value ?? '') === (b.value ?? '');

/**
 * Read-modify-write of one Node, retried on 409 Conflict (kubelets write their Nodes too);
 * `change` returns undefined when the node needs no write.
 */
async function updateNode(client: ApiClient, name: string, change: (node: NodeObject) => NodeObject | undefined): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const node = await client.get<NodeObject>(NODES, undefined, name);
    const changed = change(node);
    if (!changed) return;
    try {
      await client.update<NodeObject>(NODES, changed);
      return;
    } catch (e) {
      if (!(e instanceof ApiStatusError && e.code === 409) || attempt >= 10) throw e;
    }
  }
}

export class NodeLease {
  private constructor(
    private readonly client: ApiClient,
    private readonly lent: readonly Lent[],
  ) {}

  /**
   * Remembers every real node's cordon; with `reshape`, gives each real node the labels and
   * taints of the first scenario node mapped to it and cordons the real nodes no scenario
   * node stands for.
   */
  static async take(client: ApiClient, realNodes: readonly string[], shape: ClusterShape, mapping: ReadonlyMap<string, string>, reshape: boolean): Promise<NodeLease> {
    const lent: Lent[] = [];
    for (const name of realNodes) {
      const standIn = reshape ? shape.nodes.find((n) => mapping.get(n.name) === name && !n.spare) : undefined;
      if (!reshape) {
        const node = await client.get<NodeObject>(NODES, undefined, name);
        lent.push({ name, unschedulable: node.spec?.unschedulable === true, labels: new Map(), addedTaints: [] });
        continue;
      }
      let record: Lent | undefined;
      await updateNode(client, name, (node) => {
        const labels = { ...(node.metadata?.labels ?? {}) };
        const before = new Map<string, string | undefined>();
        for (const [k, v] of Object.entries(standIn?.labels ?? {})) {
          before.set(k, labels[k]);
          labels[k] = v;
        }
        const taints = [...(node.spec?.taints ?? [])];
        const added = (standIn?.taints ?? []).filter((t) => !taints.some((x) => sameTaint(x, t))).map((t) => ({ ...t }));
        record = { name, unschedulable: node.spec?.unschedulable === true, labels: before, addedTaints: added };
        return {
          ...node,
          metadata: { ...node.metadata, labels },
          spec: { ...node.spec, taints: [...taints, ...added], unschedulable: standIn ? node.spec?.unschedulable === true : true },
        };
      });
      if (record) lent.push(record);
    }
    return new NodeLease(client, lent);
  }

  /** Gives the nodes back as they were; returns the problems it met (the run still counts). */
  async giveBack(): Promise<string[]> {
    const problems: string[] = [];
    for (const l of this.lent) {
      try {
        await updateNode(this.client, l.name, (node) => {
          const cordoned = node.spec?.unschedulable === true;
          const ourTaints = (node.spec?.taints ?? []).filter((t) => l.addedTaints.some((a) => sameTaint(a, t)));
          if (l.labels.size === 0 && ourTaints.length === 0 && cordoned === l.unschedulable) return undefined;
          const labels = { ...(node.metadata?.labels ?? {}) };
          for (const [k, v] of l.labels) {
            if (v === undefined) delete labels[k];
            else labels[k] = v;
          }
          const taints = (node.spec?.taints ?? []).filter((t) => !l.addedTaints.some((a) => sameTaint(a, t)));
          const spec: NodeObject['spec'] = { ...node.spec, taints, unschedulable: l.unschedulable };
          if (!l.unschedulable) delete spec.unschedulable;
          if (taints.length === 0) delete spec.taints;
          return { ...node, metadata: { ...node.metadata, labels }, spec };
        });
      } catch (e) {
        problems.push(`node ${l.name} not restored: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return problems;
  }
}
