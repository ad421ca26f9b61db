// A bounded live chaos campaign on Docker, as a user runs it: `kubeprop fuzz --target local
// --runtime docker --time 120s --faults container-kill,node-loss` with a fixed seed. The
// command starts `kubeprop up --runtime docker` itself, kills containers through the engine
// and kubelets by SIGKILL (their containers run on in the engine, to be adopted or cleaned
// up), judges every run with every invariant — the runtime part of convergence read from
// the engine — and removes every container it made. The seed is fixed; which scenarios it
// draws follows the generators. About 2.5 minutes.

import Docker from 'dockerode';
import { execa } from 'execa';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_LABEL } from '../../impl/runtime/docker/index.js';
import { dockerAvailable, ensureImages } from '../support/docker.js';

const BIN = fileURLToPath(new URL('../../bin/kubeprop.js', import.meta.url));
const SEED = 2;
const available = await dockerAvailable();

interface FuzzSummary {
  readonly ok: boolean;
  readonly target: string;
  readonly runtime?: string;
  readonly runs: number;
  readonly faults: number;
  readonly seed: number;
  readonly invariants: readonly { readonly name: string; readonly ok: boolean; readonly checks: number }[];
  readonly counterexample?: { readonly invariant: string; readonly violations: readonly string[]; readonly file: string };
}

/** Containers a `kubeprop up` cluster in a temporary directory made and left behind once that directory was gone. */
async function leftBehind(docker: Docker, since: number): Promise<string[]> {
  const all = await docker.listContainers({ all: true, filters: { label: [CLUSTER_LABEL] } });
  return all
    .filter((c) => c.Created * 1000 >= since - 1000)
    .filter((c) => {
      const cluster = c.Labels[CLUSTER_LABEL] ?? '';
      return cluster.startsWith(join(tmpdir(), 'kubeprop-local-')) && !existsSync(cluster);
    })
    .map((c) => `${c.Names.join(',')} (${c.State}, cluster ${c.Labels[CLUSTER_LABEL]})`);
}

describe.skipIf(!available)('kubeprop fuzz --target local --runtime docker', () => {
  const out = mkdtempSync(join(tmpdir(), 'kubeprop-docker-fuzz-'));
  beforeAll(() => ensureImages(), 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('holds every invariant for 120 s of container kills and node losses, and leaves no container behind', { timeout: 330_000 }, async () => {
    const started = Date.now();
    const args = ['fuzz', '--target', 'local', '--runtime', 'docker', '--time', '120s', '--faults', 'container-kill,node-loss', '--seed', String(SEED), '--out', out, '--json'];
    const r = await execa(process.execPath, [BIN, ...args], { reject: false, timeout: 320_000, env: { FORCE_COLOR: '0' } });
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    let summary: FuzzSummary;
    try {
      summary = JSON.parse(last) as FuzzSummary;
    } catch {
      throw new Error(`kubeprop ${args.join(' ')} exited ${r.exitCode} (${r.signal ?? 'no signal'}) without a JSON summary:\n${r.stdout}\n${r.stderr}`);
    }
    const failure = summary.counterexample;
    expect(failure ? `${failure.invariant}: ${failure.violations.join('\n')} (${failure.file})` : 'ok').toBe('ok');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(summary).toMatchObject({ ok: true, target: 'local', runtime: 'docker', seed: SEED });
    // Several runs, faults among them; the runtime part of convergence was judged (from the engine).
    expect(summary.runs).toBeGreaterThanOrEqual(2);
    expect(summary.faults).toBeGreaterThan(0);
    expect(summary.invariants.find((i) => i.name === 'convergence')?.checks ?? 0).toBeGreaterThan(0);
    expect(await leftBehind(new Docker(), started)).toEqual([]);
  });
});
