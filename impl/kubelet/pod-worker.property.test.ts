// A property of the kubelet's pod workers, fuzzed in the sim kernel against the real API
// server: whatever its containers do (exit codes, crash times), whatever the restart policy,
// and whatever the harness does to them (kills, crashes, kubelet restarts), the pod's
// reported phase only moves Pending → Running → Succeeded|Failed, restartCount never
// decreases, Never never restarts, and no container runs twice.

import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import { assertProperty } from '../../specs/support/property.js';
import { CONTAINER_NAME_LABEL } from '../runtime/runtime.js';
import type { KubeletMutants } from './mutants.js';
import { KubeletSim, createBound } from './testing/kubelet-sim.js';

type Behaviour = { readonly kind: 'idle' } | { readonly kind: 'exit'; readonly afterS: number; readonly code: number };
type Fault =
  | { readonly atS: number; readonly kind: 'kill' | 'crash'; readonly container: number; readonly code: number }
  | { readonly atS: number; readonly kind: 'kubelet-restart'; readonly downS: number };

interface Scenario {
  readonly policy: 'Always' | 'OnFailure' | 'Never';
  readonly containers: readonly Behaviour[];
  readonly faults: readonly Fault[];
  readonly seed: number;
}

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  fc.constant<Behaviour>({ kind: 'idle' }),
  fc.record({ kind: fc.constant('exit' as const), afterS: fc.integer({ min: 0, max: 400 }), code: fc.constantFrom(0, 1, 2, 42) }),
);

const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ atS: fc.integer({ min: 1, max: 900 }), kind: fc.constantFrom('kill' as const, 'crash' as const), container: fc.nat({ max: 1 }), code: fc.constantFrom(0, 1, 137) }),
  fc.record({ atS: fc.integer({ min: 1, max: 900 }), kind: fc.constant('kubelet-restart' as const), downS: fc.integer({ min: 0, max: 60 }) }),
);

const scenario: fc.Arbitrary<Scenario> = fc.record({
  policy: fc.constantFrom('Always' as const, 'OnFailure' as const, 'Never' as const),
  containers: fc.array(behaviour, { minLength: 1, maxLength: 2 }),
  faults: fc.array(fault, { maxLength: 5 }),
  seed: fc.nat(),
});

function command(b: Behaviour): string[] {
  return b.kind === 'idle' ? ['sleep', 'infinity'] : ['sh', '-c', `sleep ${b.afterS}; exit ${b.code}`];
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Running: 1, Succeeded: 2, Failed: 2 };

let sim: KubeletSim | undefined;
afterEach(() => sim?.stop());

async function check(s: Scenario, mutants: KubeletMutants = {}): Promise<void> {
  sim = new KubeletSim({ seed: s.seed, nodes: ['n1'], kubelet: { mutants } });
  const w = sim;
  await w.start();
  const names = s.containers.map((_, i) => `c${i}`);
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'default' },
    spec: { restartPolicy: s.policy, containers: s.containers.map((b, i) => ({ name: names[i]!, image: 'busybox:1.36', command: command(b) })) },
  };
  await w.drive((api) => createBound(api, pod, 'n1'));
  const t0 = w.kernel.now();
  const duplicates: string[] = [];
  const noDuplicates = (when: string) => {
    const running = w.runtime('n1').listContainers().filter((c) => c.state === 'running');
    for (const name of names) {
      const n = running.filter((c) => c.labels[CONTAINER_NAME_LABEL] === name).length;
      if (n > 1) duplicates.push(`${when}: ${n} running containers for ${name}`);
    }
  };
  for (const f of s.faults) {
    w.kernel.at(t0 + f.atS * 1000, () => {
      noDuplicates(`at ${f.atS}s`);
      if (f.kind === 'kubelet-restart') {
        // A restart while it is already down is no fault at all.
        if (!w.kernel.process('kubelet/n1')) return;
        w.stopKubelet('n1');
        w.kernel.after(f.downS * 1000, () => w.startKubelet('n1'));
        return;
      }
      const target = w.runtime('n1').listContainers().find((c) => c.state === 'running' && c.labels[CONTAINER_NAME_LABEL] === names[f.container]);
      if (!target) return;
      if (f.kind === 'kill') w.runtime('n1').kill(target.id, 'SIGKILL');
      else w.runtime('n1').crash(target.id, f.code);
    });
  }
  await w.advance(20 * 60_000);
  noDuplicates('at the end');
  const violations: string[] = [...duplicates];
  const history = w.podHistory('p').filter((r) => r.type !== 'DELETED');
  let lastPhase = 'Pending';
  const lastRestarts = new Map<string, number>();
  for (const r of history) {
    const phase = r.pod.status?.phase ?? 'Pending';
    if ((PHASE_ORDER[phase] ?? -1) < (PHASE_ORDER[lastPhase] ?? -1) || (PHASE_ORDER[lastPhase] === 2 && phase !== lastPhase)) {
      violations.push(`phase went ${lastPhase} → ${phase} at ${(r.at - t0) / 1000}s`);
    }
    lastPhase = phase;
    for (const cs of r.pod.status?.containerStatuses ?? []) {
      const before = lastRestarts.get(cs.name) ?? 0;
      if (cs.restartCount < before) violations.push(`${cs.name} restartCount went ${before} → ${cs.restartCount} at ${(r.at - t0) / 1000}s`);
      if (s.policy === 'Never' && cs.restartCount > 0) violations.push(`${cs.name} restarted under restartPolicy Never`);
      lastRestarts.set(cs.name, Math.max(before, cs.restartCount));
    }
  }
  // A pod whose containers all exit under Never/OnFailure ends terminal; Always never does.
  if (s.policy === 'Always' && (lastPhase === 'Succeeded' || lastPhase === 'Failed')) violations.push(`restartPolicy Always ended ${lastPhase}`);
  w.stop();
  if (violations.length > 0) throw new Error(`${violations.join('\n')}\nscenario: ${JSON.stringify(s)}`);
}

describe('pod worker property', () => {
  it('phases only move forward, restartCount never decreases, no container runs twice', async () => {
    await assertProperty(fc.asyncProperty(scenario, (s) => check(s)), { file: 'impl/kubelet/pod-worker.property.test.ts', numRuns: 25 });
  }, 300_000);

  it('catches the kubelet mutants it is about', async () => {
    const idle: Scenario = { policy: 'Always', containers: [{ kind: 'idle' }], faults: [{ atS: 60, kind: 'kubelet-restart', downS: 10 }], seed: 1 };
    await expect(check(idle, { noAdoption: true })).rejects.toThrow(/2 running containers for c0/);
    const restarts: Scenario = {
      policy: 'Always',
      containers: [{ kind: 'idle' }],
      faults: [
        { atS: 30, kind: 'kill', container: 0, code: 137 },
        { atS: 60, kind: 'kubelet-restart', downS: 5 },
        { atS: 120, kind: 'kill', container: 0, code: 137 },
      ],
      seed: 2,
    };
    await expect(check(restarts, { forgetRestartCount: true })).rejects.toThrow(/restartCount went 1 → 0/);
    const never: Scenario = { policy: 'Never', containers: [{ kind: 'exit', afterS: 5, code: 0 }], faults: [], seed: 3 };
    await expect(check(never)).resolves.toBeUndefined();
  });
});
