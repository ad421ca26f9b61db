// A history: everything a target recorded about one run, timestamped, for checkers to judge.
// Checkers read only this (never a target's internals), so they judge the reference in
// sim, the reference as processes, and someone else's cluster alike. Parts a target cannot
// observe are absent (e.g. store revisions from a managed cluster), and checkers that need
// them report "not checked" rather than passing vacuously.

/** Milliseconds on the target's clock (virtual in sim). */
export type Time = number;

/** One write to the store, as the store saw it (sim and local targets). */
export interface StoreWrite {
  readonly revision: number;
  readonly time: Time;
  /** Keys written at this revision, with what happened to each. */
  readonly changes: readonly { readonly key: string; readonly type: 'put' | 'delete' }[];
}

/** One API request, as the API server's audit log recorded it. */
export interface AuditEntry {
  readonly auditID: string;
  readonly time: Time;
  readonly user: string;
  readonly verb: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly code: number;
  /** Store revisions the request wrote. */
  readonly revisions: readonly number[];
}

/** A summary of an object in a watch event: what invariants look at. */
export interface ObjectSummary {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: number;
  readonly generation?: number;
  readonly deleting?: boolean;
  /** metadata.deletionGracePeriodSeconds, while the object is being deleted gracefully. */
  readonly deletionGracePeriodSeconds?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ownerUids?: readonly string[];
  /**
   * The owners whose ownerReference sets blockOwnerDeletion: an owner deleted in the
   * foreground must outlive these dependents (the garbage-collection checker reads it).
   */
  readonly blockingOwnerUids?: readonly string[];
  /** metadata.finalizers (foregroundDeletion and orphan say how an owner is being deleted). */
  readonly finalizers?: readonly string[];
  /** Pods */
  readonly phase?: string;
  readonly nodeName?: string;
  readonly restartCounts?: Readonly<Record<string, number>>;
  /**
   * Per container: 'running', 'waiting' or 'terminated', optionally followed by ':' and the
   * reason ('waiting:ImagePullBackOff', 'terminated:Error'). Convergence reads the reason to
   * tell a pod that cannot become ready (missing image, crash loop) from a stuck one.
   */
  readonly containerStates?: Readonly<Record<string, string>>;
  readonly ready?: boolean;
  /**
   * PodScheduled: true when True, false when False (the scheduler tried and found no node),
   * absent when the pod has no such condition yet (the scheduler has not looked at it).
   */
  readonly scheduledCondition?: boolean;
  /**
   * The pod's effective requests as the scheduler must count them (upstream's
   * resource.PodRequests): the larger of its app containers (plus restartable init
   * containers) and its largest init container, plus spec.overhead.
   */
  readonly requests?: { readonly cpuMilli: number; readonly memoryBytes: number };
  /** spec.tolerations as the pod carries them (admission's default ones included). */
  readonly tolerations?: readonly TolerationSummary[];
  readonly image?: string;
  readonly podTemplateHash?: string;
  /** Deployments and ReplicaSets */
  readonly replicas?: number;
  /**
   * A target-independent digest of spec.template with the pod-template-hash label removed,
   * computed alike for a Deployment and its ReplicaSets, so a checker can tell which
   * ReplicaSet carries the Deployment's current template (upstream's EqualIgnoreHash)
   * without knowing how a target hashes templates.
   */
  readonly templateDigest?: string;
  /** ReplicaSets: the deployment.kubernetes.io/revision annotation. */
  readonly revision?: number;
  /** The numeric status fields as the object carries them (omitted ones count as 0). */
  readonly status?: Readonly<Record<string, number>>;
  /**
   * RollingUpdate Deployments only, resolved to absolute numbers against spec.replicas as
   * upstream's ResolveFenceposts does; absent for Recreate (safety then skips the rollout bounds).
   */
  readonly maxSurge?: number;
  readonly maxUnavailable?: number;
  /** Deployments: spec.strategy.type (RollingUpdate when unset, as upstream defaults it). */
  readonly strategy?: string;
  /** Nodes */
  readonly allocatable?: { readonly cpuMilli: number; readonly memoryBytes: number };
  readonly nodeReady?: string;
  readonly unschedulable?: boolean;
  /** spec.podCIDR, once Node IPAM (or whoever) has set it. */
  readonly podCIDR?: string;
  /** spec.taints; timeAdded (NoExecute taints) in milliseconds. */
  readonly taints?: readonly TaintSummary[];
}

/** A node's taint as a summary carries it. */
export interface TaintSummary {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
  readonly timeAdded?: number;
}

