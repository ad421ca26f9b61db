// What a target must offer to run scenario specs: carry out a step the way a user would
// (kubectl where there is one), inject a fault, and answer the questions conditions ask —
// objects, kubectl's tables, a pod's events and logs, the runtimes' real containers — and,
// at the end, a history for the invariants. The sim and local drivers implement it; the
// spec runner (spec-runner.ts) is the same for both.

import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { FinalState, History } from '../history/history.js';
import type { Step } from './scenario-spec.js';

export type { Deployment, Node, Pod, ReplicaSet };

/** A printed table, as kubectl shows it: upper-case headers and one string per cell. */
export interface PrintedTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** One line of the Events section of `kubectl describe`. */
export interface DescribedEvent {
  readonly type: string;
  readonly reason: string;
  readonly from: string;
  readonly message: string;
}

/** A container a node's runtime really holds, by the pod it belongs to. */
export interface RuntimeContainer {
  readonly node: string;
  readonly id: string;
  readonly running: boolean;
  readonly container?: string;
  readonly pod?: { readonly namespace: string; readonly name: string; readonly uid: string };
}

/** A fault resolved against the cluster: its target named, its victim found. */
export interface ResolvedFault {
  readonly kind: string;
  /** What the fault kind aims at: a node, a component, "store"... */
  readonly target: string;
  readonly durationMs?: number;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  /** For container faults aimed at a pod: the pod and the container hit. */
  readonly pod?: { readonly name: string; readonly uid: string; readonly node: string; readonly container: string; readonly containerID?: string };
}

/** The user operations a driver carries out (everything but waits, expectations and faults). */
export type OperationStep = Extract<Step, { op: 'create-deployment' | 'apply' | 'scale' | 'set-image' | 'delete' | 'cordon' | 'uncordon' | 'rollout-status' }>;

/** A step a user would see fail (kubectl exits non-zero; the API refuses). */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
}

export interface SpecDriver {
  /** sim | local */
  readonly target: string;
  /** The nodes' container runtime (local: process | docker); none for simulated containers. */
  readonly runtime?: string;
  /** How often conditions are polled (virtual ms in sim). */
  readonly pollMs: number;
  /** The target's clock: virtual in sim, wall in live. */
  now(): number;
  sleep(ms: number): Promise<void>;

  /** Carries out an operation; throws StepFailure with what the user would read. */
  perform(step: OperationStep): Promise<void>;
  /** Injects a fault now; it heals after durationMs, or when the spec ends. Throws StepFailure when the target cannot inject it. */
  inject(fault: ResolvedFault): Promise<void>;
  /** Whether this target can inject the kind at all (else the spec is skipped here). */
  canInject(kind: string): boolean;

  pods(): Promise<Pod[]>;
  deployments(): Promise<Deployment[]>;
  replicaSets(): Promise<ReplicaSet[]>;
  nodes(): Promise<Node[]>;
  /** `kubectl get RESOURCE [NAME] [-l SELECTOR] [-o wide]` in the spec's namespace. */
  table(resource: string, options: { readonly name?: string; readonly labelSelector?: string; readonly wide: boolean }): Promise<PrintedTable>;
  /** The Events section of `kubectl describe pod NAME`. */
  describePod(name: string): Promise<DescribedEvent[]>;
  /** `kubectl logs NAME [-c CONTAINER]`. */
  logs(pod: string, container?: string): Promise<string>;
  /** Every container in every node's runtime that belongs to a pod of the spec's namespace. */
  containers(): Promise<RuntimeContainer[]>;

  /** The state now, for the invariants: objects of the spec's namespace, nodes, runtimes. */
  finalState(): Promise<FinalState>;
  /** What was recorded so far, completed with a final state. */
  history(final: FinalState, healedAt: number, convergenceBoundMs: number): History;
  /** Ends the spec's faults that have not healed (a lost node comes back). */
  healAll(): Promise<void>;
}
