// A simulated node's container runtime: virtual containers that live in the node's sim
// process (not the kubelet's), so a killed kubelet leaves them running and a lost node takes
// them along. Each container runs its command through the tiny shell interpreter on the
// node's timers: output, exits and their codes happen at virtual times, deterministically.
// The harness reaches in through the fault hooks (kill, crash); the kubelet only through the
// network (serve() answers SimRuntimeClient), as a real kubelet talks to its CRI socket.

import type { Env } from '../../env/env.js';
import { streamReply, type Listener } from '../../env/network.js';
import type { TimerHandle } from '../../env/timers.js';
import { AsyncQueue } from '../../util/async-queue.js';
import { containerArgv, findImage, imageNotFoundMessage, type CatalogImage } from '../image-catalog.js';
import {
  ContainerNotFoundError,
  ImagePullError,
  tailLines,
  type ContainerInfo,
  type ContainerSpec,
  type ContainerState,
  type LogOptions,
  type LogStream,
  type RuntimeEvent,
} from '../runtime.js';
import { runProgram, type ShellHost } from './shell-interpreter.js';
import { parseArgv } from './shell-script.js';
import { runtimeAddress, type RuntimeRequest } from './sim-runtime-protocol.js';

export type Signal = 'SIGTERM' | 'SIGKILL';

const SIGNAL_NUMBER: Record<Signal, number> = { SIGTERM: 15, SIGKILL: 9 };

/**
 * What only an onlooker of the node sees, as docker's event stream shows it beside starts
 * and exits: each signal delivered to a container (on behalf of a stop request — SIGTERM,
 * then SIGKILL when its grace period ran out — or sent directly, as `docker kill` or a
 * harness fault does), and the containers that die with the machine. For the harness's
 * history only: the kubelet never hears these.
 */
export type RuntimeObservation =
  | { readonly type: 'killed'; readonly id: string; readonly at: number; readonly signal: number; readonly request: 'stop' | 'kill'; readonly labels: Readonly<Record<string, string>> }
  | { readonly type: 'exited'; readonly id: string; readonly at: number; readonly exitCode: number; readonly powerOff: true; readonly labels: Readonly<Record<string, string>> };

/** A container's log is capped (oldest output dropped), as a log rotation would. */
const LOG_CAP_CHARS = 1 << 20;

export interface SimNodeRuntimeOptions {
  readonly node: string;
  /** Virtual time one image pull takes (default 0: the catalog is local). */
  readonly pullMs?: number;
  /**
   * Whether the catalog's images are on the machine from the start, as images made locally
   * with `docker import` are (default true). When false, each must be pulled once first.
   */
  readonly preloadImages?: boolean;
}

interface SimContainer {
  readonly id: string;
  readonly name: string;
  readonly image: CatalogImage;
  readonly spec: ContainerSpec;
  state: ContainerState;
  readonly createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
  signal?: number;
  log: string;
  /** SIGTERM is ignored (`trap '' TERM`): only SIGKILL ends it. */
  ignoreTerm: boolean;
  /** The timers of its pending sleeps, cancelled when it dies. */
  readonly timers: Set<TimerHandle>;
  readonly followers: Set<AsyncQueue<string>>;
  readonly exitWaiters: (() => void)[];
}

export class SimNodeRuntime {
  readonly node: string;
  private readonly containers = new Map<string, SimContainer>();
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();
  private readonly observers = new Set<(o: RuntimeObservation) => void>();
  private readonly pulled = new Set<string>();
  /** False once the node is gone: every container is dead and nothing runs any more. */
  private up = true;

  constructor(
    private readonly env: Env,
    private readonly options: SimNodeRuntimeOptions,
  ) {
    this.node = options.node;
  }

  // ---- images ----

  async pullImage(image: string): Promise<void> {
    const found = findImage(image);
    if ((this.options.pullMs ?? 0) > 0) await this.env.timers.sleep(this.options.pullMs ?? 0);
    if (!found) throw new ImagePullError(image, imageNotFoundMessage(image));
    this.pulled.add(found.reference);
  }

  hasImage(image: string): boolean {
    const found = findImage(image);
    return found !== undefined && this.present(found);
  }

  private present(image: CatalogImage): boolean {
    return (this.options.preloadImages ?? true) || this.pulled.has(image.reference);
  }

  // ---- containers ----

