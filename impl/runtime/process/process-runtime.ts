// The process runtime: each container is a host process running its command with Debian's
// busybox-static, under a shim (shim.ts) that records its exit. containerID is
// process://<pid>, so anyone can `kill -9` it, as they would `docker kill` a container.
// Images come from the local catalog (unknown ones fail to pull); a container's output goes
// to a log file, its state to a JSON file, all under the runtime's data directory, so a new
// runtime — a restarted kubelet — adopts the containers of the last one. Live mode only:
// real processes, real files, real timers.

import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, openSync, readSync, closeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AsyncQueue } from '../../util/async-queue.js';
import { containerArgv, findImage, imageNotFoundMessage } from '../image-catalog.js';
import {
  ContainerNotFoundError,
  ImagePullError,
  tailLines,
  type ContainerInfo,
  type ContainerRuntime,
  type ContainerSpec,
  type LogOptions,
  type LogStream,
  type RuntimeEvent,
} from '../runtime.js';
import { readRecord, writeRecord, type ContainerRecord } from './container-record.js';
import { isSameProcess, processStartTime, processState, signal } from './proc.js';
import { SHIM_SCRIPT } from './shim.js';

export const PROCESS_RUNTIME_VERSION = 'process://0.1.0';
export const DEFAULT_BUSYBOX = '/bin/busybox';

export interface ProcessRuntimeOptions {
  /** Containers' state, logs and exit files live here (created if missing). */
  readonly dataDir: string;
  /** Debian's busybox-static. */
  readonly busybox?: string;
  /** How often live containers are checked for an exit (default 100 ms). */
  readonly pollMs?: number;
}

