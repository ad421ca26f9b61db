// The kubelet's handle on its node's simulated runtime: every ContainerRuntime call is a call
// over the sim network to runtime/<node>, so the kubelet's process and the node's are apart
// as on a real machine (a killed kubelet's pending calls die with it; its containers do not).
// Runtime events arrive on one long-lived stream, reopened after a break.

import type { Env } from '../../env/env.js';
import type { RemoteStream } from '../../env/network.js';
import {
  ContainerNotFoundError,
  ImagePullError,
  type ContainerInfo,
  type ContainerRuntime,
  type ContainerSpec,
  type LogOptions,
  type LogStream,
  type RuntimeEvent,
} from '../runtime.js';
import { runtimeAddress, SIM_RUNTIME_VERSION, type RuntimeRequest } from './sim-runtime-protocol.js';

/** Calls give up after this long; a stop waits its grace period on top. */
const CALL_TIMEOUT_MS = 30_000;
/** Wait before reopening a broken event stream. */
const RESUBSCRIBE_MS = 1_000;

export class SimRuntimeClient implements ContainerRuntime {
  readonly name = 'sim';
  readonly version = SIM_RUNTIME_VERSION;
  private readonly address: string;
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();
  private events: RemoteStream<RuntimeEvent> | undefined;
  private subscribed = false;

  constructor(
    private readonly env: Env,
    node: string,
  ) {
    this.address = runtimeAddress(node);
  }

  private async call<T>(request: RuntimeRequest, timeoutMs = CALL_TIMEOUT_MS): Promise<T> {
    try {
      return await this.env.network.call<T>(this.address, request, { timeoutMs });
    } catch (e) {
      // Errors cross the network as plain copies: give them back their classes.
      if (e instanceof Error && e.name === 'ImagePullError') throw new ImagePullError((e as Error & { image?: string }).image ?? '', e.message);
      if (e instanceof Error && e.name === 'ContainerNotFoundError') throw new ContainerNotFoundError((e as Error & { id?: string }).id ?? '');
      throw e;
    }
  }

  pullImage(image: string): Promise<void> {
    return this.call({ op: 'pullImage', image });
  }

  hasImage(image: string): Promise<boolean> {
    return this.call({ op: 'hasImage', image });
  }

  createContainer(spec: ContainerSpec): Promise<string> {
    return this.call({ op: 'createContainer', spec });
  }

  startContainer(id: string): Promise<void> {
    return this.call({ op: 'startContainer', id });
  }

  stopContainer(id: string, graceSeconds: number): Promise<void> {
    return this.call({ op: 'stopContainer', id, graceSeconds }, CALL_TIMEOUT_MS + graceSeconds * 1000);
  }

  removeContainer(id: string): Promise<void> {
    return this.call({ op: 'removeContainer', id });
  }

  listContainers(labels?: Readonly<Record<string, string>>): Promise<ContainerInfo[]> {
    return this.call({ op: 'listContainers', ...(labels ? { labels } : {}) });
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    return (await this.call<ContainerInfo | null>({ op: 'inspect', id })) ?? undefined;
  }

  logs(id: string, options?: LogOptions): Promise<string> {
    return this.call({ op: 'logs', id, ...(options ? { options } : {}) });
  }

  async followLogs(id: string, options?: LogOptions): Promise<LogStream> {
    const stream = await this.env.network.openStream<string>(this.address, { op: 'followLogs', id, ...(options ? { options } : {}) } satisfies RuntimeRequest, { timeoutMs: CALL_TIMEOUT_MS });
    return { [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](), close: () => stream.close() };
  }

  subscribe(listener: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.subscribed) {
      this.subscribed = true;
      void this.pumpEvents();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.subscribed = false;
        this.events?.close();
      }
    };
  }

  /** Keeps one event stream open while anyone listens; a break loses events, which relists repair. */
  private async pumpEvents(): Promise<void> {
    while (this.subscribed) {
      try {
        this.events = await this.env.network.openStream<RuntimeEvent>(this.address, { op: 'events' } satisfies RuntimeRequest, { timeoutMs: CALL_TIMEOUT_MS });
        if (!this.subscribed) this.events.close();
        for await (const e of this.events) for (const l of this.listeners) l(e);
      } catch {
        // The node's runtime is unreachable or the stream broke.
      }
      if (this.subscribed) await this.env.timers.sleep(RESUBSCRIBE_MS);
    }
  }
}
