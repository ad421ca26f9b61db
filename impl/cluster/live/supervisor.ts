// `kubeprop up`: the reference control plane as separate OS processes on this machine — the
// API server, the controller-manager, the scheduler and one kubelet per node — each the
// kubeprop command of that component, supervised: their output is prefixed and shown,
// a component that dies is reported, and SIGTERM/Ctrl-C stops them all. With the docker
// runtime, the kubelets label their containers with this cluster's data directory, so two
// clusters with the same node names share one Docker Engine without touching each other's.

import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/kubeprop.js', import.meta.url));

export interface UpOptions {
  readonly nodes: number;
  /** process: host processes under busybox-static; docker: the local Docker Engine; sim: virtual containers in each kubelet. */
  readonly runtime: 'process' | 'docker' | 'sim';
  readonly store: string;
  readonly port: number;
  readonly dataDir: string;
  readonly kubeconfig?: string;
  /** Short periods for demos and tests (node loss noticed in seconds). */
  readonly fast?: boolean;
  readonly log?: (line: string) => void;
}

export interface Component {
  readonly name: string;
  readonly args: readonly string[];
  child?: ResultPromise;
  restarts: number;
}

export function nodeNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `node-${i + 1}`);
}

/** The Docker runtime's cluster label of a cluster (kubeprop.cluster=<its data directory, absolute>). */
export function dockerClusterOf(dataDir: string): string {
  return resolve(dataDir);
}

function kubeconfigOf(dataDir: string, identity: string): string {
  return join(dataDir, 'apiserver', 'kubeconfigs', `${identity.replace(/[^a-zA-Z0-9.-]/g, '_')}.kubeconfig`);
}

export class Supervisor {
  readonly components = new Map<string, Component>();
  private stopping = false;
  readonly kubeconfigPath: string;
  private readonly log: (line: string) => void;

  constructor(private readonly options: UpOptions) {
    this.kubeconfigPath = options.kubeconfig ?? join(options.dataDir, 'admin.kubeconfig');
    this.log = options.log ?? ((l) => process.stdout.write(`${l}\n`));
    const apiDir = join(options.dataDir, 'apiserver');
    const nodes = nodeNames(options.nodes);
    this.define('apiserver', [
      'apiserver',
      '--port', String(options.port),
      '--store', options.store,
      '--data-dir', apiDir,
      '--kubeconfig', this.kubeconfigPath,
      '--node-names', nodes.join(','),
      ...(options.fast ? ['--default-toleration-seconds', '10'] : []),
    ]);
    this.define('controller-manager', [
      'controller-manager', '--kubeconfig', kubeconfigOf(options.dataDir, 'system:kube-controller-manager'),
      ...(options.fast ? ['--node-monitor-grace-period', '8s'] : []),
    ]);
    this.define('scheduler', ['scheduler', '--kubeconfig', kubeconfigOf(options.dataDir, 'system:kube-scheduler')]);
    for (const n of nodes) {
      this.define(`kubelet/${n}`, [
        'kubelet', '--node', n,
        '--kubeconfig', kubeconfigOf(options.dataDir, `system:node:${n}`),
        '--runtime', options.runtime,
        ...(options.runtime === 'docker' ? ['--cluster', dockerClusterOf(options.dataDir)] : []),
        '--data-dir', join(options.dataDir, 'nodes', n),
        ...(options.fast ? ['--heartbeat', '2s'] : []),
      ]);
    }
  }

  private define(name: string, args: string[]): void {
    this.components.set(name, { name, args, restarts: 0 });
  }

  /** Starts one component's process; its output is prefixed with its name. */
  start(name: string): void {
    const c = this.components.get(name);
    if (!c) throw new Error(`unknown component ${name}`);
    if (c.child && c.child.exitCode === null && !c.child.killed) return;
    const child = execa(process.execPath, [BIN, ...c.args], { reject: false, all: true, buffer: false, env: { ...process.env, FORCE_COLOR: '0' } });
    c.child = child;
    child.all?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.log(`[${name}] ${line}`);
    });
    void child.then((r) => {
      if (!this.stopping && c.child === child) this.log(`[${name}] exited (${r.signal ?? `code ${r.exitCode}`})`);
    });
  }

  /** Kills a component's process (SIGKILL unless told otherwise), as a fault would. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.components.get(name);
    if (!c?.child) return;
    c.child.kill(signal);
    await c.child;
  }

  pid(name: string): number | undefined {
    return this.components.get(name)?.child?.pid;
  }

  /** Starts everything: the API server first, then the rest once their kubeconfigs exist. */
  async up(timeoutMs = 60_000): Promise<void> {
    mkdirSync(this.options.dataDir, { recursive: true });
    this.start('apiserver');
    const deadline = Date.now() + timeoutMs;
    const last = kubeconfigOf(this.options.dataDir, `system:node:node-${this.options.nodes}`);
    while (!existsSync(this.kubeconfigPath) || !existsSync(last)) {
      if (Date.now() > deadline) throw new Error('the API server did not come up (no kubeconfig written)');
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const name of this.components.keys()) if (name !== 'apiserver') this.start(name);
  }

  async down(): Promise<void> {
    this.stopping = true;
    const children = [...this.components.values()].map((c) => c.child).filter((c): c is ResultPromise => c !== undefined);
    for (const c of children) c.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(children), new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}
