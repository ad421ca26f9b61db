// Shared by the fault kinds' tests: a small scenario (three nodes, one Deployment) with the
// faults under test, run on the sim target and judged by every invariant, plus readers for
// the effects the tests look for in the history.

import { expect } from 'vitest';
import type { Fault, Manifest, NodeShape, Scenario, TimedOperation } from '../harness/campaign/scenario.js';
import { judge } from '../harness/campaign/campaign.js';
import type { AuditEntry, FaultRecord, History, ObjectSummary } from '../harness/history/history.js';
import { INVARIANTS } from '../harness/invariants/index.js';
import { createSimTarget } from '../harness/targets/sim-target.js';
import type { RunOutcome } from '../harness/targets/target.js';

export const DEPLOYMENT = 'web';

export function deployment(name: string, replicas: number): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
      },
    },
  };
}

export function node(name: string, extra: Partial<NodeShape> = {}): NodeShape {
  return { name, cpuMilli: 2000, memoryMi: 4096, pods: 110, ...extra };
}

export interface FaultScenario {
  readonly faults: readonly Fault[];
  readonly seed?: number;
  readonly replicas?: number;
  readonly nodes?: readonly NodeShape[];
  /** Operations after the Deployment's create (at 0). */
  readonly operations?: readonly TimedOperation[];
  readonly convergenceBoundMs?: number;
}

/** Three nodes, a Deployment `web` created at 0 with 4 replicas (Running by ~10 s), and the faults. */
export function faultScenario(s: FaultScenario): Scenario {
  return {
    seed: s.seed ?? 7,
    cluster: { nodes: s.nodes ?? [node('node-1'), node('node-2'), node('node-3')] },
    operations: [{ at: 0, operation: { op: 'create', manifest: deployment(DEPLOYMENT, s.replicas ?? 4) } }, ...(s.operations ?? [])],
    faults: s.faults,
    convergenceBoundMs: s.convergenceBoundMs ?? 120_000,
  };
}

/** Runs the scenario on the sim target and expects every invariant to hold. */
export async function runClean(scenario: Scenario): Promise<RunOutcome> {
  const outcome = await createSimTarget().run(scenario);
  const verdict = judge(outcome, INVARIANTS);
  expect(verdict.failed?.result.violations.map((v) => v.message) ?? [], `invariant ${verdict.failed?.invariant ?? ''}`).toEqual([]);
  return outcome;
}

export function faultLog(history: History, kind: string): FaultRecord[] {
  return history.faults.filter((f) => f.kind === kind);
}

/** The time a fault of the scenario happens, on the history's clock. */
export function injectedAt(history: History, kind: string): number {
  const f = faultLog(history, kind).find((r) => r.phase === 'inject');
  if (!f) throw new Error(`no ${kind} was injected`);
  return f.time;
}

/** The last version of each object of a kind any observer saw, by uid. */
export function lastSeen(history: History, kind: string): Map<string, ObjectSummary> {
  const out = new Map<string, ObjectSummary>();
  for (const w of history.watches) if (w.object.kind === kind) out.set(w.object.uid, w.object);
  return out;
}

export function finalPods(history: History): ObjectSummary[] {
  return (history.final?.objects ?? []).filter((o) => o.kind === 'Pod');
}

export function runningPods(history: History, app = DEPLOYMENT): ObjectSummary[] {
  return finalPods(history).filter((p) => p.phase === 'Running' && p.labels?.app === app && !p.deleting);
}

/** Sum of the restart counts of a pod's containers. */
export function restarts(pod: ObjectSummary): number {
  return Object.values(pod.restartCounts ?? {}).reduce((a, b) => a + b, 0);
}

/** Audit entries of one user (a component's identity) from `since` on. */
export function auditOf(history: History, user: string, since: number, filter: (a: AuditEntry) => boolean = () => true): AuditEntry[] {
  return (history.audit ?? []).filter((a) => a.user === user && a.time >= since && filter(a));
}