/** A pod's toleration as a summary carries it (the core/v1 fields). */
export interface TolerationSummary {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/** One event one observer saw on one watch stream. */
export interface WatchObservation {
  readonly observer: string;
  /** Identifies the stream (one observer re-watches after a drop: a new stream id). */
  readonly stream: string;
  /** What the stream watches; lets api-semantics match it against the store's writes. */
  readonly scope?: WatchScope;
  /**
   * A synthetic ADDED event for an object that existed when a watch without a
   * resourceVersion started: state, not a change, so it is exempt from ordering.
   */
  readonly initial?: boolean;
  readonly time: Time;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: ObjectSummary;
}

/** The request a watch stream was opened with. */
export interface WatchScope {
  /** The resource's plural as in store keys and URLs: pods, replicasets, nodes. */
  readonly resource: string;
  /** Absent: all namespaces (or a cluster-scoped resource). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** The resourceVersion the watch started after; absent or 0: from the current state. */
  readonly resourceVersion?: number;
}

/** What a node's container runtime did. */
export interface RuntimeRecord {
  readonly time: Time;
  readonly node: string;
  readonly containerId: string;
  readonly type: 'created' | 'started' | 'exited' | 'killed' | 'removed';
  readonly pod?: { readonly namespace: string; readonly name: string; readonly uid: string };
  readonly container?: string;
  readonly exitCode?: number;
  /**
   * 'killed': the signal delivered (15 SIGTERM, 9 SIGKILL; a trapped SIGTERM is delivered
   * too, and the container runs on).
   */
  readonly signal?: number;
  /**
   * 'killed': on whose behalf — a stop request (the kubelet's StopContainer: SIGTERM, then
   * SIGKILL once the grace period it gave ran out) or a direct kill (`docker kill`, a
   * container-kill fault).
   */
  readonly request?: 'stop' | 'kill';
  /** 'exited': the container died with its machine (node loss or reboot), not on its own. */
  readonly powerOff?: boolean;
  /**
   * The kubelet's digest of the container's spec (the io.kubernetes.container.hash label),
   * when the runtime labels it: a new spec (a new image) is a new container to upstream's
   * back-off, which keys on it.
   */
  readonly specHash?: string;
}

/** A user operation the harness performed, and how it ended. */
export interface OperationRecord {
  readonly index: number;
  readonly time: Time;
  readonly op: string;
  /** The object ("default/web") or node the operation named. */
  readonly target: string;
  /** The kind of the object it acted on, when it names one (Deployment, Pod, ...). */
  readonly kind?: string;
  /** HTTP status, or 0 when the request got no answer (network fault). */
  readonly code: number;
  readonly resourceVersion?: number;
  /** For deletes: the propagationPolicy the request asked for (absent: the server's default). */
  readonly propagation?: 'Foreground' | 'Background' | 'Orphan';
  /** For stale updates: the resourceVersion the update was based on. */
  readonly basedOn?: number;
  /** Operations issued together (duplicate creates) share a group id. */
  readonly group?: string;
  readonly detail?: string;
}

export interface FaultRecord {
  readonly time: Time;
  readonly kind: string;
  readonly target: string;
  readonly phase: 'inject' | 'heal';
  readonly detail?: string;
}

/** A container really present in a node's runtime at the end of the run. */
export interface FinalContainer {
  readonly node: string;
  readonly containerId: string;
  /** The container's name in its pod's spec, when the runtime labels it. */
  readonly container?: string;
  readonly running: boolean;
  readonly pod?: { readonly namespace: string; readonly name: string; readonly uid: string };
}

/** The state at the end of the run, after the heal phase and quiet period. */
export interface FinalState {
  readonly time: Time;
  readonly objects: readonly ObjectSummary[];
  /**
   * Containers really present in each node's runtime; absent when the target cannot see
   * its nodes' runtimes (someone else's cluster), and checkers then say so.
   */
  readonly containers?: readonly FinalContainer[];
  /** Nodes that exist as machines (a lost node is gone even if its Node object remains). */
  readonly liveNodes: readonly string[];
}

export interface History {
  readonly target: string;
  readonly seed?: number;
  /** When the last fault healed: convergence is judged from here. */
  readonly healedAt: Time;
  /** How long after healedAt the target must have converged. */
  readonly convergenceBoundMs: number;
  /**
   * How long the target's node lifecycle controller lets a node's heartbeats (renewals of its
   * Lease in kube-node-lease) lapse before it marks the node Unknown (upstream
   * --node-monitor-grace-period), when the target knows its configuration; checkers assume
   * upstream's default otherwise.
   */
  readonly nodeMonitorGracePeriodMs?: number;
  readonly storeWrites?: readonly StoreWrite[];
  readonly audit?: readonly AuditEntry[];
  readonly watches: readonly WatchObservation[];
  readonly runtime?: readonly RuntimeRecord[];
  readonly operations: readonly OperationRecord[];
  readonly faults: readonly FaultRecord[];
  readonly final?: FinalState;
  /** Time by which the final state was reached (when the checker may accept convergence). */
  readonly convergedAt?: Time;
}
