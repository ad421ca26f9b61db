// Starts a private etcd 3.4 for one test file or benchmark: loopback-only client and peer
// ports, a throw-away data dir, and a stop() that kills it and removes the dir.
// Suites call etcdAvailable() first: in CI a missing etcd fails, on a laptop it skips.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasExecutable, realPart } from './real-parts.js';

const ETCD_BINARY = process.env.KUBEPROP_ETCD ?? 'etcd';

export interface EtcdServer {
  /** Client URLs to hand to EtcdStore.connect({ endpoints }). */
  readonly endpoints: string[];
  readonly dataDir: string;
  /** The tail of etcd's stderr, for failure messages. */
  log(): string;
  /** Kills etcd (SIGTERM, then SIGKILL) and removes its data dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface EtcdServerOptions {
  /**
   * Put the data dir on tmpfs (/dev/shm) when there is one. etcd 3.4 has no --unsafe-no-fsync,
   * so this is how suites that do thousands of writes avoid waiting on disk flushes;
   * the semantics are the same.
   */
  readonly inMemory?: boolean;
  /** How long to wait for /health (default 20 s). */
  readonly startTimeoutMs?: number;
}

/** True when etcd can be started here; in CI, throws when it cannot (see realPart). */
export function etcdAvailable(): boolean {
  return realPart('etcd', hasExecutable(ETCD_BINARY), 'apt-get install etcd-server');
}

/** A port the kernel just handed out on 127.0.0.1; free unless someone races us for it. */
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

async function healthy(clientUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { health?: string };
    return response.ok && body.health === 'true';
  } catch {
    return false;
  }
}

export async function startEtcd(options: EtcdServerOptions = {}): Promise<EtcdServer> {
  const base = options.inMemory && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  // A port can be taken between freePort() and etcd's bind; retry with fresh ports then.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dataDir = await mkdtemp(join(base, 'kubeprop-etcd-'));
    try {
      return await launch(dataDir, options.startTimeoutMs ?? 20_000);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function launch(dataDir: string, startTimeoutMs: number): Promise<EtcdServer> {
  const clientPort = await freePort();
  let peerPort = await freePort();
  while (peerPort === clientPort) peerPort = await freePort();
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const name = 'kubeprop';
  const child: ChildProcess = spawn(
    ETCD_BINARY,
    [
      `--name=${name}`,
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=${name}=${peerUrl}`,
      '--initial-cluster-state=new',
      '--logger=zap',
      '--log-outputs=stderr',
      '--log-level=warn',
    ],
    // The Debian package's unit sets ETCD_* variables; never let the host's leak in.
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ETCD_'))),
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      stderr += `\n${String(error)}`;
      exited = true;
      resolve();
    });
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      if (!exited) {
        child.kill('SIGTERM');
        const killed = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
        if (!killed) {
          child.kill('SIGKILL');
          await exit;
        }
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  while (!(await healthy(clientUrl))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`etcd did not become healthy at ${clientUrl}${exited ? ' (it exited)' : ''}:\n${stderr}`);
    }
    await sleep(50);
  }
  return { endpoints: [clientUrl], dataDir, log: () => stderr, stop };
}