  createContainer(spec: ContainerSpec): string {
    this.assertUp();
    const image = findImage(spec.image);
    if (!image || !this.present(image)) {
      throw new Error(`image "${spec.image}" is not present on node ${this.node}: pull it first`);
    }
    const id = `sim://${this.env.random.uint32().toString(16).padStart(8, '0')}${this.env.random.uint32().toString(16).padStart(8, '0')}`;
    this.containers.set(id, {
      id,
      name: spec.name,
      image,
      spec,
      state: 'created',
      createdAt: this.env.clock.now(),
      log: '',
      ignoreTerm: false,
      timers: new Set(),
      followers: new Set(),
      exitWaiters: [],
    });
    return id;
  }

  startContainer(id: string): void {
    this.assertUp();
    const c = this.get(id);
    if (c.state !== 'created') throw new Error(`container ${id} is ${c.state}, not created`);
    c.state = 'running';
    c.startedAt = this.env.clock.now();
    this.emit({ type: 'started', id, at: c.startedAt, labels: c.spec.labels });
    const program = parseArgv(containerArgv(c.image, c.spec.command, c.spec.args));
    const host = this.shellHost(c);
    runProgram(program, host).then(
      (code) => this.exit(c, code),
      (error: unknown) => {
        host.write(`sh: ${String(error)}\n`, 'stderr');
        this.exit(c, 1);
      },
    );
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once the container has exited. */
  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const c = this.get(id);
    if (c.state === 'created') {
      this.exit(c, 0);
      return;
    }
    if (c.state === 'exited') return;
    const exited = new Promise<void>((resolve) => c.exitWaiters.push(resolve));
    this.signal(c, 'SIGTERM', 'stop');
    // A trapped SIGTERM leaves it running (the kill may have changed the state: re-read it).
    if ((c.state as ContainerState) !== 'exited') {
      const timer = this.env.timers.setTimer(Math.max(0, graceSeconds) * 1000, () => this.signal(c, 'SIGKILL', 'stop'));
      await exited;
      this.env.timers.cancel(timer);
    }
  }