/** How long create waits for the shim to report the container's stopped process. */
const CREATE_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ProcessRuntime implements ContainerRuntime {
  readonly name = 'process';
  readonly version = PROCESS_RUNTIME_VERSION;
  private readonly records = new Map<string, ContainerRecord>();
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();
  private readonly exitWaiters = new Map<string, (() => void)[]>();
  private readonly busybox: string;
  private readonly containersDir: string;
  /** A directory of busybox applet links: the containers' PATH, as a busybox image's /bin. */
  private readonly binDir: string;
  private poller: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly options: ProcessRuntimeOptions) {
    this.busybox = options.busybox ?? DEFAULT_BUSYBOX;
    this.containersDir = join(options.dataDir, 'containers');
    this.binDir = join(options.dataDir, 'bin');
  }

  /** Opens the runtime on its data directory, adopting the containers recorded there. */
  static async open(options: ProcessRuntimeOptions): Promise<ProcessRuntime> {
    const runtime = new ProcessRuntime(options);
    await runtime.init();
    return runtime;
  }

  /** Whether busybox-static is installed where the runtime expects it. */
  static available(busybox = DEFAULT_BUSYBOX): boolean {
    return existsSync(busybox);
  }

  private async init(): Promise<void> {
    if (!existsSync(this.busybox)) throw new Error(`${this.busybox} not found: install Debian's busybox-static (apt-get install busybox-static)`);
    mkdirSync(this.containersDir, { recursive: true });
    if (!existsSync(this.binDir)) {
      mkdirSync(this.binDir, { recursive: true });
      const list = await execa(this.busybox, ['--list']);
      for (const applet of list.stdout.split('\n').filter((a) => /^[\w.[-]+$/.test(a))) {
        try {
          symlinkSync(this.busybox, join(this.binDir, applet));
        } catch {
          // Already linked by a concurrent open.
        }
      }
    }
    for (const key of readdirSync(this.containersDir)) {
      const record = readRecord(join(this.containersDir, key));
      if (record) this.records.set(record.id, record);
    }
    this.poll();
    this.poller = setInterval(() => this.poll(), this.options.pollMs ?? 100);
    this.poller.unref();
  }

  // ---- images ----

  async pullImage(image: string): Promise<void> {
    if (!findImage(image)) throw new ImagePullError(image, imageNotFoundMessage(image));
  }

  async hasImage(image: string): Promise<boolean> {
    return findImage(image) !== undefined;
  }

  // ---- containers ----

  async createContainer(spec: ContainerSpec): Promise<string> {
    this.assertOpen();
    const image = findImage(spec.image);
    if (!image) throw new Error(`image "${spec.image}" is not present: pull it first`);
    const key = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const dir = join(this.containersDir, key);
    mkdirSync(dir, { recursive: true });
    const argv = containerArgv(image, spec.command, spec.args);
    const [command = 'true', ...rest] = argv;
    const applet = command.slice(command.lastIndexOf('/') + 1);
    const shim = execa(this.busybox, ['sh', '-c', SHIM_SCRIPT, 'shim', dir, this.busybox, applet, ...rest], {
      cwd: dir,
      env: { PATH: this.binDir, HOME: '/root', ...spec.env },
      extendEnv: false,
      detached: true,
      cleanup: false,
      reject: false,
      stdio: 'ignore',
    });
    shim.unref();
    // The shim's own end (after writing the exit file) is the quickest news of an exit.
    void shim.then(() => this.poll());
    const shimPid = shim.pid ?? 0;
    const shimStartTime = processStartTime(shimPid) ?? '';
    const pid = await this.awaitStoppedProcess(dir);
    const record: ContainerRecord = {
      key,
      id: `process://${pid}`,
      pid,
      pidStartTime: processStartTime(pid) ?? '',
      shimPid,
      shimStartTime,
      name: spec.name,
      image: spec.image,
      imageID: image.imageID,
      labels: { ...spec.labels },
      state: 'created',
      createdAt: Date.now(),
    };
    // A pid is reused only after its process is gone: an exited container with the same id is long dead.
    const stale = this.records.get(record.id);
    if (stale) await this.removeContainer(stale.id);
    writeRecord(dir, record);
    this.records.set(record.id, record);
    return record.id;
  }

  /** Waits for the shim's pid file and for that process to have stopped itself. */
  private async awaitStoppedProcess(dir: string): Promise<number> {
    const deadline = Date.now() + CREATE_TIMEOUT_MS;
    for (;;) {
      const pidFile = join(dir, 'pid');
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        const state = processState(pid);
        if (state === 'T' || state === 't') return pid;
        if (state === undefined && existsSync(join(dir, 'exit'))) throw new Error(`the container's process ended before it started: ${readLog(dir)}`);
      }
      if (Date.now() > deadline) throw new Error(`the shim did not start the container within ${CREATE_TIMEOUT_MS} ms`);
      await sleep(5);
    }
  }

  async startContainer(id: string): Promise<void> {
    this.assertOpen();
    const r = this.get(id);
    if (r.state !== 'created') throw new Error(`container ${id} is ${r.state}, not created`);
    if (!isSameProcess(r.pid, r.pidStartTime)) throw new Error(`container ${id} is gone`);
    r.state = 'running';
    r.startedAt = Date.now();
    this.save(r);
    signal(r.pid, 'SIGCONT');
    this.emit({ type: 'started', id, at: r.startedAt, labels: r.labels });
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const r = this.get(id);
    if (r.state === 'exited') return;
    const exited = this.waitForExit(id);
    if (r.state === 'created') {
      // A stopped process would hold SIGTERM until continued: kill it outright.
      signal(-r.pid, 'SIGKILL');
    } else {
      signal(-r.pid, 'SIGTERM');
      const timer = setTimeout(() => signal(-r.pid, 'SIGKILL'), Math.max(0, graceSeconds) * 1000);
      await exited;
      clearTimeout(timer);
    }
    await exited;
  }

  async removeContainer(id: string): Promise<void> {
    const r = this.records.get(id);
    if (!r) return;
    if (r.state !== 'exited') {
      signal(-r.pid, 'SIGKILL');
      await this.waitForExit(id);
    }
    this.records.delete(id);
    rmSync(join(this.containersDir, r.key), { recursive: true, force: true });
  }

  async listContainers(labels: Readonly<Record<string, string>> = {}): Promise<ContainerInfo[]> {
    this.poll();
    return [...this.records.values()].filter((r) => Object.entries(labels).every(([k, v]) => r.labels[k] === v)).map(info);
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    this.poll();
    const r = this.records.get(id);
    return r ? info(r) : undefined;
  }

  async logs(id: string, options: LogOptions = {}): Promise<string> {
    return tailLines(readLog(join(this.containersDir, this.get(id).key)), options.tailLines);
  }

  async followLogs(id: string, options: LogOptions = {}): Promise<LogStream> {
    const r = this.get(id);
    const file = join(this.containersDir, r.key, 'log');
    let offset = 0;
    let timer: NodeJS.Timeout | undefined;
    const queue = new AsyncQueue<string>(() => clearTimeout(timer));
    const readMore = (): string => {
      let size = 0;
      try {
        size = statSync(file).size;
      } catch {
        return '';
      }
      if (size <= offset) return '';
      const buffer = Buffer.alloc(size - offset);
      const fd = openSync(file, 'r');
      try {
        readSync(fd, buffer, 0, buffer.length, offset);
      } finally {
        closeSync(fd);
      }
      offset = size;
      return buffer.toString('utf8');
    };
    const first = tailLines(readMore(), options.tailLines);
    if (first) queue.push(first);
    const pump = () => {
      if (queue.closed) return;
      this.poll();
      const more = readMore();
      if (more) queue.push(more);
      const current = this.records.get(id);
      if (!current || current.state === 'exited' || this.closed) {
        queue.end();
        return;
      }
      timer = setTimeout(pump, this.options.pollMs ?? 100);
    };
    timer = setTimeout(pump, this.options.pollMs ?? 100);
    return { [Symbol.asyncIterator]: () => queue, close: () => void queue.return() };
  }

  subscribe(listener: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops watching. With killContainers (the default, for tests and `kubeprop up` shutdown)
   * every container and shim is killed; without, they run on for the next runtime to adopt.
   */
  async close(options: { killContainers?: boolean } = {}): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    if (options.killContainers ?? true) {
      for (const r of this.records.values()) {
        if (r.state !== 'exited') signal(-r.pid, 'SIGKILL');
        if (isSameProcess(r.shimPid, r.shimStartTime)) signal(r.shimPid, 'SIGKILL');
      }
    }
    for (const waiters of this.exitWaiters.values()) for (const w of waiters) w();
    this.exitWaiters.clear();
  }

  // ---- internals ----

  private get(id: string): ContainerRecord {
    const r = this.records.get(id);
    if (!r) throw new ContainerNotFoundError(id);
    return r;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the process runtime is closed');
  }

  private save(r: ContainerRecord): void {
    const dir = join(this.containersDir, r.key);
    if (existsSync(dir)) writeRecord(dir, r);
  }

  private waitForExit(id: string): Promise<void> {
    const r = this.records.get(id);
    if (!r || r.state === 'exited' || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.exitWaiters.get(id) ?? [];
      list.push(resolve);
      this.exitWaiters.set(id, list);
    });
  }

  /** Finds containers that exited since the last look, from their shims' exit files. */
  private poll(): void {
    for (const r of this.records.values()) {
      if (r.state === 'exited') continue;
      const dir = join(this.containersDir, r.key);
      const exitFile = join(dir, 'exit');
      let code: number | undefined;
      let at: number | undefined;
      if (existsSync(exitFile)) {
        code = Number(readFileSync(exitFile, 'utf8').trim());
        at = statSync(exitFile).mtimeMs;
      } else if (!isSameProcess(r.pid, r.pidStartTime) && !isSameProcess(r.shimPid, r.shimStartTime)) {
        // Both gone without a word (the machine rebooted, or someone killed the shim first): status unknown.
        code = 137;
        at = Date.now();
      }
      if (code === undefined || at === undefined) continue;
      this.exited(r, Number.isFinite(code) ? code : 137, Math.round(at));
    }
  }

  private exited(r: ContainerRecord, code: number, at: number): void {
    r.state = 'exited';
    r.exitCode = code;
    r.startedAt ??= at;
    r.finishedAt = Math.max(at, r.startedAt);
    if (code > 128 && code < 160) r.signal = code - 128;
    this.save(r);
    // As when a pid namespace's init dies: whatever the container started dies with it.
    signal(-r.pid, 'SIGKILL');
    for (const w of this.exitWaiters.get(r.id) ?? []) w();
    this.exitWaiters.delete(r.id);
    this.emit({ type: 'exited', id: r.id, at: r.finishedAt, exitCode: code, labels: r.labels });
  }

  private emit(e: RuntimeEvent): void {
    for (const l of this.listeners) l(e);
  }
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'log'), 'utf8');
  } catch {
    return '';
  }
}

function info(r: ContainerRecord): ContainerInfo {
  return {
    id: r.id,
    name: r.name,
    image: r.image,
    imageID: r.imageID,
    labels: r.labels,
    state: r.state,
    createdAt: r.createdAt,
    ...(r.startedAt !== undefined ? { startedAt: r.startedAt } : {}),
    ...(r.finishedAt !== undefined ? { finishedAt: r.finishedAt } : {}),
    ...(r.exitCode !== undefined ? { exitCode: r.exitCode, reason: r.exitCode === 0 ? 'Completed' : 'Error' } : {}),
    ...(r.signal !== undefined ? { signal: r.signal } : {}),
  };
}
