// The Docker walkthroughs (specs/docker/*.yaml) on `kubeprop up --fast --runtime docker`:
// the kubelets run pods as containers of the real Docker Engine, every step goes through the
// real kubectl, container kills are the docker CLI's `docker kill`, and what the nodes really
// run is read from the engine. Seed 004's `docker ps` / `docker kill` / RESTARTS 1 first, then
// a lost node whose containers outlive its kubelet until it comes back to clean them up. Both
// share one cluster; its containers are removed by label when it stops.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpecFile, LocalSpecTarget, runSpecOnSim, type ScenarioSpec, type SpecOutcome } from '../../harness/specs/index.js';
import { dockerAvailable, ensureImages } from '../support/docker.js';

const DIR = import.meta.dirname;
const specs: ScenarioSpec[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => loadSpecFile(join(DIR, f)));
/** The quick walkthrough first; the node loss waits out detection, eviction and the node's return (~90 s). */
const ordered = [...specs.filter((s) => s.metadata.name === 'docker-kill'), ...specs.filter((s) => s.metadata.name !== 'docker-kill')];

const available = await dockerAvailable();

function explain(o: SpecOutcome): string {
  return `${o.name} on ${o.target}: ${o.status}\n${o.reasons.map((r) => `  - ${r}`).join('\n')}`;
}

describe('the Docker walkthroughs', () => {
  it('are about the docker runtime: sim and the process runtime skip them and say why', async () => {
    expect(specs.map((s) => s.metadata.name).sort()).toEqual(['docker-kill', 'docker-node-loss']);
    const processTarget = new LocalSpecTarget({ runtime: 'process' });
    for (const spec of specs) {
      // Neither starts a cluster for a spec it skips.
      for (const o of [await runSpecOnSim(spec), await processTarget.run(spec)]) {
        expect(o.status, explain(o)).toBe('skip');
        expect(o.reasons.join('\n')).toMatch(/about the docker runtime.*--runtime docker/);
      }
    }
    await processTarget.close();
  });
});

describe.skipIf(!available)('the Docker walkthroughs on kubeprop up --runtime docker (real Docker Engine, real kubectl, docker kill)', () => {
  const target = new LocalSpecTarget({ runtime: 'docker' });
  beforeAll(() => ensureImages(['busybox']), 120_000);
  afterAll(() => target.close(), 120_000);

  // The first test also starts the cluster (~15–30 s on two busy cores).
  it.each(ordered.map((s) => [s.metadata.name, s] as const))('%s', { timeout: 240_000 }, async (_name, spec) => {
    const o = await target.run(spec);
    expect(o.status, explain(o)).toBe('pass');
    for (const inv of o.invariants) expect(inv.ok, `${inv.name}: ${inv.violations.join('; ')}`).toBe(true);
    expect(o.invariants.map((i) => i.name)).toContain('convergence');
  });
});
