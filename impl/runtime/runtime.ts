// The container runtime seam: what a kubelet asks of a node's runtime (images, containers,
// their states, exits and output). Implementations: sim (virtual containers in the sim
// kernel), process (host processes via execa) and docker (dockerode). A runtime belongs to
// a node, not to its kubelet: containers outlive a kubelet restart, as on a real node.

/** Labels every runtime puts on a pod's containers, so a restarted kubelet can adopt them. */
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
/** How many times the kubelet had started this container before (restartCount at creation). */
export const RESTART_COUNT_LABEL = 'io.kubernetes.container.restartCount';
/** A digest of the container's spec: when the pod's spec changes (a new image), the kubelet replaces the container. */
export const CONTAINER_HASH_LABEL = 'io.kubernetes.container.hash';
/** The pod IP the kubelet allocated, so a restarted kubelet keeps it (kubeprop's own label). */
export const POD_IP_LABEL = 'io.kubeprop.pod.ip';

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

export type ContainerState = 'created' | 'running' | 'exited';

export interface ContainerInfo {
  /** With its runtime's scheme: sim://…, process://<pid>, docker://<id>. */
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** The image's content address, as status.containerStatuses[].imageID shows it. */
  readonly imageID: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: ContainerState;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly exitCode?: number;
  /** For exits: Completed (0), Error (non-zero), OOMKilled. */
  readonly reason?: string;
  /** The signal that ended the process, when one did (9 for SIGKILL). */
  readonly signal?: number;
}

/** Something a runtime observed on its own (not as the answer to a call). */
export interface RuntimeEvent {
  readonly type: 'started' | 'exited';
  readonly id: string;
  readonly at: number;
  readonly exitCode?: number;
  /** The container's labels, so a listener can tell whose container it was without a lookup. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A followed log: chunks of output as the container writes them; ends when it exits. */
export interface LogStream extends AsyncIterable<string> {
  close(): void;
}

export interface LogOptions {
  /** Only the last n lines. */
  readonly tailLines?: number;
}

export class ImagePullError extends Error {
  constructor(
    readonly image: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImagePullError';
  }
}

/** A call about a container the runtime does not know (removed, or never created). */
export class ContainerNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`container ${id} not found`);
    this.name = 'ContainerNotFoundError';
  }
}

export interface ContainerRuntime {
  /** sim | process | docker. */
  readonly name: string;
  /** containerRuntimeVersion for the node's status, e.g. "sim://0.1.0". */
  readonly version: string;
  /** Makes the image present, or throws ImagePullError (no registry is reachable here). */
  pullImage(image: string): Promise<void>;
  hasImage(image: string): Promise<boolean>;
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after the grace period; resolves when the container has exited. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  /** Containers whose labels include every given label. */
  listContainers(labels?: Readonly<Record<string, string>>): Promise<ContainerInfo[]>;
  inspect(id: string): Promise<ContainerInfo | undefined>;
  logs(id: string, options?: LogOptions): Promise<string>;
  /** The log so far (or its tail), then what the container writes until it exits or the stream is closed. */
  followLogs(id: string, options?: LogOptions): Promise<LogStream>;
  /** Exits and starts as they happen; the kubelet also relists, so events are a speed-up only. */
  subscribe(listener: (e: RuntimeEvent) => void): () => void;
}

/** The last `n` lines of `text` (a trailing newline does not count as a line). */
export function tailLines(text: string, n: number | undefined): string {
  if (n === undefined) return text;
  if (n <= 0) return '';
  const lines = text.split('\n');
  const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
  const kept = lines.slice(Math.max(0, lines.length - n));
  return kept.join('\n') + (trailing !== undefined && kept.length > 0 ? '\n' : '');
}
