// An informer: list, then watch from the list's resourceVersion, keeping a cache of the
// objects and telling handlers of adds, updates and deletes. A watch that ends is resumed
// from the last resourceVersion seen; a 410 Gone (compacted) or a broken connection leads
// to a relist, whose differences against the cache are delivered as events. Periodic
// resync re-delivers every cached object as an update, so level-triggered controllers
// recover from anything they missed.

import type { Env } from '../env/env.js';
import { ApiClient, isGone, type ApiObject, type ListOptions } from './api-client.js';
import type { ResourceRef } from './resources.js';

export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(old: T, obj: T): void;
  delete?(obj: T): void;
}

export interface InformerOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Re-deliver every cached object this often (0: never). */
  readonly resyncMs?: number;
  /** Wait before relisting after an error (default 1 s). */
  readonly retryMs?: number;
}

export function objectKey(obj: ApiObject): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
}

export class Informer<T extends ApiObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private resourceVersion = '';
  private hasSynced = false;
  private syncWaiters: (() => void)[] = [];
  private stopped = false;
  private closeWatch: (() => void) | undefined;

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    readonly resource: ResourceRef,
    private readonly options: InformerOptions = {},
  ) {}

  on(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
  }

  get synced(): boolean {
    return this.hasSynced;
  }

  waitForSync(): Promise<void> {
    if (this.hasSynced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  /** The last resourceVersion the informer has seen (list or event). */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /** Runs until stop(): list, watch, resume, relist. */
  start(): void {
    void this.loop();
    const resync = this.options.resyncMs ?? 0;
    if (resync > 0) {
      const tick = () => {
        if (this.stopped) return;
        for (const obj of this.cache.values()) for (const h of this.handlers) h.update?.(obj, obj);
        this.env.timers.setTimer(resync, tick);
      };
      this.env.timers.setTimer(resync, tick);
    }
  }

  stop(): void {
    this.stopped = true;
    this.closeWatch?.();
  }

  private selectors(): ListOptions {
    return {
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
      ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
    };
  }

  private async relist(): Promise<void> {
    const list = await this.client.list<T>(this.resource, this.options.namespace, this.selectors());
    const fresh = new Map(list.items.map((o) => [objectKey(o), o]));
    for (const [key, old] of this.cache) {
      if (!fresh.has(key)) {
        this.cache.delete(key);
        for (const h of this.handlers) h.delete?.(old);
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) for (const h of this.handlers) h.add?.(obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) for (const h of this.handlers) h.update?.(old, obj);
    }
    this.resourceVersion = list.resourceVersion;
    if (!this.hasSynced) {
      this.hasSynced = true;
      for (const w of this.syncWaiters) w();
      this.syncWaiters = [];
    }
  }

  private async loop(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) await this.relist();
        needList = false;
        const watch = await this.client.watch<T>(this.resource, this.options.namespace, {
          ...this.selectors(),
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
        });
        this.closeWatch = () => watch.close();
        if (this.stopped) watch.close();
        for await (const e of watch) {
          if (e.type === 'ERROR') {
            // A Status in the stream: 410 Gone means our resourceVersion was compacted.
            needList = true;
            break;
          }
          const obj = e.object;
          const rv = obj.metadata?.resourceVersion;
          if (rv) this.resourceVersion = rv;
          if (e.type === 'BOOKMARK') continue;
          const key = objectKey(obj);
          const old = this.cache.get(key);
          if (e.type === 'DELETED') {
            this.cache.delete(key);
            for (const h of this.handlers) h.delete?.(old ?? obj);
          } else {
            this.cache.set(key, obj);
            if (old) for (const h of this.handlers) h.update?.(old, obj);
            else for (const h of this.handlers) h.add?.(obj);
          }
        }
      } catch (e) {
        // 410: our resourceVersion is gone, relist. Anything else (a broken connection, a
        // server restart): wait, then resume the watch from the last resourceVersion seen.
        if (isGone(e)) needList = true;
        else await this.env.timers.sleep(this.options.retryMs ?? 1000);
      }
    }
  }
}
