// The Deployment controller: runs a Deployment's pods through ReplicaSets, one per pod
// template (named and labelled by the template's hash). sync(key) claims the ReplicaSets the
// Deployment's selector matches, finds or creates the one for the current template, and
// then, by strategy, scales it up and the old ones down (RollingUpdate within maxSurge and
// maxUnavailable; Recreate: all old pods gone first), or shares a scaling event among them
// proportionally; old ReplicaSets beyond revisionHistoryLimit are deleted; status and the
// Available / Progressing conditions are written for `kubectl rollout status`.

import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiClient, isAlreadyExists, isNotFound, type ApiObject } from '../../client/api-client.js';
import type { ControllerLoop } from '../../client/controller-loop.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { objectKey } from '../../client/informer.js';
import { DEPLOYMENTS, REPLICASETS } from '../../client/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Env } from '../../env/env.js';
import { controllerRefOf, keyOf, newControllerRef, type OwnerReference } from '../controller-ref.js';
import { mutantOn, type ControllerMutants } from '../mutants.js';
import { isPodActive, isPodAvailable } from '../pod-readiness.js';
import { controllerSelectorMatches } from '../selector.js';
import { errorMessage } from '../write-outcome.js';
import { calculateStatus, deploymentComplete, progressCheckDelay, rolloutStatus, statusEqual } from './deployment-status.js';
import {
  activeReplicaSets,
  byRevisionOldestFirst,
  copiedAnnotations,
  DESIRED_REPLICAS_ANNOTATION,
  desiredReplicasAnnotation,
  equalIgnoringHash,
  FAILED_RS_CREATE_REASON,
  FOUND_NEW_RS_REASON,
  getCondition,
  hasProgressDeadline,
  MAX_REPLICAS_ANNOTATION,
  maxRevision,
  NEW_RS_REASON,
  newCondition,
  PAUSED_REASON,
  RESUMED_REASON,
  REVISION_ANNOTATION,
  revisionOf,
  setCondition,
  specReplicas,
  TIMED_OUT_REASON,
  findNewReplicaSet,
} from './deployment-util.js';
import { maxSurgeOf } from './int-or-percent.js';
import { computePodTemplateHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { proportionalSizes } from './proportional-scale.js';
import { newReplicaSetSize, oldReplicaSetSizes, type ReplicaSetCounts } from './rolling-update.js';

export interface DeploymentControllerOptions {
  /** Largest back-off between retries of a failing key. */
  readonly retryMaxMs?: number;
  readonly mutants?: ControllerMutants;
}

const KIND = 'Deployment';
const API_VERSION = 'apps/v1';

/** One sync's view of its Deployment: replaced by the server's answer after each write, so later writes carry the current resourceVersion. */
interface SyncState {
  d: Deployment;
}

interface ReplicaSetsOfDeployment {
  newRS: ReplicaSet | undefined;
  old: ReplicaSet[];
}

export class DeploymentController implements ControllerLoop {
  readonly name = 'deployment-controller';
  /** Deployment keys (namespace/name) waiting to be synced. */
  readonly queue: WorkQueue<string>;
  /** The sync handler; a field so tests can wrap or replace it. */
  sync: (key: string) => Promise<void> = (key) => this.syncDeployment(key);

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    private readonly deployments: Informer<Deployment>,
    private readonly replicaSets: Informer<ReplicaSet>,
    private readonly pods: Informer<Pod>,
    private readonly recorder: EventRecorder,
    private readonly options: DeploymentControllerOptions = {},
  ) {
    this.queue = new WorkQueue<string>(env.timers, { maxMs: options.retryMaxMs ?? 60_000 });
    deployments.on({
      add: (d) => this.queue.add(objectKey(d)),
      update: (_old, d) => this.queue.add(objectKey(d)),
      delete: (d) => this.queue.add(objectKey(d)),
    });
    replicaSets.on({
      add: (rs) => this.replicaSetChanged(undefined, rs),
      update: (old, rs) => {
        if (old.metadata?.resourceVersion !== rs.metadata?.resourceVersion) this.replicaSetChanged(old, rs);
      },
      delete: (rs) => this.enqueueOwner(rs),
    });
    // The rollout's arithmetic counts pods (rolling-update.ts), so a pod that appears,
    // becomes ready or terminates is a reason to look at its Deployment again.
    pods.on({
      add: (p) => this.podChanged(p),
      update: (old, p) => {
        if (old.metadata?.resourceVersion !== p.metadata?.resourceVersion) this.podChanged(p);
      },
      delete: (p) => this.podChanged(p),
    });
  }

  // ---- events: which Deployments they concern ----

  private resolveDeployment(namespace: string | undefined, ref: OwnerReference | undefined): Deployment | undefined {
    if (!ref || ref.kind !== KIND || !ref.apiVersion.startsWith('apps/')) return undefined;
    const d = this.deployments.get(keyOf(namespace, ref.name));
    return d && d.metadata?.uid === ref.uid ? d : undefined;
  }

  private enqueueOwner(rs: ReplicaSet): void {
    const d = this.resolveDeployment(rs.metadata?.namespace, controllerRefOf(rs as ApiObject));
    if (d) this.queue.add(objectKey(d));
  }

  private replicaSetChanged(old: ReplicaSet | undefined, rs: ReplicaSet): void {
    const ref = controllerRefOf(rs as ApiObject);
    const oldRef = old ? controllerRefOf(old as ApiObject) : undefined;
    if (old && oldRef && JSON.stringify(oldRef) !== JSON.stringify(ref)) this.enqueueOwner(old);
    if (ref) {
      this.enqueueOwner(rs);
      return;
    }
    // An orphan: every Deployment that could adopt it.
    for (const d of this.deployments.list()) {
      if (d.metadata?.namespace === rs.metadata?.namespace && controllerSelectorMatches(d.spec?.selector, rs.metadata?.labels)) this.queue.add(objectKey(d));
    }
  }

  private podChanged(pod: Pod): void {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(keyOf(pod.metadata?.namespace, ref.name));
    if (rs && rs.metadata?.uid === ref.uid) this.enqueueOwner(rs);
  }

  // ---- sync ----

  private async syncDeployment(key: string): Promise<void> {
    const cached = this.deployments.get(key);
    if (!cached) return;
    const state: SyncState = { d: cached };
    const d = cached;
    const selector = d.spec?.selector;
    if (Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0) {
      this.recorder.event(d as ApiObject, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) await this.writeStatus(state, { ...d.status, observedGeneration: d.metadata?.generation ?? 0 });
      return;
    }
    const rsList = await this.claimReplicaSets(d);
    // Found once per sync: finding syncs the new ReplicaSet's revision, and the objects it
    // returns are the ones later writes must start from.
    const rss = await this.replicaSetsOf(state, rsList);
    if (d.metadata?.deletionTimestamp) {
      await this.syncStatus(state, [...rss.old, ...(rss.newRS ? [rss.newRS] : [])], rss.newRS);
      return;
    }
    if (await this.checkPausedConditions(state)) return;
    if (d.spec?.paused || this.isScalingEvent(state.d, rss)) {
      await this.syncScale(state, rss);
      return;
    }
    if (d.spec?.strategy?.type === 'Recreate') await this.rolloutRecreate(key, state, rss);
    else await this.rolloutRolling(key, state, rss);
  }

  /**
   * The ReplicaSets this Deployment owns after adopting matching orphans and releasing owned
   * ones its selector no longer matches (by the ReplicaSet's own labels, as upstream).
   */
  private async claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const ns = d.metadata?.namespace;
    const uid = d.metadata?.uid;
    const deleting = !!d.metadata?.deletionTimestamp;
    const claimed: ReplicaSet[] = [];
    const errors: unknown[] = [];
    let adoptable: Promise<void> | undefined;
    for (const rs of this.replicaSets.list()) {
      if (rs.metadata?.namespace !== ns) continue;
      const matches = controllerSelectorMatches(d.spec?.selector, rs.metadata?.labels);
      const ref = controllerRefOf(rs as ApiObject);
      const m = rs.metadata ?? {};
      try {
        if (ref) {
          if (ref.uid !== uid) continue;
          if (matches) claimed.push(rs);
          else if (!deleting) {
            const refs = (m.ownerReferences ?? []).filter((r) => r.uid !== uid);
            await this.client.patch(REPLICASETS, m.namespace, m.name ?? '', 'merge', { metadata: { resourceVersion: m.resourceVersion, ownerReferences: refs.length > 0 ? refs : null } });
          }
          continue;
        }
        if (deleting || !matches || m.deletionTimestamp) continue;
        adoptable ??= this.checkAdoptable(d);
        await adoptable;
        const refs = [...(m.ownerReferences ?? []), newControllerRef(d as ApiObject, API_VERSION, KIND)];
        claimed.push(await this.client.patch<ReplicaSet>(REPLICASETS, m.namespace, m.name ?? '', 'merge', { metadata: { resourceVersion: m.resourceVersion, ownerReferences: refs } }));
      } catch (e) {
        if (!isNotFound(e)) errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
    return claimed;
  }

  private async checkAdoptable(d: Deployment): Promise<void> {
    const m = d.metadata ?? {};
    const fresh = await this.client.get<Deployment>(DEPLOYMENTS, m.namespace, m.name ?? '');
    if (fresh.metadata?.uid !== m.uid) throw new Error(`original Deployment ${m.namespace}/${m.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${m.uid}`);
    if (fresh.metadata?.deletionTimestamp) throw new Error(`${m.namespace}/${m.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  /**
   * The new ReplicaSet (current template) and the old ones, syncing the new one's revision
   * and annotations (getAllReplicaSetsAndSyncRevision without creating).
   */
  private async replicaSetsOf(state: SyncState, rsList: readonly ReplicaSet[]): Promise<ReplicaSetsOfDeployment> {
    const existing = findNewReplicaSet(state.d, rsList);
    const old = rsList.filter((rs) => rs !== existing);
    if (!existing) return { newRS: undefined, old };
    return { newRS: await this.syncNewReplicaSet(state, existing, maxRevision(old) + 1), old };
  }

  /** The new ReplicaSet, created if missing. */
  private async ensureNewReplicaSet(state: SyncState, rss: ReplicaSetsOfDeployment): Promise<ReplicaSet> {
    return rss.newRS ?? (await this.createNewReplicaSet(state, rss.old, maxRevision(rss.old) + 1));
  }

  private async syncNewReplicaSet(state: SyncState, rs: ReplicaSet, newRevision: number): Promise<ReplicaSet> {
    const d = state.d;
    const annotations = { ...(rs.metadata?.annotations ?? {}) };
    let changed = false;
    for (const [k, v] of Object.entries(copiedAnnotations(d))) {
      if (annotations[k] !== v) {
        annotations[k] = v;
        changed = true;
      }
    }
    if (revisionOf(rs) < newRevision) {
      annotations[REVISION_ANNOTATION] = String(newRevision);
      changed = true;
    }
    const minReadySeconds = d.spec?.minReadySeconds ?? 0;
    let current = rs;
    if (changed || (rs.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
      current = await this.client.update<ReplicaSet>(REPLICASETS, { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, selector: rs.spec?.selector ?? {}, minReadySeconds } } as ReplicaSet);
    }
    await this.syncDeploymentRevision(state, current);
    if (hasProgressDeadline(state.d) && !getCondition(state.d.status, 'Progressing')) {
      const status = structuredClone(state.d.status ?? {});
      setCondition(status, newCondition('Progressing', 'True', FOUND_NEW_RS_REASON, `Found new replica set "${current.metadata?.name ?? ''}"`, this.env.clock.now()));
      await this.writeStatus(state, status);
    }
    return current;
  }

  /** The Deployment carries its current revision too (`kubectl rollout history` reads it). */
  private async syncDeploymentRevision(state: SyncState, newRS: ReplicaSet): Promise<void> {
    const revision = newRS.metadata?.annotations?.[REVISION_ANNOTATION];
    if (revision === undefined || state.d.metadata?.annotations?.[REVISION_ANNOTATION] === revision) return;
    const m = state.d.metadata ?? {};
    state.d = await this.client.patch<Deployment>(DEPLOYMENTS, m.namespace, m.name ?? '', 'merge', { metadata: { annotations: { [REVISION_ANNOTATION]: revision } } });
  }

  private async createNewReplicaSet(state: SyncState, old: readonly ReplicaSet[], newRevision: number): Promise<ReplicaSet> {
    const d = state.d;
    const m = d.metadata ?? {};
    const hash = computePodTemplateHash(d.spec?.template, d.status?.collisionCount);
    const template = structuredClone(d.spec?.template ?? {});
    template.metadata = { ...template.metadata, labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const replicas =
      d.spec?.strategy?.type === 'Recreate'
        ? (d.spec?.replicas ?? 1)
        : newReplicaSetSize(d, this.counts(d, old), { rs: {}, replicas: 0, pods: 0, available: 0 }, { ignoreMaxSurge: mutantOn(this.options.mutants, 'ignore-max-surge') });
    const name = `${m.name ?? ''}-${hash}`;
    const rs: ReplicaSet = {
      metadata: {
        name,
        namespace: m.namespace,
        labels: { ...(template.metadata.labels ?? {}) },
        annotations: {
          ...copiedAnnotations(d),
          [REVISION_ANNOTATION]: String(newRevision),
          [DESIRED_REPLICAS_ANNOTATION]: String(d.spec?.replicas ?? 1),
          [MAX_REPLICAS_ANNOTATION]: String((d.spec?.replicas ?? 1) + maxSurgeOf(d)),
        },
        ownerReferences: [newControllerRef(d as ApiObject, API_VERSION, KIND)],
      },
      spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    let created: ReplicaSet;
    try {
      created = await this.client.create<ReplicaSet>(REPLICASETS, m.namespace, rs);
    } catch (e) {
      if (isAlreadyExists(e)) {
        // Ours already (the cache had not shown it yet), or another template with the same
        // hash: then count a collision, which changes the hash of the next attempt.
        const found = this.replicaSets.get(keyOf(m.namespace, name)) ?? (await this.client.get<ReplicaSet>(REPLICASETS, m.namespace, name));
        if (controllerRefOf(found as ApiObject)?.uid === m.uid && equalIgnoringHash(found.spec?.template, d.spec?.template)) return found;
        await this.writeStatus(state, { ...structuredClone(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 });
        throw new Error(`hash collision for ReplicaSet ${m.namespace}/${name}: a different template already uses it`);
      }
      this.recorder.event(d as ApiObject, 'Warning', 'FailedCreate', `Failed to create new replica set "${name}": ${errorMessage(e)}`);
      if (hasProgressDeadline(d)) {
        const status = structuredClone(d.status ?? {});
        setCondition(status, newCondition('Progressing', 'False', FAILED_RS_CREATE_REASON, `Failed to create new replica set "${name}": ${errorMessage(e)}`, this.env.clock.now()));
        await this.writeStatus(state, status);
      }
      throw e;
    }
    if (replicas > 0) this.recorder.event(d as ApiObject, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`);
    await this.syncDeploymentRevision(state, created);
    if (hasProgressDeadline(state.d)) {
      const status = structuredClone(state.d.status ?? {});
      setCondition(status, newCondition('Progressing', 'True', NEW_RS_REASON, `Created new replica set "${name}"`, this.env.clock.now()));
      await this.writeStatus(state, status);
    }
    return created;
  }

  /** Pod counts per ReplicaSet from the pod cache (see rolling-update.ts for why pods, not status). */
  private counts(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSetCounts[] {
    const byUid = new Map<string, { pods: number; available: number }>();
    for (const rs of rss) byUid.set(rs.metadata?.uid ?? '', { pods: 0, available: 0 });
    const ns = d.metadata?.namespace;
    const minReadySeconds = d.spec?.minReadySeconds ?? 0;
    const now = this.env.clock.now();
    for (const pod of this.pods.list()) {
      if (pod.metadata?.namespace !== ns || !isPodActive(pod)) continue;
      const c = byUid.get(controllerRefOf(pod)?.uid ?? '');
      if (!c) continue;
      c.pods++;
      if (isPodAvailable(pod, minReadySeconds, now)) c.available++;
    }
    return rss.map((rs) => ({ rs, replicas: specReplicas(rs), ...(byUid.get(rs.metadata?.uid ?? '') ?? { pods: 0, available: 0 }) }));
  }

  /**
   * Sets a ReplicaSet's size and its replicas annotations. With `onlyIfResized` (rollouts),
   * a ReplicaSet already at that size is left alone, as upstream's scaleReplicaSetAndRecordEvent.
   */
  private async scaleReplicaSet(d: Deployment, rs: ReplicaSet, size: number, onlyIfResized: boolean): Promise<ReplicaSet> {
    const from = specReplicas(rs);
    if (onlyIfResized && from === size) return rs;
    const desired = String(d.spec?.replicas ?? 1);
    const max = String((d.spec?.replicas ?? 1) + maxSurgeOf(d));
    const annotations = rs.metadata?.annotations ?? {};
    if (from === size && annotations[DESIRED_REPLICAS_ANNOTATION] === desired && annotations[MAX_REPLICAS_ANNOTATION] === max) return rs;
    const updated = await this.client.update<ReplicaSet>(REPLICASETS, {
      ...rs,
      metadata: { ...rs.metadata, annotations: { ...annotations, [DESIRED_REPLICAS_ANNOTATION]: desired, [MAX_REPLICAS_ANNOTATION]: max } },
      spec: { ...rs.spec, selector: rs.spec?.selector ?? {}, replicas: size },
    } as ReplicaSet);
    if (from !== size) {
      this.recorder.event(d as ApiObject, 'Normal', 'ScalingReplicaSet', `Scaled ${size > from ? 'up' : 'down'} replica set ${rs.metadata?.name ?? ''} from ${from} to ${size}`);
    }
    return updated;
  }

  // ---- strategies ----

  private async rolloutRolling(key: string, state: SyncState, rss: ReplicaSetsOfDeployment): Promise<void> {
    const old = rss.old;
    let newRS = await this.ensureNewReplicaSet(state, rss);
    const d = state.d;
    const options = { ignoreMaxSurge: mutantOn(this.options.mutants, 'ignore-max-surge'), ignoreMaxUnavailable: mutantOn(this.options.mutants, 'ignore-max-unavailable') };
    const [nextCounts, ...oldCounts] = this.counts(d, [newRS, ...old]);
    const size = newReplicaSetSize(d, [nextCounts!, ...oldCounts], nextCounts!, options);
    if (size !== specReplicas(newRS)) {
      newRS = await this.scaleReplicaSet(d, newRS, size, true);
      await this.syncRolloutStatus(key, state, [newRS, ...old], newRS);
      return;
    }
    const sizes = oldReplicaSetSizes(d, oldCounts, nextCounts, options);
    if (sizes.size > 0) {
      const scaled = await Promise.all(old.map((rs) => (sizes.has(rs) ? this.scaleReplicaSet(d, rs, sizes.get(rs) ?? 0, true) : rs)));
      await this.syncRolloutStatus(key, state, [newRS, ...scaled], newRS);
      return;
    }
    if (deploymentComplete(state.d, state.d.status ?? {})) await this.cleanupDeployment(state.d, old);
    await this.syncRolloutStatus(key, state, [newRS, ...old], newRS);
  }

  private async rolloutRecreate(key: string, state: SyncState, rss: ReplicaSetsOfDeployment): Promise<void> {
    const { newRS, old } = rss;
    const d = state.d;
    const active = activeReplicaSets(old);
    if (active.length > 0) {
      const scaled = await Promise.all(old.map((rs) => (specReplicas(rs) > 0 ? this.scaleReplicaSet(d, rs, 0, true) : rs)));
      await this.syncRolloutStatus(key, state, [...scaled, ...(newRS ? [newRS] : [])], newRS);
      return;
    }
    // Recreate's promise: no new pod while an old one may still run.
    if (!mutantOn(this.options.mutants, 'recreate-without-waiting') && this.oldPodsRunning(newRS, old)) {
      await this.syncRolloutStatus(key, state, [...old, ...(newRS ? [newRS] : [])], newRS);
      return;
    }
    const created = await this.ensureNewReplicaSet(state, rss);
    const scaled = await this.scaleReplicaSet(state.d, created, state.d.spec?.replicas ?? 1, true);
    if (deploymentComplete(state.d, state.d.status ?? {})) await this.cleanupDeployment(state.d, old);
    await this.syncRolloutStatus(key, state, [...old, scaled], scaled);
  }

  /** Old pods that may still run: counted by the old ReplicaSets' status or seen in the pod cache (terminating ones included). */
  private oldPodsRunning(newRS: ReplicaSet | undefined, old: readonly ReplicaSet[]): boolean {
    if (old.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const oldUids = new Set(old.map((rs) => rs.metadata?.uid ?? ''));
    oldUids.delete(newRS?.metadata?.uid ?? '');
    return this.pods.list().some((p) => {
      if (!oldUids.has(controllerRefOf(p)?.uid ?? '')) return false;
      const phase = p.status?.phase;
      return phase !== 'Failed' && phase !== 'Succeeded';
    });
  }

  /** A scaling event (or a paused Deployment): resize the ReplicaSets in proportion, no rollout. */
  private async syncScale(state: SyncState, rss: ReplicaSetsOfDeployment): Promise<void> {
    const { newRS, old } = rss;
    const d = state.d;
    const sizes = proportionalSizes(d, newRS, old);
    const all = await Promise.all([...old, ...(newRS ? [newRS] : [])].map((rs) => (sizes.has(rs) ? this.scaleReplicaSet(d, rs, sizes.get(rs) ?? 0, false) : rs)));
    const scaledNew = newRS ? all[all.length - 1] : undefined;
    if (d.spec?.paused) await this.cleanupDeployment(d, old);
    await this.syncStatus(state, all, scaledNew);
  }

  /** A scaling event: some active ReplicaSet was last sized for a different spec.replicas. */
  private isScalingEvent(d: Deployment, { newRS, old }: ReplicaSetsOfDeployment): boolean {
    const replicas = d.spec?.replicas ?? 1;
    return activeReplicaSets([...old, ...(newRS ? [newRS] : [])]).some((rs) => {
      const desired = desiredReplicasAnnotation(rs);
      return desired !== undefined && desired !== replicas;
    });
  }

  /** Paused and resumed show in the Progressing condition (Unknown), so the deadline does not run while paused. */
  private async checkPausedConditions(state: SyncState): Promise<boolean> {
    const d = state.d;
    if (!hasProgressDeadline(d)) return false;
    const c = getCondition(d.status, 'Progressing');
    if (c?.reason === TIMED_OUT_REASON) return false;
    const pausedShown = c?.reason === PAUSED_REASON;
    const now = this.env.clock.now();
    const status = structuredClone(d.status ?? {});
    if (d.spec?.paused && !pausedShown) setCondition(status, newCondition('Progressing', 'Unknown', PAUSED_REASON, 'Deployment is paused', now));
    else if (!d.spec?.paused && pausedShown) setCondition(status, newCondition('Progressing', 'Unknown', RESUMED_REASON, 'Deployment is resumed', now));
    else return false;
    await this.writeStatus(state, status);
    return true;
  }

  /** Deletes the oldest old ReplicaSets beyond revisionHistoryLimit that have no pods left. */
  private async cleanupDeployment(d: Deployment, old: readonly ReplicaSet[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const alive = old.filter((rs) => !rs.metadata?.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    const oldestFirst = [...alive].sort(byRevisionOldestFirst);
    for (const rs of oldestFirst.slice(0, diff)) {
      const m = rs.metadata ?? {};
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (m.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.client.delete(REPLICASETS, m.namespace, m.name ?? '', { preconditions: { uid: m.uid ?? '' } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  // ---- status ----

  private async syncRolloutStatus(key: string, state: SyncState, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const now = this.env.clock.now();
    const status = rolloutStatus(state.d, all, newRS, now);
    if (statusEqual(state.d.status, status)) {
      // No news: come back when the progress deadline would pass, to report it.
      const delay = progressCheckDelay(state.d, status, now);
      if (delay !== undefined) this.queue.addAfter(key, delay);
      return;
    }
    await this.writeStatus(state, status);
  }

  private async syncStatus(state: SyncState, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const status = calculateStatus(state.d, all, newRS, this.env.clock.now());
    if (!statusEqual(state.d.status, status)) await this.writeStatus(state, status);
  }

  private async writeStatus(state: SyncState, status: DeploymentStatus): Promise<void> {
    state.d = await this.client.update<Deployment>(DEPLOYMENTS, { ...state.d, status } as Deployment, 'status');
  }
}
