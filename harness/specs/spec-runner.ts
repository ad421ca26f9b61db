// Runs one scenario spec through a driver, the same way on every target: the steps in order
// (operations, faults, waits, expectations polled within their bounds, `always` monitors in
// the background), then the final expectations, then — after the faults heal and the
// cluster settles — the invariants the spec names, judged on the driver's history.
// The result says pass, fail (with every reason) or skip (the target cannot do a step).

import fc from 'fast-check';
import { faultKindByName } from '../../chaos/index.js';
import { Quantity } from '../../impl/api/quantity.js';
import type { ClusterShape } from '../campaign/scenario.js';
import type { History } from '../history/history.js';
import { invariantByName } from '../invariants/index.js';
import { evaluate, selectPods, type Verdict } from './conditions.js';
import { describeSelector, describeStep, type Condition, type FaultStep, type ScenarioSpec } from './scenario-spec.js';
import { StepFailure, type ResolvedFault, type SpecDriver } from './spec-driver.js';

export type SpecStatus = 'pass' | 'fail' | 'skip';

export interface InvariantVerdict {
  readonly name: string;
  readonly ok: boolean;
  readonly checks: number;
  readonly notChecked?: string;
  readonly violations: readonly string[];
}

export interface SpecOutcome {
  readonly name: string;
  readonly file: string;
  readonly target: string;
  readonly status: SpecStatus;
  /** Why it failed or was skipped, one sentence each. */
  readonly reasons: readonly string[];
  readonly stepsRun: number;
  readonly invariants: readonly InvariantVerdict[];
  /** Time the spec covered on the target's clock (virtual in sim). */
  readonly targetMs: number;
  /** Wall-clock time, filled in by the caller that measured it. */
  wallMs: number;
}

export interface RunSpecOptions {
  /** Progress lines (one per step), for `kubeprop run` and test output. */
  readonly log?: (line: string) => void;
}

