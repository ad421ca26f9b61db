// The ReplicaSet controller: keeps spec.replicas active pods for every ReplicaSet. sync(key)
// reads the ReplicaSet and the pods from the shared informer caches, claims the pods it
// should own (adopting matching orphans, releasing owned pods that no longer match),
// creates or deletes the difference, and writes status. Expectations keep a sync that runs
// on a cache not yet showing this controller's own writes from acting a second time.

import type { ReplicaSet, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiClient, isConflict, isNotFound, type ApiObject } from '../../client/api-client.js';
import type { ControllerLoop } from '../../client/controller-loop.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { objectKey } from '../../client/informer.js';
import { PODS, REPLICASETS } from '../../client/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Env } from '../../env/env.js';
import { controllerRefOf, keyOf, newControllerRef, splitKey, type OwnerReference } from '../controller-ref.js';
import { ControllerExpectations, DEFAULT_EXPECTATIONS_TIMEOUT_MS } from '../expectations.js';
import { mutantOn, type ControllerMutants } from '../mutants.js';
import { isPodActive, isPodReady } from '../pod-readiness.js';
import { controllerSelectorMatches } from '../selector.js';
import { errorMessage, writeOutcomeUnknown } from '../write-outcome.js';
import { podsToDelete } from './pod-deletion-order.js';
import { calculateReplicaSetStatus, replicaSetStatusChanged } from './replicaset-status.js';

export interface ReplicaSetControllerOptions {
  readonly expectationsTimeoutMs?: number;
  /** Most pods one sync creates or deletes (upstream's burstReplicas). */
  readonly burstReplicas?: number;
  /** Largest back-off between retries of a failing key. */
  readonly retryMaxMs?: number;
  readonly mutants?: ControllerMutants;
}

const KIND = 'ReplicaSet';
const API_VERSION = 'apps/v1';
const STATUS_UPDATE_RETRIES = 1;

