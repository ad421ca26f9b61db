// Makes a container's image present before it starts, as upstream's image manager does:
// by the pull policy (Always pulls, IfNotPresent only when missing, Never never), with the
// events kubectl describe shows (Pulling, Pulled, Failed, BackOff), and with a back-off per
// pod and image after a failed pull, during which the container waits in ImagePullBackOff.

import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, Millis } from '../env/clock.js';
import type { ApiObject } from '../client/api-client.js';
import type { EventRecorder } from '../client/event-recorder.js';
import { ImagePullError, type ContainerRuntime } from '../runtime/runtime.js';
import type { Backoff } from './backoff.js';
import { goDuration } from './go-duration.js';
import type { Waiting } from './pod-status.js';

export type PullResult = { readonly ok: true } | { readonly ok: false; readonly waiting: Waiting; readonly retryAfterMs: Millis };

/** How long a failed pull shows as ErrImagePull before the pod is synced again (then ImagePullBackOff). */
export const ERR_IMAGE_PULL_SHOWN_MS = 1_000;

/** ErrImageNeverPull waits for the periodic sync: nothing will change on its own. */
const NEVER_PULL_RETRY_MS = 60_000;

/** The fieldPath events name a container by: spec.initContainers{name} for an init container of `pod`. */
export function containerFieldPath(name: string, pod?: Pod): string {
  const init = (pod?.spec?.initContainers ?? []).some((c) => c.name === name);
  return init ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;
}

export class ImagePuller {
  /** The last pull error per back-off key, for the ImagePullBackOff message. */
  private readonly lastError = new Map<string, string>();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly recorder: EventRecorder,
    private readonly backoff: Backoff,
    private readonly clock: Clock,
  ) {}

  async ensureImage(pod: Pod, container: Container): Promise<PullResult> {
    const image = container.image ?? '';
    const policy = container.imagePullPolicy ?? 'IfNotPresent';
    const event = (type: 'Normal' | 'Warning', reason: string, message: string) =>
      this.recorder.event(pod as ApiObject, type, reason, message, containerFieldPath(container.name, pod));
    const present = await this.runtime.hasImage(image);
    if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
      if (present) {
        event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return { ok: true };
      }
      const message = `Container image "${image}" is not present with pull policy of Never`;
      event('Warning', 'ErrImageNeverPull', message);
      return { ok: false, waiting: { reason: 'ErrImageNeverPull', message }, retryAfterMs: NEVER_PULL_RETRY_MS };
    }
    const key = `${pod.metadata?.uid ?? ''}_${image}`;
    const now = this.clock.now();
    const failedAt = this.backoff.lastUpdate(key);
    if (failedAt !== undefined && now - failedAt < ERR_IMAGE_PULL_SHOWN_MS && this.lastError.has(key)) {
      // The failure is fresh: keep showing it (a sync right after a failed pull must not hide it).
      return { ok: false, waiting: { reason: 'ErrImagePull', message: this.lastError.get(key) ?? '' }, retryAfterMs: failedAt + ERR_IMAGE_PULL_SHOWN_MS - now };
    }
    if (this.backoff.isInBackOffSinceUpdate(key, now)) {
      const message = `Back-off pulling image "${image}"`;
      event('Normal', 'BackOff', message);
      event('Warning', 'Failed', 'Error: ImagePullBackOff');
      const last = this.lastError.get(key);
      const until = (this.backoff.lastUpdate(key) ?? now) + this.backoff.get(key);
      return { ok: false, waiting: { reason: 'ImagePullBackOff', message: last ? `${message}: ErrImagePull: ${last}` : message }, retryAfterMs: Math.max(0, until - now) };
    }
    event('Normal', 'Pulling', `Pulling image "${image}"`);
    try {
      await this.runtime.pullImage(image);
    } catch (e) {
      if (!(e instanceof ImagePullError)) throw e;
      this.backoff.next(key, this.clock.now());
      this.lastError.set(key, e.message);
      event('Warning', 'Failed', `Failed to pull image "${image}": ${e.message}`);
      event('Warning', 'Failed', 'Error: ErrImagePull');
      return { ok: false, waiting: { reason: 'ErrImagePull', message: e.message }, retryAfterMs: ERR_IMAGE_PULL_SHOWN_MS };
    }
    this.backoff.reset(key);
    this.lastError.delete(key);
    const took = goDuration(this.clock.now() - now);
    event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting)`);
    return { ok: true };
  }

  /** Forgets a pod's pull failures (the pod is gone). */
  forgetPod(uid: string): void {
    this.backoff.forgetPrefix(`${uid}_`);
    for (const key of [...this.lastError.keys()]) if (key.startsWith(`${uid}_`)) this.lastError.delete(key);
  }
}