/** The cluster shape in the campaign's terms, for fault generators. */
export function clusterShapeOf(spec: ScenarioSpec): ClusterShape {
  return {
    nodes: spec.nodes.map((n) => ({
      name: n.name,
      cpuMilli: Number(Quantity.parse(n.capacity.cpu).milliValue()),
      memoryMi: Math.floor(Number(Quantity.parse(n.capacity.memory).value()) / (1024 * 1024)),
      pods: n.capacity.pods,
      labels: n.labels,
      taints: n.taints,
    })),
  };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/** Polls a condition until it holds or its bound passes; a failing read counts as "not yet". */
async function pollUntil(condition: Condition, driver: SpecDriver, refs: ReadonlyMap<string, string>): Promise<Verdict> {
  const start = driver.now();
  for (;;) {
    let v: Verdict;
    try {
      v = await evaluate(condition, driver, refs);
    } catch (e) {
      v = { ok: false, detail: `could not observe: ${e instanceof Error ? e.message : String(e)}` };
    }
    const elapsed = driver.now() - start;
    if (v.ok || elapsed >= condition.withinMs) return v;
    await driver.sleep(Math.min(driver.pollMs, condition.withinMs - elapsed));
  }
}

/** An `always` condition watched in the background until the runner stops it. */
class Monitor {
  private stopped = false;
  failure: string | undefined;
  private readonly loop: Promise<void>;

  constructor(
    private readonly label: string,
    private readonly condition: Condition,
    private readonly graceMs: number,
    private readonly driver: SpecDriver,
    private readonly refs: ReadonlyMap<string, string>,
    private readonly t0: number,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let falseSince: number | undefined;
    let lastDetail = '';
    while (!this.stopped) {
      let v: Verdict;
      try {
        v = await evaluate(this.condition, this.driver, this.refs);
      } catch (e) {
        v = { ok: false, detail: `could not observe: ${e instanceof Error ? e.message : String(e)}` };
      }
      const now = this.driver.now();
      if (v.ok) falseSince = undefined;
      else {
        falseSince ??= now;
        lastDetail = v.detail;
        // Without grace one false sample fails it; with grace, a stretch longer than the grace.
        if ((this.graceMs === 0 || now - falseSince > this.graceMs) && this.failure === undefined) {
          const how = this.graceMs === 0 ? 'was false' : `was false for more than ${seconds(this.graceMs)} from`;
          this.failure = `${this.label}: "${this.condition.text}" ${how} ${seconds(falseSince - this.t0)} into the spec: ${lastDetail}`;
        }
      }
      if (this.stopped) break;
      await this.driver.sleep(this.driver.pollMs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/** Names the fault's target and, for container faults aimed at a pod, finds the victim. */
async function resolveFault(spec: ScenarioSpec, f: FaultStep, driver: SpecDriver, refs: ReadonlyMap<string, string>): Promise<ResolvedFault> {
  const kind = faultKindByName(f.kind);
  if (!kind) throw new StepFailure(`unknown fault kind ${f.kind}`);
  // The kind's own generator supplies what the spec leaves out (its usual target and params), drawn from the spec's seed.
  const [drawn] = fc.sample(kind.arbitrary(clusterShapeOf(spec), 1), { seed: spec.seed, numRuns: 1 });
  const params = { ...(drawn?.params ?? {}), ...(f.params ?? {}) };
  const durationMs = f.durationMs;
  if (f.pod) {
    const candidates = selectPods(await driver.pods(), f.pod, refs).filter((p) => (p.status?.containerStatuses ?? []).some((c) => c.state?.running));
    const pod = candidates[0];
    if (!pod) throw new StepFailure(`no pod matching ${describeSelector(f.pod)} has a running container to hit`);
    const container = (pod.status?.containerStatuses ?? []).find((c) => c.state?.running)!;
    return {
      kind: f.kind,
      target: pod.spec?.nodeName ?? '',
      params,
      ...(durationMs !== undefined ? { durationMs } : {}),
      pod: {
        name: pod.metadata?.name ?? '',
        uid: pod.metadata?.uid ?? '',
        node: pod.spec?.nodeName ?? '',
        container: container.name,
        ...(container.containerID ? { containerID: container.containerID } : {}),
      },
    };
  }
  const target = f.target ?? f.node ?? f.component ?? drawn?.target ?? '';
  return { kind: f.kind, target, params, ...(durationMs !== undefined ? { durationMs } : {}) };
}

/** Why a spec about one container runtime does not run on this target, or undefined when it does. */
export function runtimeProblem(spec: ScenarioSpec, target: string, runtime: string | undefined): string | undefined {
  const wanted = spec.metadata.runtime;
  if (wanted === undefined || wanted === runtime) return undefined;
  return `the spec is about the ${wanted} runtime; the ${target} target runs ${runtime ? `the ${runtime} runtime` : 'simulated containers'} (run it with --target local --runtime ${wanted})`;
}

/** Runs the spec on the driver. Never throws for a failing spec: the outcome says why. */
export async function runSpec(spec: ScenarioSpec, driver: SpecDriver, options: RunSpecOptions = {}): Promise<SpecOutcome> {
  const log = options.log ?? (() => {});
  const t0 = driver.now();
  const base = { name: spec.metadata.name, file: spec.file, target: driver.target };
  const wrongRuntime = runtimeProblem(spec, driver.target, driver.runtime);
  if (wrongRuntime) return { ...base, status: 'skip', reasons: [wrongRuntime], stepsRun: 0, invariants: [], targetMs: 0, wallMs: 0 };
  const unsupported = spec.steps.flatMap((s) => (s.op === 'fault' && !driver.canInject(s.fault.kind) ? [s.fault.kind] : []));
  if (unsupported.length > 0) {
    return { ...base, status: 'skip', reasons: [`the ${driver.target} target cannot inject ${[...new Set(unsupported)].join(', ')}`], stepsRun: 0, invariants: [], targetMs: 0, wallMs: 0 };
  }

  const reasons: string[] = [];
  const refs = new Map<string, string>();
  /** Background `always` conditions still watched, with their names (if any). */
  const monitors = new Map<Monitor, string | undefined>();
  let healsBy = t0;
  let stepsRun = 0;
  for (const [i, step] of spec.steps.entries()) {
    const label = `step ${i + 1} (${describeStep(step)})`;
    log(`  ${seconds(driver.now() - t0).padStart(7)} ${label}`);
    try {
      switch (step.op) {
        case 'sleep':
          await driver.sleep(step.ms);
          break;
        case 'wait':
        case 'expect': {
          const condition = step.op === 'wait' ? step.until : step.condition;
          const v = await pollUntil(condition, driver, refs);
          if (!v.ok) reasons.push(`${label}: ${condition.withinMs > 0 ? `not within ${seconds(condition.withinMs)}` : 'does not hold'}: ${v.detail}`);
          break;
        }
        case 'always': {
          const monitor = new Monitor(label, step.condition, step.graceMs, driver, refs, t0);
          if (step.forMs === undefined) {
            monitors.set(monitor, step.name);
            break;
          }
          await driver.sleep(step.forMs);
          await monitor.stop();
          if (monitor.failure) reasons.push(monitor.failure);
          break;
        }
        case 'end':
          for (const [m, name] of monitors) {
            if (name === undefined || !step.names.includes(name)) continue;
            monitors.delete(m);
            await m.stop();
            if (m.failure) reasons.push(m.failure);
          }
          break;
        case 'fault': {
          const fault = await resolveFault(spec, step.fault, driver, refs);
          await driver.inject(fault);
          if (step.fault.as && fault.pod) refs.set(step.fault.as, fault.pod.name);
          if (fault.durationMs !== undefined) healsBy = Math.max(healsBy, driver.now() + fault.durationMs);
          break;
        }
        default:
          await driver.perform(step);
      }
    } catch (e) {
      reasons.push(`${label} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    stepsRun++;
    if (reasons.length > 0) break;
  }

  if (reasons.length === 0) {
    for (const [i, condition] of spec.expectations.entries()) {
      log(`  ${seconds(driver.now() - t0).padStart(7)} expectation ${i + 1} (${condition.text})`);
      const v = await pollUntil(condition, driver, refs);
      if (!v.ok) reasons.push(`expectation ${i + 1} (${condition.text}): ${condition.withinMs > 0 ? `not within ${seconds(condition.withinMs)}` : 'does not hold'}: ${v.detail}`);
    }
  }
  for (const m of monitors.keys()) {
    await m.stop();
    if (m.failure) reasons.push(m.failure);
  }

  const invariants: InvariantVerdict[] = [];
  if (spec.invariants.length > 0 && reasons.length === 0) {
    // Faults that last "until the spec ends" end now; then the cluster gets settleMs to converge.
    await driver.healAll();
    if (driver.now() < healsBy) await driver.sleep(healsBy - driver.now());
    const healedAt = driver.now();
    log(`  ${seconds(healedAt - t0).padStart(7)} invariants (${spec.invariants.join(', ')}) after up to ${seconds(spec.settleMs)} to settle`);
    const convergence = spec.invariants.includes('convergence') ? invariantByName('convergence') : undefined;
    let history: History;
    for (;;) {
      const final = await driver.finalState();
      history = driver.history(final, healedAt, spec.settleMs);
      if (!convergence || convergence.check(history).ok || driver.now() - healedAt >= spec.settleMs) break;
      await driver.sleep(Math.max(driver.pollMs, 1000));
    }
    for (const name of spec.invariants) {
      const inv = invariantByName(name)!;
      const r = inv.check(history);
      invariants.push({ name, ok: r.ok, checks: r.checks, ...(r.notChecked ? { notChecked: r.notChecked } : {}), violations: r.violations.map((v) => v.message) });
      for (const v of r.violations) reasons.push(`invariant ${name}: ${v.message}`);
    }
  }
  return { ...base, status: reasons.length ? 'fail' : 'pass', reasons, stepsRun, invariants, targetMs: driver.now() - t0, wallMs: 0 };
}
