// Writes core/v1 Events about API objects on behalf of one component, the way client-go's
// events.k8s.io recorder does: `eventTime` in microseconds (so kubectl orders events of
// several components written within one second as they happened; whole-second
// lastTimestamps would tie and kubectl's unstable sort shuffles ties), and the same
// (object, type, reason, message) seen again bumps the `series` (and the legacy `count`) of
// the event already written instead of creating another, so `kubectl describe` shows
// "x3 over 2m". As client-go's EventSourceObjectSpamFilter, a component may write at most
// 25 events about one object in a burst, then one per 5 minutes; the rest are dropped
// (still counted into the series of an event already written), so a pod restarting in a
// tight loop cannot flood the API. Recording never blocks the caller: events are
// written in order by one background chain, and a failed write is dropped (an event is
// best-effort telemetry, never a reason for a controller to retry).

import type { Event, ObjectReference } from 'kubernetes-types/core/v1.js';
import { microTime } from '../api/meta-time.js';
import type { Clock } from '../env/clock.js';
import type { ApiClient, ApiObject } from './api-client.js';
import { isNotFound } from './api-client.js';
import { EVENTS } from './resources.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  /** source.component and reportingComponent: "kubelet", "default-scheduler", "deployment-controller". */
  readonly component: string;
  /** source.host and reportingInstance (the node, for a kubelet). */
  readonly host?: string;
}

export interface EventRecorder {
  /** Records an event about `object`; `fieldPath` names a part of it ("spec.containers{c}"). */
  event(object: ApiObject | ObjectReference, type: EventType, reason: string, message: string, fieldPath?: string): void;
  /** Resolves once every event recorded so far has been written (or dropped). */
  flush(): Promise<void>;
}

interface Written {
  readonly namespace: string;
  readonly name: string;
  count: number;
}

/** How many distinct events are remembered for aggregation (client-go keeps 4096). */
const DEFAULT_CACHE_SIZE = 4096;

/** client-go's defaultSpamBurst and defaultSpamQPS (1/300): 25 events about an object, then one per 5 minutes. */
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;

/** A token bucket of one object's events (client-go's spamRecord). */
interface SpamBucket {
  tokens: number;
  at: number;
}

export class ApiEventRecorder implements EventRecorder {
  /** Events already written, by aggregation key, in least-recently-used order (a Map keeps insertion order). */
  private readonly written = new Map<string, Written>();
  /** Spam buckets by involved object, in least-recently-used order. */
  private readonly spam = new Map<string, SpamBucket>();
  private chain: Promise<void> = Promise.resolve();
  private sequence = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly source: EventSource,
    private readonly cacheSize = DEFAULT_CACHE_SIZE,
  ) {}

  event(object: ApiObject | ObjectReference, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const ref = referenceOf(object, fieldPath);
    const at = microTime(this.clock.now());
    const dropped = this.spammed(ref);
    this.chain = this.chain.then(() => this.write(ref, type, reason, message, at, dropped)).catch(() => {});
  }

  /** Whether the object's bucket is empty (the event is dropped); takes a token when not. */
  private spammed(ref: ObjectReference): boolean {
    const key = [ref.kind ?? '', ref.namespace ?? '', ref.name ?? '', ref.uid ?? '', ref.apiVersion ?? ''].join('\u0000');
    const now = this.clock.now();
    const seen = this.spam.get(key);
    const bucket = seen ?? { tokens: SPAM_BURST, at: now };
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (now - bucket.at) / SPAM_REFILL_MS);
    bucket.at = now;
    this.spam.delete(key);
    this.spam.set(key, bucket);
    if (this.spam.size > this.cacheSize) {
      const oldest = this.spam.keys().next().value;
      if (oldest !== undefined) this.spam.delete(oldest);
    }
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  }

  flush(): Promise<void> {
    return this.chain;
  }

  private async write(ref: ObjectReference, type: EventType, reason: string, message: string, at: string, dropped: boolean): Promise<void> {
    const key = [ref.uid ?? '', ref.namespace ?? '', ref.name ?? '', ref.fieldPath ?? '', type, reason, message].join('\u0000');
    const seen = this.written.get(key);
    if (dropped) {
      // As client-go's correlator, a dropped event still counts into the series it belongs to.
      if (seen) seen.count++;
      return;
    }
    if (seen) {
      this.written.delete(key);
      this.written.set(key, seen);
      try {
        seen.count++;
        await this.client.patch(EVENTS, seen.namespace, seen.name, 'merge', { count: seen.count, series: { count: seen.count, lastObservedTime: at } });
        return;
      } catch (e) {
        // The event expired or was deleted meanwhile: write a fresh one.
        if (!isNotFound(e)) throw e;
        this.written.delete(key);
      }
    }
    const namespace = ref.namespace || 'default';
    const name = `${ref.name ?? 'unknown'}.${this.clock.now().toString(16)}${(this.sequence++).toString(16).padStart(4, '0')}`;
    const event: Event = {
      metadata: { name, namespace },
      involvedObject: ref,
      reason,
      message,
      type,
      count: 1,
      eventTime: at,
      action: reason,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
    await this.client.create(EVENTS, namespace, event as ApiObject);
    this.written.set(key, { namespace, name, count: 1 });
    if (this.written.size > this.cacheSize) {
      const oldest = this.written.keys().next().value;
      if (oldest !== undefined) this.written.delete(oldest);
    }
  }
}

function referenceOf(object: ApiObject | ObjectReference, fieldPath: string | undefined): ObjectReference {
  const ref: ObjectReference =
    'metadata' in object && object.metadata !== undefined
      ? {
          apiVersion: object.apiVersion,
          kind: object.kind,
          namespace: object.metadata.namespace,
          name: object.metadata.name,
          uid: object.metadata.uid,
          resourceVersion: object.metadata.resourceVersion,
        }
      : { ...(object as ObjectReference) };
  if (fieldPath !== undefined) ref.fieldPath = fieldPath;
  for (const k of Object.keys(ref) as (keyof ObjectReference)[]) if (ref[k] === undefined) delete ref[k];
  return ref;
}