export class ReplicaSetController implements ControllerLoop {
  readonly name = 'replicaset-controller';
  /** ReplicaSet keys (namespace/name) waiting to be synced. */
  readonly queue: WorkQueue<string>;
  /** A TTL cache of the pod creates and deletes each ReplicaSet expects to see in the informer. */
  readonly expectations: ControllerExpectations;
  /** The sync handler; a field so tests can wrap or replace it. */
  sync: (key: string) => Promise<void> = (key) => this.syncReplicaSet(key);

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    private readonly replicaSets: Informer<ReplicaSet>,
    private readonly pods: Informer<Pod>,
    private readonly recorder: EventRecorder,
    private readonly options: ReplicaSetControllerOptions = {},
  ) {
    this.queue = new WorkQueue<string>(env.timers, { maxMs: options.retryMaxMs ?? 60_000 });
    this.expectations = new ControllerExpectations(env.clock, options.expectationsTimeoutMs ?? DEFAULT_EXPECTATIONS_TIMEOUT_MS);
    replicaSets.on({
      add: (rs) => this.queue.add(objectKey(rs)),
      // Every update is enqueued, resyncs included: it is safer to sync any time, and a
      // periodic resync is what rescues a ReplicaSet whose last sync failed quietly.
      update: (old, rs) => {
        if (old.metadata?.uid !== rs.metadata?.uid) this.forgetReplicaSet(old);
        this.queue.add(objectKey(rs));
      },
      delete: (rs) => this.forgetReplicaSet(rs),
    });
    pods.on({ add: (p) => this.addPod(p), update: (old, p) => this.updatePod(old, p), delete: (p) => this.deletePod(p) });
  }

  private forgetReplicaSet(rs: ReplicaSet): void {
    const key = objectKey(rs);
    this.expectations.forget(key);
    this.queue.add(key);
  }

  // ---- pod events: which ReplicaSets they concern ----

  /** The ReplicaSet a controllerRef names, if the cache holds that very object (same uid). */
  private resolveControllerRef(namespace: string | undefined, ref: OwnerReference): ReplicaSet | undefined {
    if (ref.kind !== KIND || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = this.replicaSets.get(keyOf(namespace, ref.name));
    return rs && rs.metadata?.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose selector matches an orphan pod: candidates to adopt it. */
  private replicaSetsSelecting(pod: Pod): ReplicaSet[] {
    const ns = pod.metadata?.namespace;
    return this.replicaSets.list().filter((rs) => rs.metadata?.namespace === ns && controllerSelectorMatches(rs.spec?.selector, pod.metadata?.labels));
  }

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      // Seen for the first time already terminating (a relist, a restart): a deletion.
      this.deletePod(pod);
      return;
    }
    const ref = controllerRefOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata?.namespace, ref);
      if (!rs) return;
      const key = objectKey(rs);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    for (const rs of this.replicaSetsSelecting(pod)) this.queue.add(objectKey(rs));
  }

  private updatePod(old: Pod, pod: Pod): void {
    // A resync re-delivers the same version; the ReplicaSet's own resync covers it.
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {});
    if (pod.metadata?.deletionTimestamp) {
      // Graceful deletion: the pod no longer counts, so its deletion is observed now, not
      // when the kubelet finally removes it.
      this.deletePod(pod);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const ref = controllerRefOf(pod);
    const oldRef = controllerRefOf(old);
    const refChanged = JSON.stringify(ref) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const rs = this.resolveControllerRef(old.metadata?.namespace, oldRef);
      if (rs) this.queue.add(objectKey(rs));
    }
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata?.namespace, ref);
      if (!rs) return;
      this.queue.add(objectKey(rs));
      const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
      // Ready now, available minReadySeconds later: look again then to count it.
      if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(objectKey(rs), minReadySeconds * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.replicaSetsSelecting(pod)) this.queue.add(objectKey(rs));
  }

  private deletePod(pod: Pod): void {
    const ref = controllerRefOf(pod);
    if (!ref) return;
    const rs = this.resolveControllerRef(pod.metadata?.namespace, ref);
    if (!rs) return;
    const key = objectKey(rs);
    this.expectations.deletionObserved(key, objectKey(pod));
    this.queue.add(key);
  }

  // ---- sync ----

  private async syncReplicaSet(key: string): Promise<void> {
    const rs = this.replicaSets.get(key);
    if (!rs) {
      this.expectations.forget(key);
      return;
    }
    const { namespace } = splitKey(key);
    const needsSync = mutantOn(this.options.mutants, 'ignore-expectations') || this.expectations.satisfied(key);
    const active = this.pods.list().filter((p) => p.metadata?.namespace === namespace && isPodActive(p));
    const pods = await this.claimPods(rs, active);
    let manageError: unknown;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(key, rs, pods);
      } catch (e) {
        manageError = e;
      }
    }
    const status = calculateReplicaSetStatus(rs, pods, manageError, this.env.clock.now());
    const written = await this.updateStatus(rs, status);
    const minReadySeconds = written.spec?.minReadySeconds ?? 0;
    const replicas = written.spec?.replicas ?? 1;
    if (manageError === undefined && minReadySeconds > 0 && status.readyReplicas === replicas && status.availableReplicas !== replicas) {
      this.queue.addAfter(key, minReadySeconds * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  /**
   * The active pods this ReplicaSet owns after adopting matching orphans and releasing owned
   * pods its selector no longer matches (upstream's ControllerRefManager).
   */
  private async claimPods(rs: ReplicaSet, pods: readonly Pod[]): Promise<Pod[]> {
    const uid = rs.metadata?.uid;
    const deleting = !!rs.metadata?.deletionTimestamp;
    const claimed: Pod[] = [];
    const errors: unknown[] = [];
    let adoptable: Promise<void> | undefined;
    for (const pod of pods) {
      const matches = controllerSelectorMatches(rs.spec?.selector, pod.metadata?.labels);
      const ref = controllerRefOf(pod);
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches) {
          claimed.push(pod);
          continue;
        }
        if (deleting) continue;
        try {
          await this.releasePod(rs, pod);
        } catch (e) {
          if (!isNotFound(e)) errors.push(e);
        }
        continue;
      }
      if (deleting || !matches || pod.metadata?.deletionTimestamp) continue;
      try {
        // Before the first adoption, check with a fresh read that this ReplicaSet still is
        // what the cache says: never adopt on behalf of a deleted or replaced owner.
        adoptable ??= this.checkAdoptable(rs);
        await adoptable;
        claimed.push(await this.adoptPod(rs, pod));
      } catch (e) {
        if (!isNotFound(e)) errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
    return claimed;
  }

  private async checkAdoptable(rs: ReplicaSet): Promise<void> {
    const m = rs.metadata ?? {};
    const fresh = await this.client.get<ReplicaSet>(REPLICASETS, m.namespace, m.name ?? '');
    if (fresh.metadata?.uid !== m.uid) throw new Error(`original ReplicaSet ${m.namespace}/${m.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${m.uid}`);
    if (fresh.metadata?.deletionTimestamp) throw new Error(`${m.namespace}/${m.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  /** Adds this ReplicaSet's controllerRef; the resourceVersion makes it fail on a changed pod. */
  private adoptPod(rs: ReplicaSet, pod: Pod): Promise<Pod> {
    const m = pod.metadata ?? {};
    const refs = [...(m.ownerReferences ?? []), newControllerRef(rs as ApiObject, API_VERSION, KIND)];
    return this.client.patch<Pod>(PODS, m.namespace, m.name ?? '', 'merge', { metadata: { resourceVersion: m.resourceVersion, ownerReferences: refs } });
  }

  private async releasePod(rs: ReplicaSet, pod: Pod): Promise<void> {
    const m = pod.metadata ?? {};
    const refs = (m.ownerReferences ?? []).filter((r) => r.uid !== rs.metadata?.uid);
    await this.client.patch(PODS, m.namespace, m.name ?? '', 'merge', { metadata: { resourceVersion: m.resourceVersion, ownerReferences: refs.length > 0 ? refs : null } });
  }

  private async manageReplicas(key: string, rs: ReplicaSet, pods: readonly Pod[]): Promise<void> {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const burst = this.options.burstReplicas ?? 500;
    if (diff < 0) await this.createPods(key, rs, Math.min(-diff, burst));
    else if (diff > 0) await this.deletePods(key, rs, pods, Math.min(diff, burst));
  }

  /**
   * Creates `count` pods in batches of 1, 2, 4, ... (upstream's slow start): a ReplicaSet whose
   * pods all fail (quota, a terminating namespace) fails after one request, not `count`.
   */
  private async createPods(key: string, rs: ReplicaSet, count: number): Promise<void> {
    this.expectations.expectCreations(key, count);
    let remaining = count;
    let batch = Math.min(remaining, 1);
    let firstError: unknown;
    while (batch > 0 && firstError === undefined) {
      const results = await Promise.allSettled(Array.from({ length: batch }, () => this.createPod(rs)));
      for (const r of results) {
        if (r.status === 'fulfilled') continue;
        firstError ??= r.reason;
        // A create that surely failed will never be observed; one that may have happened
        // stays expected until it shows up or the expectation expires.
        if (!writeOutcomeUnknown(r.reason)) this.expectations.creationObserved(key);
      }
      remaining -= batch;
      batch = Math.min(2 * batch, remaining);
    }
    // Creates never attempted will not be observed either.
    if (remaining > 0) this.expectations.creationObserved(key, remaining);
    if (firstError !== undefined) throw firstError;
  }

  private async createPod(rs: ReplicaSet): Promise<void> {
    const m = rs.metadata ?? {};
    const template = rs.spec?.template ?? {};
    const tm = template.metadata ?? {};
    const pod: Pod = {
      metadata: {
        generateName: `${m.name ?? ''}-`,
        namespace: m.namespace,
        ...(tm.labels ? { labels: { ...tm.labels } } : {}),
        ...(tm.annotations ? { annotations: { ...tm.annotations } } : {}),
        ...(tm.finalizers ? { finalizers: [...tm.finalizers] } : {}),
        ownerReferences: [newControllerRef(rs as ApiObject, API_VERSION, KIND)],
      },
      spec: structuredClone(template.spec ?? { containers: [] }),
    };
    try {
      const created = await this.client.create<Pod>(PODS, m.namespace, pod);
      this.recorder.event(rs as ApiObject, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
    } catch (e) {
      this.recorder.event(rs as ApiObject, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
      throw e;
    }
  }

  private async deletePods(key: string, rs: ReplicaSet, pods: readonly Pod[], count: number): Promise<void> {
    const victims = podsToDelete(pods, this.relatedPods(rs), count);
    this.expectations.expectDeletions(key, victims.map((p) => objectKey(p)));
    const results = await Promise.allSettled(
      victims.map(async (pod) => {
        const m = pod.metadata ?? {};
        try {
          await this.client.delete(PODS, m.namespace, m.name ?? '', { preconditions: { uid: m.uid ?? '' } });
          this.recorder.event(rs as ApiObject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${m.name ?? ''}`);
        } catch (e) {
          if (!writeOutcomeUnknown(e)) this.expectations.deletionObserved(key, objectKey(pod));
          if (isNotFound(e)) return;
          this.recorder.event(rs as ApiObject, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
          throw e;
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Pods of every ReplicaSet with the same controller as this one (a Deployment's old and new
   * ReplicaSets): scaling down prefers pods doubled up on a node with these.
   */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const ns = rs.metadata?.namespace;
    const owner = controllerRefOf(rs as ApiObject)?.uid;
    const related = new Set<string>([rs.metadata?.uid ?? '']);
    if (owner) {
      for (const other of this.replicaSets.list()) {
        if (other.metadata?.namespace === ns && controllerRefOf(other as ApiObject)?.uid === owner) related.add(other.metadata?.uid ?? '');
      }
    }
    return this.pods.list().filter((p) => p.metadata?.namespace === ns && isPodActive(p) && related.has(controllerRefOf(p)?.uid ?? ''));
  }

  /** Writes status when it changed; on a conflict re-reads once and tries again. */
  private async updateStatus(rs: ReplicaSet, status: ReplicaSetStatus): Promise<ReplicaSet> {
    if (!replicaSetStatusChanged(rs, status)) return rs;
    let current = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.update<ReplicaSet>(REPLICASETS, { ...current, status } as ReplicaSet, 'status');
      } catch (e) {
        if (!isConflict(e) || attempt >= STATUS_UPDATE_RETRIES) throw e;
        const m = rs.metadata ?? {};
        current = await this.client.get<ReplicaSet>(REPLICASETS, m.namespace, m.name ?? '');
        if (current.metadata?.uid !== m.uid) return current;
      }
    }
  }
}
