// Posts pod statuses to the API server, as upstream's status manager: the computed status is
// merged into the one the API holds (mergePodStatus keeps other components' conditions and
// the never-go-back rules), nothing is written when nothing changed, and a conflict is
// resolved by reading the pod again and merging once more.

import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { isConflict, isNotFound, type ApiClient } from '../client/api-client.js';
import { PODS } from '../client/resources.js';
import { mergePodStatus } from './pod-status.js';
import { stableJson } from './stable-json.js';

const MAX_ATTEMPTS = 4;

interface Posted {
  /** The resourceVersion the status was written over, and what was written. */
  readonly baseResourceVersion: string;
  readonly status: string;
}

export class StatusManager {
  /** The last status written per pod uid: the informer may not show it yet. */
  private readonly posted = new Map<string, Posted>();

  constructor(
    private readonly client: ApiClient,
    /** Mutant switch: post restartCount as computed, even when lower than the API's. */
    private readonly allowRestartCountDecrease = false,
  ) {}

  /** Writes `computed` into `pod`'s status unless it would change nothing. */
  async setStatus(pod: Pod, computed: PodStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    let current = pod;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const merged = this.merge(current.status, computed);
      const json = stableJson(merged);
      if (json === stableJson(current.status ?? {})) return;
      const last = this.posted.get(uid);
      // Our own last write, not yet seen by the informer that handed us `pod`: nothing new.
      if (last && last.baseResourceVersion === current.metadata?.resourceVersion && last.status === json) return;
      try {
        await this.client.update(PODS, { ...current, status: merged }, 'status');
        this.posted.set(uid, { baseResourceVersion: current.metadata?.resourceVersion ?? '', status: json });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
      }
      try {
        current = await this.client.get<Pod>(PODS, pod.metadata?.namespace, pod.metadata?.name ?? '');
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      // Same name, another pod: ours is gone.
      if (current.metadata?.uid !== uid) return;
    }
    throw new Error(`pod ${pod.metadata?.namespace}/${pod.metadata?.name}: status update kept conflicting`);
  }

  forget(uid: string): void {
    this.posted.delete(uid);
  }

  private merge(current: PodStatus | undefined, computed: PodStatus): PodStatus {
    const merged = mergePodStatus(current, computed);
    if (!this.allowRestartCountDecrease) return merged;
    const counts = new Map((computed.containerStatuses ?? []).map((s) => [s.name, s.restartCount]));
    return { ...merged, containerStatuses: (merged.containerStatuses ?? []).map((s) => ({ ...s, restartCount: counts.get(s.name) ?? s.restartCount })) };
  }
}
