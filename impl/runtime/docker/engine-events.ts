// The Docker Engine's event stream for one node's containers (`docker events`, filtered by
// the node's scope labels): starts and exits as the engine sees them, whoever caused them —
// the kubelet's stop, the container's own exit, or a `docker kill` from outside. A broken
// stream (dockerd restarted) is reopened from the time of the last event seen, so a short
// outage loses nothing the engine still remembers; the kubelet relists anyway.

import type Docker from 'dockerode';

export interface EngineContainerEvent {
  /** destroy: the container was removed (by anyone). */
  readonly action: 'start' | 'die' | 'destroy';
  /** The engine's id (64 hex). */
  readonly id: string;
  /** Wall-clock milliseconds. */
  readonly at: number;
  readonly exitCode?: number;
  /** The container's labels (the event's attributes without the engine's own keys). */
  readonly labels: Readonly<Record<string, string>>;
}

/** What the engine sends for one event (the fields used here). */
interface WireEvent {
  readonly Type?: string;
  readonly Action?: string;
  readonly status?: string;
  readonly id?: string;
  readonly time?: number;
  readonly timeNano?: number;
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Readonly<Record<string, string>> };
}

/** Attributes of container events that are not the container's labels. */
const ENGINE_ATTRIBUTES = new Set(['image', 'name', 'exitCode', 'signal', 'execDuration']);

const RETRY_MS = 1_000;

export class EngineEvents {
  private closed = false;
  private abort: AbortController | undefined;
  /** Nanoseconds of the last event delivered, and the keys of the events at that instant (a reopen repeats them). */
  private lastNano = 0;
  private lastKeys = new Set<string>();
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly labelFilters: readonly string[],
    private readonly deliver: (e: EngineContainerEvent) => void,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Opens the stream; resolves once the engine has accepted it, so every later event is seen. */
  async start(): Promise<void> {
    await this.open();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.abort?.abort();
  }

  private async open(): Promise<void> {
    if (this.closed) return;
    const abort = new AbortController();
    this.abort = abort;
    const stream = await this.docker.getEvents({
      filters: { type: ['container'], event: ['start', 'die', 'destroy'], label: [...this.labelFilters] },
      // Whole seconds: events of the last second seen come again and are dropped by key.
      ...(this.lastNano > 0 ? { since: Math.floor(this.lastNano / 1e9) } : {}),
      abortSignal: abort.signal,
    });
    let partial = '';
    stream.on('data', (chunk: Buffer | string) => {
      partial += chunk.toString();
      let newline: number;
      while ((newline = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, newline).trim();
        partial = partial.slice(newline + 1);
        if (line) this.handle(line);
      }
    });
    const reopen = (error?: unknown) => {
      if (this.closed || this.abort !== abort) return;
      if (error !== undefined) this.onError(error);
      this.abort = undefined;
      this.retry = setTimeout(() => void this.open().catch((e: unknown) => reopen(e)), RETRY_MS);
    };
    stream.on('error', (e: unknown) => reopen(e));
    stream.on('end', () => reopen());
    stream.on('close', () => reopen());
  }

  private handle(line: string): void {
    let e: WireEvent;
    try {
      e = JSON.parse(line) as WireEvent;
    } catch {
      return;
    }
    const action = e.Action ?? e.status;
    const id = e.Actor?.ID ?? e.id;
    if ((action !== 'start' && action !== 'die' && action !== 'destroy') || !id) return;
    const nano = e.timeNano ?? (e.time ?? 0) * 1e9;
    const key = `${id}/${action}/${nano}`;
    if (nano < this.lastNano || (nano === this.lastNano && this.lastKeys.has(key))) return;
    if (nano > this.lastNano) {
      this.lastNano = nano;
      this.lastKeys = new Set();
    }
    this.lastKeys.add(key);
    const attributes = e.Actor?.Attributes ?? {};
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(attributes)) if (!ENGINE_ATTRIBUTES.has(k)) labels[k] = v;
    const code = attributes.exitCode !== undefined ? Number(attributes.exitCode) : undefined;
    this.deliver({
      action,
      id,
      at: Math.round(nano / 1e6),
      ...(action === 'die' && code !== undefined && Number.isFinite(code) ? { exitCode: code } : {}),
      labels,
    });
  }
}
