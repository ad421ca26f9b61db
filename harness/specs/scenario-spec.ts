// The declarative scenario spec, as the loader hands it to runners: a cluster shape, steps a
// user takes (kubectl-like operations, faults, waits, expectations on the way) and what must
// hold at the end (expectations and invariants). Durations are already milliseconds and
// manifests already parsed; spec-schema.ts describes the YAML form of the same thing.

/** How bad a failure of this spec is, for reports. */
export type Severity = 'critical' | 'major' | 'minor';

export interface SpecMetadata {
  readonly name: string;
  /** The seed step (or walkthrough) the spec illustrates, in words. */
  readonly illustrates: string;
  readonly severity: Severity;
  /** The number of the seed walkthrough (issue 4), when it is one. */
  readonly walkthrough?: number;
  /**
   * The container runtime the spec is about, when it is about one (what `docker kill` or a
   * lost node does to Docker's containers): it runs only on the local target with that
   * runtime and is skipped elsewhere.
   */
  readonly runtime?: 'process' | 'docker';
  readonly description?: string;
}

export interface SpecTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface SpecNode {
  readonly name: string;
  /** Quantities as a Node's status.capacity writes them: cpu "4", memory "8Gi", pods 110. */
  readonly capacity: { readonly cpu: string; readonly memory: string; readonly pods: number };
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly SpecTaint[];
}

/**
 * Which pods a step or a condition means. Pods being deleted (deletionTimestamp set) are left
 * out unless `terminating` is true: "the deployment's pods" are its live ones.
 */
export interface PodSelector {
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly node?: string;
  /** A pod named earlier by a step's `as:` (e.g. the victim of a container-kill). */
  readonly ref?: string;
  readonly terminating?: boolean;
}

/** A number or string compared against an observed value: `3`, `">= 1"`, `"== spec.replicas"`, `"~ /Pending/"`. */
export type Comparison =
  | { readonly op: '==' | '!=' | '>=' | '<=' | '>' | '<'; readonly value: number | string | boolean; readonly field?: undefined }
  | { readonly op: '==' | '!=' | '>=' | '<=' | '>' | '<'; readonly field: string; readonly value?: undefined }
  | { readonly op: '~'; readonly pattern: RegExp };

/** A string matched exactly, or a /regular expression/. */
export type TextMatch = { readonly exact: string } | { readonly pattern: RegExp };

export interface ConditionMatch {
  readonly type: string;
  readonly status?: TextMatch;
  readonly reason?: TextMatch;
  readonly message?: TextMatch;
}

/** What a condition looks at: exactly one subject. */
export type Subject =
  | { readonly kind: 'pods'; readonly pods: PodSelector }
  | { readonly kind: 'deployment'; readonly name: string }
  | { readonly kind: 'replicasets'; readonly deployment?: string; readonly labels?: Readonly<Record<string, string>> }
  | { readonly kind: 'node'; readonly name: string }
  /** Containers really present in the nodes' runtimes, by the pod they belong to. */
  | { readonly kind: 'containers'; readonly podPrefix?: string }
  /** `kubectl get RESOURCE [NAME] [-l ...] [-o wide]`, as a table. */
  | { readonly kind: 'get'; readonly resource: 'pods' | 'deployments' | 'replicasets' | 'nodes'; readonly name?: string; readonly labels?: Readonly<Record<string, string>>; readonly pod?: PodSelector; readonly wide: boolean }
  /** `kubectl describe pod`: its Events section. */
  | { readonly kind: 'describe'; readonly pod: PodSelector }
  /** `kubectl logs POD [-c CONTAINER]`. */
  | { readonly kind: 'logs'; readonly pod: PodSelector; readonly container?: string };

export interface Assertions {
  readonly exists?: boolean;
  readonly count?: Comparison;
  readonly phase?: TextMatch;
  readonly ready?: boolean;
  readonly distinctNodes?: boolean;
  /** Pods per node, largest first, over the nodes that have any: [2, 1, 1]. */
  readonly perNode?: readonly number[];
  readonly restarts?: Comparison;
  /** Some container of every pod waits with this reason (ErrImagePull, ImagePullBackOff...). */
  readonly waiting?: TextMatch;
  readonly podIP?: boolean;
  readonly image?: TextMatch;
  readonly condition?: ConditionMatch;
  /** Dotted paths into the object (every object), compared: status.availableReplicas: "== spec.replicas". */
  readonly fields?: readonly { readonly path: string; readonly comparison: Comparison }[];
  /** A Deployment whose rollout is done, by kubectl rollout status's rule. */
  readonly rolloutComplete?: boolean;
  /** Containers: how many run. */
  readonly running?: Comparison;
  /** get: every row's cell under the header (kubectl's upper-case header) matches. */
  readonly columns?: readonly { readonly header: string; readonly match: TextMatch }[];
  /** describe: these event reasons appear, in this order (others may come between). */
  readonly events?: readonly string[];
  /** logs: the output contains this text / matches this pattern. */
  readonly contains?: string;
  readonly matches?: RegExp;
}

export interface Condition {
  readonly subject: Subject;
  readonly assertions: Assertions;
  /** Polled until it holds, for at most this long (0: it must hold at once). */
  readonly withinMs: number;
  /** The condition as written, for messages. */
  readonly text: string;
}