  removeContainer(id: string): void {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === 'running') this.signal(c, 'SIGKILL', 'stop');
    this.containers.delete(id);
  }

  listContainers(labels: Readonly<Record<string, string>> = {}): ContainerInfo[] {
    const out: ContainerInfo[] = [];
    for (const c of this.containers.values()) {
      if (Object.entries(labels).every(([k, v]) => c.spec.labels[k] === v)) out.push(info(c));
    }
    return out;
  }

  inspect(id: string): ContainerInfo | undefined {
    const c = this.containers.get(id);
    return c ? info(c) : undefined;
  }

  logs(id: string, options: LogOptions = {}): string {
    return tailLines(this.get(id).log, options.tailLines);
  }

  followLogs(id: string, options: LogOptions = {}): LogStream {
    const c = this.get(id);
    const queue = new AsyncQueue<string>(() => c.followers.delete(queue));
    const past = tailLines(c.log, options.tailLines);
    if (past) queue.push(past);
    if (c.state === 'exited' || !this.up) queue.end();
    else c.followers.add(queue);
    return { [Symbol.asyncIterator]: () => queue, close: () => void queue.return() };
  }

  subscribe(listener: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The harness's view of signals and deaths with the machine (RuntimeObservation). */
  observe(observer: (o: RuntimeObservation) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  // ---- fault hooks (the harness's) ----

  /** Delivers a signal, as `docker kill --signal` would: SIGKILL exits 137, SIGTERM 143 unless trapped. */
  kill(id: string, signal: Signal = 'SIGKILL'): void {
    const c = this.containers.get(id);
    if (c) this.signal(c, signal, 'kill');
  }

  /** The container's process dies on its own with `exitCode` (a crash, not a signal). */
  crash(id: string, exitCode = 1): void {
    const c = this.containers.get(id);
    if (!c || c.state !== 'running') return;
    this.exit(c, exitCode);
  }

  /** The node is gone (its sim process killed): every container dies with it, silently. */
  powerOff(): void {
    if (!this.up) return;
    this.up = false;
    const now = this.env.clock.now();
    for (const c of this.containers.values()) {
      if (c.state !== 'running') continue;
      for (const t of c.timers) this.env.timers.cancel(t);
      c.state = 'exited';
      c.exitCode = 137;
      c.reason = 'Error';
      for (const f of c.followers) f.end();
      for (const o of this.observers) o({ type: 'exited', id: c.id, at: now, exitCode: 137, powerOff: true, labels: c.spec.labels });
    }
    this.listeners.clear();
    this.observers.clear();
  }

  get running(): boolean {
    return this.up;
  }

  // ---- serving the kubelet ----

  /** Answers SimRuntimeClient calls at runtime/<node> (owned by the calling process: the node's). */
  serve(): Listener {
    return this.env.network.serve(runtimeAddress(this.node), async (request) => this.handle(request as RuntimeRequest));
  }

  private async handle(r: RuntimeRequest): Promise<unknown> {
    switch (r.op) {
      case 'pullImage':
        return this.pullImage(r.image);
      case 'hasImage':
        return this.hasImage(r.image);
      case 'createContainer':
        return this.createContainer(r.spec);
      case 'startContainer':
        return this.startContainer(r.id);
      case 'stopContainer':
        return this.stopContainer(r.id, r.graceSeconds);
      case 'removeContainer':
        return this.removeContainer(r.id);
      case 'listContainers':
        return this.listContainers(r.labels);
      case 'inspect':
        return this.inspect(r.id) ?? null;
      case 'logs':
        return this.logs(r.id, r.options);
      case 'followLogs': {
        const stream = this.followLogs(r.id, r.options);
        return streamReply(stream, () => stream.close());
      }
      case 'events': {
        const queue = new AsyncQueue<RuntimeEvent>(() => unsubscribe());
        const unsubscribe = this.subscribe((e) => queue.push(e));
        return streamReply(queue, () => void queue.return());
      }
    }
  }

  // ---- internals ----

  private get(id: string): SimContainer {
    const c = this.containers.get(id);
    if (!c) throw new ContainerNotFoundError(id);
    return c;
  }

  private assertUp(): void {
    if (!this.up) throw new Error(`node ${this.node} is down`);
  }

  private shellHost(c: SimContainer): ShellHost {
    const never = new Promise<void>(() => {});
    return {
      env: c.spec.env ?? {},
      write: (text) => {
        if (c.state !== 'running') return;
        c.log += text;
        if (c.log.length > LOG_CAP_CHARS) c.log = c.log.slice(c.log.length - LOG_CAP_CHARS);
        for (const f of c.followers) f.push(text);
      },
      sleep: (ms) => {
        if (c.state !== 'running' || ms === Infinity) return never;
        return new Promise<void>((resolve) => {
          const timer = this.env.timers.setTimer(ms, () => {
            c.timers.delete(timer);
            if (c.state === 'running') resolve();
          });
          c.timers.add(timer);
        });
      },
      ignoreTerm: (ignored) => {
        c.ignoreTerm = ignored;
      },
    };
  }

  /** Delivers a signal: SIGKILL exits 137, SIGTERM 143 unless trapped; onlookers see it either way. */
  private signal(c: SimContainer, signal: Signal, request: 'stop' | 'kill'): void {
    if (c.state !== 'running') return;
    const number = SIGNAL_NUMBER[signal];
    for (const o of this.observers) o({ type: 'killed', id: c.id, at: this.env.clock.now(), signal: number, request, labels: c.spec.labels });
    if (signal === 'SIGTERM' && c.ignoreTerm) return;
    this.exit(c, 128 + number, number);
  }

  private exit(c: SimContainer, exitCode: number, signal?: number): void {
    if (c.state === 'exited') return;
    for (const t of c.timers) this.env.timers.cancel(t);
    c.timers.clear();
    const now = this.env.clock.now();
    c.startedAt ??= now;
    c.state = 'exited';
    c.finishedAt = now;
    c.exitCode = exitCode;
    c.reason = exitCode === 0 ? 'Completed' : 'Error';
    if (signal !== undefined) c.signal = signal;
    for (const f of c.followers) f.end();
    c.followers.clear();
    for (const w of c.exitWaiters.splice(0)) w();
    this.emit({ type: 'exited', id: c.id, at: now, exitCode, labels: c.spec.labels });
  }

  private emit(e: RuntimeEvent): void {
    for (const l of this.listeners) l(e);
  }
}

function info(c: SimContainer): ContainerInfo {
  return {
    id: c.id,
    name: c.name,
    image: c.spec.image,
    imageID: c.image.imageID,
    labels: c.spec.labels,
    state: c.state,
    createdAt: c.createdAt,
    ...(c.startedAt !== undefined ? { startedAt: c.startedAt } : {}),
    ...(c.finishedAt !== undefined ? { finishedAt: c.finishedAt } : {}),
    ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.signal !== undefined ? { signal: c.signal } : {}),
  };
}
