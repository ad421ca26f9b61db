// Starts `kubeprop up` as a user would (the CLI, in its own process, on a free port and a
// temporary data directory) and waits with kubectl until its nodes are Ready, so a suite
// can treat it as someone else's cluster reachable only by its admin kubeconfig.

import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessRuntime } from '../../impl/runtime/process/index.js';
import { hasExecutable, realPart } from './real-parts.js';

const BIN = fileURLToPath(new URL('../../bin/kubeprop.js', import.meta.url));

/** True when `kubeprop up` with the process runtime can run here and kubectl can reach it. */
export function kubepropUpAvailable(): boolean {
  const busybox = realPart('busybox-static', ProcessRuntime.available(), 'apt-get install busybox-static');
  const kubectl = realPart('kubectl', hasExecutable('kubectl', ['version', '--client']), 'the kubectl dispatcher (see DESIGN.md, Real parts)');
  return busybox && kubectl;
}

export interface KubepropUp {
  readonly kubeconfig: string;
  /** kubectl against the cluster; resolves with stdout, rejects on a non-zero exit. */
  kubectl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startKubepropUp(options: { nodes: number; timeoutMs?: number }): Promise<KubepropUp> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeprop-up-'));
  const kubeconfig = join(dir, 'admin.kubeconfig');
  const output: string[] = [];
  const child: ResultPromise = execa(process.execPath, [BIN, 'up', '--fast', '--nodes', String(options.nodes), '--port', String(await freePort()), '--data-dir', dir], {
    reject: false,
    all: true,
    buffer: false,
    env: { FORCE_COLOR: '0' },
  });
  child.all?.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
  const kubectl = async (...args: string[]) => {
    const r = await execa('kubectl', ['--kubeconfig', kubeconfig, ...args], { reject: false, timeout: 20_000 });
    if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const stop = async () => {
    child.kill('SIGTERM');
    await Promise.race([child, sleep(20_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = performance.now() + (options.timeoutMs ?? 90_000);
  let last = '';
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`kubeprop up exited: ${output.slice(-20).join('\n')}`);
    }
    if (existsSync(kubeconfig)) {
      try {
        const ready = (await kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}')).split('\n').filter((s) => s === 'True');
        if (ready.length >= options.nodes) return { kubeconfig, kubectl, stop };
        last = `${ready.length} of ${options.nodes} nodes Ready`;
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
      }
    }
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`kubeprop up did not get ${options.nodes} Ready nodes in time (${last}); its output:\n${output.slice(-20).join('\n')}`);
    }
    await sleep(500);
  }
}
