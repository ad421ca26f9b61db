// The Docker runtime: a node's containers are real containers of a Docker Engine, driven
// through dockerode as a Docker-backed kubelet drives dockerd. State, exit codes and times
// come from the engine's inspection; starts and exits from its event stream; logs from
// `docker logs`. Every container carries the kubelet's io.kubernetes.* labels plus the
// node's scope labels (container-names.ts), so a restarted kubelet adopts its containers
// by label and nodes sharing one engine never see each other's. Live mode only.
//
// Decisions worth knowing:
// - No image is ever pulled: no registry is reachable here. An image the engine lacks fails
//   as a pull from a registry without it would (containerd's "failed to pull and unpack
//   image … not found"), so pods end in ErrImagePull/ImagePullBackOff. Images are made
//   locally by scripts/build-images.sh.
// - Containers run with network mode `none` (or `host` when asked), never on a bridge: pod
//   IPs are data, not addresses (DESIGN.md, Network rules).
// - Containers run under the engine's init (docker-init, `--init`), so a command like
//   `sleep 3600` is not PID 1 and dies of SIGTERM (exit 143) as it does in the sim and process
//   runtimes, rather than ignoring it and waiting out the grace period.
// - A container that was created but never started stays `created` after a stop: the engine
//   cannot mark a container exited that never ran.

import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { AsyncQueue } from '../../util/async-queue.js';
import { imageNotFoundMessage, normalizeImageReference } from '../image-catalog.js';
import {
  CONTAINER_NAME_LABEL,
  ContainerNotFoundError,
  ImagePullError,
  POD_NAME_LABEL,
  type ContainerInfo,
  type ContainerRuntime,
  type ContainerSpec,
  type ContainerState,
  type LogOptions,
  type LogStream,
  type RuntimeEvent,
} from '../runtime.js';
import { containerName, DEFAULT_CLUSTER, DOCKER_SCHEME, engineId, labelFilters, podHostname, scopeLabels } from './container-names.js';
import { EngineEvents, type EngineContainerEvent } from './engine-events.js';
import { demuxLogText, LogDemuxer } from './log-demux.js';

export interface DockerRuntimeOptions {
  /** The node this runtime belongs to: its containers carry kubeprop.node=<node>. */
  readonly node: string;
  /** The node's cluster (kubeprop.cluster=<cluster>), so same-named nodes of two clusters keep apart; default "kubeprop". */
  readonly cluster?: string;
  /** The engine (default: dockerode's default, DOCKER_HOST or /var/run/docker.sock). */
  readonly docker?: Docker;
  /** `none` (default) or `host`; never a bridge. */
  readonly networkMode?: 'none' | 'host';
  /** Run each container under the engine's init (default true; see above). */
  readonly init?: boolean;
  /** Told when the event stream breaks (it is reopened); default: ignored. */
  readonly onEventStreamError?: (error: unknown) => void;
}

