// A scenario is data: the cluster's shape, the user's operations at their times, and the
// fault schedule. fast-check generates and shrinks scenarios; counterexample files store
// them; a target runs one and returns its history. Nothing here is executable.

/** A node of the cluster: its name and what it offers. */
export interface NodeShape {
  readonly name: string;
  readonly cpuMilli: number;
  readonly memoryMi: number;
  readonly pods: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly { readonly key: string; readonly value?: string; readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
  /** Not booted with the cluster: a node-add fault starts it later. */
  readonly spare?: true;
}

export interface ClusterShape {
  readonly nodes: readonly NodeShape[];
}

/** A manifest as JSON (a Deployment, Pod, ...), as a user would apply it. */
export type Manifest = Readonly<Record<string, unknown>>;

/** One user action. `target` names the object ("default/web") or node. */
export type Operation =
  | { readonly op: 'create'; readonly manifest: Manifest }
  | { readonly op: 'apply'; readonly manifest: Manifest }
  | { readonly op: 'duplicate-create'; readonly manifest: Manifest; readonly copies: number }
  | { readonly op: 'scale'; readonly target: string; readonly replicas: number }
  | { readonly op: 'set-image'; readonly target: string; readonly image: string }
  | { readonly op: 'delete'; readonly kind: 'Deployment' | 'ReplicaSet' | 'Pod'; readonly target: string; readonly propagation?: 'Foreground' | 'Background' | 'Orphan' }
  | { readonly op: 'stale-update'; readonly target: string; readonly replicas: number }
  | { readonly op: 'cordon'; readonly node: string }
  | { readonly op: 'uncordon'; readonly node: string };

export interface TimedOperation {
  /** Milliseconds after the cluster is up. */
  readonly at: number;
  readonly operation: Operation;
}

export interface Fault {
  /** Milliseconds after the cluster is up. */
  readonly at: number;
  readonly kind: string;
  /** What it hits: a node, a component, a pod selector; meaning depends on the kind. */
  readonly target: string;
  /** How long until it heals (0 for instantaneous faults like container-kill). */
  readonly durationMs: number;
  readonly params?: Readonly<Record<string, number | string | boolean>>;
}

export interface Scenario {
  readonly seed: number;
  readonly cluster: ClusterShape;
  readonly operations: readonly TimedOperation[];
  readonly faults: readonly Fault[];
  /** After the last fault heals, how long the cluster has to converge. */
  readonly convergenceBoundMs: number;
}

/** When the last fault heals and the last operation has been issued. */
export function healedAt(s: Scenario): number {
  let t = 0;
  for (const f of s.faults) t = Math.max(t, f.at + f.durationMs);
  for (const o of s.operations) t = Math.max(t, o.at);
  return t;
}

/** The number of steps a counterexample has: operations plus faults. */
export function scenarioSize(s: Scenario): number {
  return s.operations.length + s.faults.length;
}