/** A fault from chaos/ (any kind), aimed at a node, a component, or a pod's container. */
export interface FaultStep {
  readonly kind: string;
  /** The fault's target as its kind names it (a node, a component, "store"...); see chaos/. */
  readonly target?: string;
  readonly node?: string;
  readonly component?: string;
  readonly pod?: PodSelector;
  /** How long until it heals; absent: it lasts until the spec ends (the runner heals it then). */
  readonly durationMs?: number;
  readonly params?: Readonly<Record<string, number | string | boolean>>;
  /** Names the pod hit (container faults) for later conditions: pods: {ref: NAME}. */
  readonly as?: string;
}

export type Step =
  | { readonly op: 'create-deployment'; readonly name: string; readonly image: string; readonly replicas: number; readonly command?: readonly string[] }
  | { readonly op: 'apply'; readonly manifests: readonly Readonly<Record<string, unknown>>[]; readonly yaml: string }
  | { readonly op: 'scale'; readonly deployment: string; readonly replicas: number }
  | { readonly op: 'set-image'; readonly deployment: string; readonly container?: string; readonly image: string }
  | { readonly op: 'delete'; readonly kind: 'Deployment' | 'ReplicaSet' | 'Pod'; readonly name: string; readonly cascade: 'background' | 'foreground' | 'orphan' }
  | { readonly op: 'cordon' | 'uncordon'; readonly node: string }
  | { readonly op: 'rollout-status'; readonly deployment: string; readonly timeoutMs: number }
  | { readonly op: 'fault'; readonly fault: FaultStep }
  | { readonly op: 'sleep'; readonly ms: number }
  | { readonly op: 'wait'; readonly until: Condition }
  | { readonly op: 'expect'; readonly condition: Condition }
  /**
   * The condition must hold, false for at most graceMs at a stretch: for forMs (the step
   * waits that long), or without forMs in the background from here to the end of the spec
   * or to an `end` step naming it.
   */
  | { readonly op: 'always'; readonly condition: Condition; readonly graceMs: number; readonly forMs?: number; readonly name?: string }
  /** Ends the background `always` conditions named by their `as:`, judging them now. */
  | { readonly op: 'end'; readonly names: readonly string[] };

export interface ScenarioSpec {
  /** Where the spec came from, for messages. */
  readonly file: string;
  readonly metadata: SpecMetadata;
  readonly nodes: readonly SpecNode[];
  /** The namespace the spec's objects live in (default: its name), so specs can share a cluster. */
  readonly namespace: string;
  readonly steps: readonly Step[];
  /** Checked after the last step, in order. */
  readonly expectations: readonly Condition[];
  readonly invariants: readonly string[];
  /** After the last step, how long the cluster has to converge before invariants judge it. */
  readonly settleMs: number;
  /** The sim target's seed. */
  readonly seed: number;
}

/** What a step does, in a few words (for progress and failure messages). */
export function describeStep(step: Step): string {
  switch (step.op) {
    case 'create-deployment':
      return `kubectl create deployment ${step.name} --image=${step.image} --replicas=${step.replicas}`;
    case 'apply':
      return `kubectl apply -f - (${step.manifests.map((m) => `${String(m.kind)}/${String((m.metadata as { name?: string } | undefined)?.name ?? '?')}`).join(', ')})`;
    case 'scale':
      return `kubectl scale deployment/${step.deployment} --replicas=${step.replicas}`;
    case 'set-image':
      return `kubectl set image deployment/${step.deployment} ${step.container ?? '*'}=${step.image}`;
    case 'delete':
      return `kubectl delete ${step.kind.toLowerCase()} ${step.name}${step.cascade !== 'background' ? ` --cascade=${step.cascade}` : ''}`;
    case 'cordon':
    case 'uncordon':
      return `kubectl ${step.op} ${step.node}`;
    case 'rollout-status':
      return `kubectl rollout status deployment/${step.deployment} --timeout=${step.timeoutMs / 1000}s`;
    case 'fault': {
      const f = step.fault;
      const aim = f.pod ? `pod ${describeSelector(f.pod)}` : (f.node ?? f.component ?? f.target ?? '');
      return `fault ${f.kind} ${aim}${f.durationMs !== undefined ? ` for ${f.durationMs / 1000}s` : ''}`;
    }
    case 'sleep':
      return `wait ${step.ms / 1000}s`;
    case 'wait':
      return `wait until ${step.until.text}`;
    case 'expect':
      return `expect ${step.condition.text}`;
    case 'always':
      return `always ${step.condition.text}${step.forMs !== undefined ? ` for ${step.forMs / 1000}s` : ''}${step.name ? ` as ${step.name}` : ''}`;
    case 'end':
      return `end ${step.names.join(', ')}`;
  }
}

export function describeSelector(s: PodSelector): string {
  const parts: string[] = [];
  if (s.ref) parts.push(`ref ${s.ref}`);
  if (s.name) parts.push(s.name);
  if (s.labels) parts.push(Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(','));
  if (s.node) parts.push(`on ${s.node}`);
  return parts.join(' ') || 'any pod';
}