/** An error from dockerode's modem carries the engine's HTTP status. */
function statusOf(e: unknown): number | undefined {
  if (typeof e === 'object' && e !== null && 'statusCode' in e && typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

/** The engine's zero time: a container never started (or never finished) shows it. */
function timeOf(iso: string | undefined): number | undefined {
  if (!iso || iso.startsWith('0001-01-01')) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

function stateOf(status: string): ContainerState {
  switch (status) {
    case 'created':
      return 'created';
    case 'running':
    case 'paused':
    case 'restarting':
      return 'running';
    default:
      // exited, dead, removing
      return 'exited';
  }
}

function toInfo(c: Docker.ContainerInspectInfo): ContainerInfo {
  const labels = c.Config.Labels ?? {};
  const state = stateOf(c.State.Status);
  const startedAt = timeOf(c.State.StartedAt);
  const finishedAt = state === 'exited' ? timeOf(c.State.FinishedAt) : undefined;
  const exitCode = state === 'exited' ? c.State.ExitCode : undefined;
  const image = c.Config.Image;
  return {
    id: `${DOCKER_SCHEME}${c.Id}`,
    name: labels[CONTAINER_NAME_LABEL] ?? c.Name.replace(/^\//, ''),
    image,
    // repository@<the image's content address>, the shape status.containerStatuses[].imageID has.
    imageID: `${normalizeImageReference(image).repository}@${c.Image}`,
    labels,
    state,
    createdAt: timeOf(c.Created) ?? 0,
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(finishedAt !== undefined ? { finishedAt: Math.max(finishedAt, startedAt ?? finishedAt) } : {}),
    ...(exitCode !== undefined ? { exitCode, reason: c.State.OOMKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error' } : {}),
    // As the process runtime: an exit code 128+N is taken for death by signal N.
    ...(exitCode !== undefined && exitCode > 128 && exitCode < 160 ? { signal: exitCode - 128 } : {}),
  };
}

export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker';
  readonly node: string;
  readonly cluster: string;
  /** The labels every container of this runtime carries, and the filter of every listing. */
  private readonly scope: Readonly<Record<string, string>>;
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();
  /** Inspections of exited containers: final until someone `docker start`s or removes one (its event drops it). */
  private readonly exitedCache = new Map<string, ContainerInfo>();
  private readonly events: EngineEvents;
  private closed = false;

  private constructor(
    private readonly docker: Docker,
    private readonly options: DockerRuntimeOptions,
    /** containerRuntimeVersion: docker://<engine version>. */
    readonly version: string,
  ) {
    this.node = options.node;
    this.cluster = options.cluster ?? DEFAULT_CLUSTER;
    this.scope = scopeLabels(this.node, this.cluster);
    this.events = new EngineEvents(docker, labelFilters(this.scope), (e) => this.onEngineEvent(e), options.onEventStreamError);
  }

  /** Connects to the engine and starts watching the node's containers. */
  static async open(options: DockerRuntimeOptions): Promise<DockerRuntime> {
    const docker = options.docker ?? new Docker();
    let version: string;
    try {
      version = (await docker.version()).Version;
    } catch (e) {
      throw new Error(`the Docker Engine is not reachable (${e instanceof Error ? e.message : String(e)}): start dockerd --bridge=none --iptables=false --ip-masq=false`);
    }
    const runtime = new DockerRuntime(docker, options, `docker://${version}`);
    await runtime.events.start();
    return runtime;
  }

  /** Whether the engine answers a ping within `timeoutMs`. */
  static async reachable(docker: Docker = new Docker(), timeoutMs = 3_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([docker.ping().then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- images ----

  /** Never pulls (no registry is reachable): an image the engine lacks fails as a registry without it would. */
  async pullImage(image: string): Promise<void> {
    if (!(await this.hasImage(image))) throw new ImagePullError(image, imageNotFoundMessage(image));
  }

  async hasImage(image: string): Promise<boolean> {
    // Not a reference at all (the engine would be asked for a path it cannot parse).
    if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(image)) return false;
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch (e) {
      // 404: no such image; 400: not a valid reference.
      const status = statusOf(e);
      if (status === 404 || status === 400) return false;
      throw e;
    }
  }

  // ---- containers ----

  async createContainer(spec: ContainerSpec): Promise<string> {
    this.assertOpen();
    const labels: Record<string, string> = { [CONTAINER_NAME_LABEL]: spec.name, ...spec.labels, ...this.scope };
    const networkMode = this.options.networkMode ?? 'none';
    const hostname = networkMode === 'none' ? podHostname(labels[POD_NAME_LABEL]) : undefined;
    const body: Docker.ContainerCreateOptions = {
      Image: spec.image,
      // Kubernetes' command is Docker's entrypoint and its args Docker's cmd; a command alone
      // drops the image's cmd (the engine does so when the entrypoint is given).
      ...(spec.command && spec.command.length > 0 ? { Entrypoint: [...spec.command] } : {}),
      ...(spec.args && spec.args.length > 0 ? { Cmd: [...spec.args] } : {}),
      Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
      Labels: labels,
      ...(hostname ? { Hostname: hostname } : {}),
      Tty: false,
      OpenStdin: false,
      AttachStdin: false,
      HostConfig: {
        NetworkMode: networkMode,
        Init: this.options.init ?? true,
        // The kubelet, not the engine, restarts containers.
        RestartPolicy: { Name: 'no' },
      },
    };
    const name = containerName(spec.name, labels);
    try {
      return await this.create(name, body, spec.image);
    } catch (e) {
      // The name is taken: an instance of the same pod, container and attempt exists (the
      // restart count did not move on, e.g. the exited instance kept for `logs --previous`).
      // As the dockershim did, keep both, the new one under a suffixed name.
      if (statusOf(e) !== 409) throw e;
      return this.create(`${name}_${randomBytes(4).toString('hex')}`, body, spec.image);
    }
  }

  private async create(name: string, body: Docker.ContainerCreateOptions, image: string): Promise<string> {
    try {
      const container = await this.docker.createContainer({ ...body, name });
      return `${DOCKER_SCHEME}${container.id}`;
    } catch (e) {
      if (statusOf(e) === 404) throw new Error(`image "${image}" is not present on node ${this.node}: pull it first`);
      throw e;
    }
  }

  async startContainer(id: string): Promise<void> {
    this.assertOpen();
    const info = await this.owned(id);
    if (info.state !== 'created') throw new Error(`container ${id} is ${info.state}, not created`);
    try {
      await this.container(id).start();
    } catch (e) {
      throw this.translate(e, id);
    }
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const info = await this.owned(id);
    if (info.state !== 'running') return;
    try {
      // The engine's stop: the stop signal (SIGTERM), SIGKILL after t seconds; answers once exited.
      await this.container(id).stop({ t: Math.max(0, Math.ceil(graceSeconds)) });
    } catch (e) {
      // 304: it had exited meanwhile.
      if (statusOf(e) !== 304) throw this.translate(e, id);
    }
  }

  /** Sends a signal through the engine, as `docker kill` does (a fault, not a kubelet call). No-op if it is not running. */
  async kill(id: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const info = await this.owned(id);
    if (info.state !== 'running') return;
    try {
      await this.container(id).kill({ signal });
    } catch (e) {
      // 409: not running any more.
      if (statusOf(e) !== 409) throw this.translate(e, id);
    }
  }

  async removeContainer(id: string): Promise<void> {
    const info = await this.inspect(id);
    if (!info) return;
    try {
      await this.container(id).remove({ force: true });
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
    this.exitedCache.delete(id);
  }

  async listContainers(labels: Readonly<Record<string, string>> = {}): Promise<ContainerInfo[]> {
    const wanted = { ...labels, ...this.scope };
    if (Object.entries(labels).some(([k, v]) => this.scope[k] !== undefined && this.scope[k] !== v)) return [];
    const listed = await this.docker.listContainers({ all: true, filters: { label: labelFilters(wanted) } });
    const ids = new Set(listed.map((c) => `${DOCKER_SCHEME}${c.Id}`));
    for (const id of this.exitedCache.keys()) if (!ids.has(id)) this.exitedCache.delete(id);
    const infos = await Promise.all([...ids].map((id) => this.inspect(id)));
    // The engine filtered already; an exact check keeps a label filter's edge cases out.
    return infos.filter((i): i is ContainerInfo => i !== undefined && Object.entries(wanted).every(([k, v]) => i.labels[k] === v));
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    const cached = this.exitedCache.get(id);
    if (cached) return cached;
    const engine = engineId(id);
    if (!engine) return undefined;
    let raw: Docker.ContainerInspectInfo;
    try {
      raw = await this.docker.getContainer(engine).inspect();
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
    const labels = raw.Config.Labels ?? {};
    // Another node's (or cluster's) container is not ours to see.
    if (Object.entries(this.scope).some(([k, v]) => labels[k] !== v)) return undefined;
    const info = toInfo(raw);
    if (info.state === 'exited') this.exitedCache.set(info.id, info);
    return info;
  }

  async logs(id: string, options: LogOptions = {}): Promise<string> {
    await this.owned(id);
    const tail = options.tailLines;
    if (tail !== undefined && tail <= 0) return '';
    try {
      const buffer = await this.container(id).logs({ stdout: true, stderr: true, follow: false, ...(tail !== undefined ? { tail } : {}) });
      return demuxLogText(buffer);
    } catch (e) {
      throw this.translate(e, id);
    }
  }

  async followLogs(id: string, options: LogOptions = {}): Promise<LogStream> {
    await this.owned(id);
    const tail = options.tailLines;
    const abort = new AbortController();
    let stream: NodeJS.ReadableStream;
    try {
      // tail=0 follows only what comes next.
      stream = await this.container(id).logs({ stdout: true, stderr: true, follow: true, ...(tail !== undefined ? { tail: Math.max(0, tail) } : {}), abortSignal: abort.signal });
    } catch (e) {
      throw this.translate(e, id);
    }
    const queue = new AsyncQueue<string>(() => abort.abort());
    const demuxer = new LogDemuxer();
    const push = (frames: readonly { text: string }[]) => {
      for (const f of frames) queue.push(f.text);
    };
    stream.on('data', (chunk: Buffer) => push(demuxer.push(chunk)));
    // The engine ends a followed log when the container exits.
    const finish = () => {
      push(demuxer.end());
      queue.end();
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
    return { [Symbol.asyncIterator]: () => queue, close: () => void queue.return() };
  }

  subscribe(listener: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops watching the engine. Containers keep running (a kubelet restart: the next runtime
   * adopts them) unless removeContainers is set, which force-removes every container of this
   * node (tests; `kubeprop up` shutting down).
   */
  async close(options: { removeContainers?: boolean } = {}): Promise<void> {
    this.closed = true;
    this.events.close();
    this.listeners.clear();
    if (options.removeContainers) {
      const mine = await this.docker.listContainers({ all: true, filters: { label: labelFilters(this.scope) } });
      await Promise.all(mine.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch((e: unknown) => {
        if (statusOf(e) !== 404) throw e;
      })));
    }
  }

  // ---- internals ----

  private container(id: string): Docker.Container {
    const engine = engineId(id);
    if (!engine) throw new ContainerNotFoundError(id);
    return this.docker.getContainer(engine);
  }

  /** The container if it is this runtime's; ContainerNotFoundError otherwise. */
  private async owned(id: string): Promise<ContainerInfo> {
    const info = await this.inspect(id);
    if (!info) throw new ContainerNotFoundError(id);
    return info;
  }

  private translate(e: unknown, id: string): unknown {
    return statusOf(e) === 404 ? new ContainerNotFoundError(id) : e;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the docker runtime is closed');
  }

  private onEngineEvent(e: EngineContainerEvent): void {
    const id = `${DOCKER_SCHEME}${e.id}`;
    // A restarted (`docker start`) or removed (`docker rm`) container is no longer what the cache says.
    if (e.action !== 'die') this.exitedCache.delete(id);
    if (e.action === 'destroy') return;
    const event: RuntimeEvent =
      e.action === 'start'
        ? { type: 'started', id, at: e.at, labels: e.labels }
        : { type: 'exited', id, at: e.at, ...(e.exitCode !== undefined ? { exitCode: e.exitCode } : {}), labels: e.labels };
    for (const l of this.listeners) l(event);
  }
}
