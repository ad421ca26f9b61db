// One pod's sync, level-triggered as upstream's syncPod: read the pod (desired) and its
// containers in the runtime (actual), act to close the gap, report the status. Running it
// twice does no harm. Four cases:
// - running pod: give it an IP, run its init containers one after another to completion,
//   then start each container that should run (image check first; restart policy and
//   CrashLoopBackOff decide for exited ones), report;
// - deleted pod (deletionTimestamp): stop its containers within the grace period, report
//   the terminal status, then delete it for good (gracePeriodSeconds 0);
// - pod in a terminal phase: make sure nothing runs, keep reporting;
// - pod gone from the API: stop and remove whatever the runtime still has of it.
// Containers found in the runtime are adopted by their labels: a restarted kubelet carries
// on where the last one stopped, restartCount included (labels, and the API's status when
// the runtime lost them).

import type { Container, EnvVar, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, Millis } from '../env/clock.js';
import { isConflict, isNotFound, type ApiClient, type ApiObject } from '../client/api-client.js';
import type { EventRecorder } from '../client/event-recorder.js';
import { PODS } from '../client/resources.js';
import {
  CONTAINER_HASH_LABEL,
  CONTAINER_NAME_LABEL,
  POD_IP_LABEL,
  POD_NAME_LABEL,
  POD_NAMESPACE_LABEL,
  POD_UID_LABEL,
  RESTART_COUNT_LABEL,
  type ContainerInfo,
  type ContainerRuntime,
} from '../runtime/runtime.js';
import type { Backoff } from './backoff.js';
import { goDuration } from './go-duration.js';
import { containerFieldPath, type ImagePuller } from './image-puller.js';
import type { ResolvedKubeletOptions } from './kubelet-options.js';
import type { PodIpAllocator } from './pod-ip-allocator.js';
import { computePodStatus, isTerminalPhase, POD_INITIALIZING, restartPolicyOf, shouldRestart, type ContainerObservation, type RestartPolicy, type Waiting } from './pod-status.js';
import type { PodSyncResult } from './pod-workers.js';
import type { StatusManager } from './status-manager.js';

export interface PodSyncDeps {
  readonly clock: Clock;
  readonly client: ApiClient;
  readonly runtime: ContainerRuntime;
  readonly recorder: EventRecorder;
  readonly statuses: StatusManager;
  readonly images: ImagePuller;
  readonly crashLoop: Backoff;
  readonly ips: PodIpAllocator;
  readonly options: ResolvedKubeletOptions;
  /** The node's spec.podCIDR once the node IPAM controller has set it. */
  podCIDR(): string | undefined;
  /** When this kubelet started (the noAdoption mutant ignores containers from before). */
  readonly startedAt: Millis;
}

/** A force-deleted pod's containers still get this long to stop (upstream's minimum). */
const MINIMUM_GRACE_SECONDS = 2;

/** What starting containers in one sync shares: the pod's IP and restart policy, the time, and what waits and when to look again. */
interface Launch {
  readonly podIP: string;
  readonly policy: RestartPolicy;
  readonly now: Millis;
  readonly waiting: Map<string, Waiting>;
  readonly later: (ms: Millis) => void;
}

interface RunContext {
  readonly podIP: string | undefined;
  readonly waiting: ReadonlyMap<string, Waiting>;
  readonly podIsTerminal: boolean;
}

export class PodSyncer {
  /** restartCount as the forgetRestartCount mutant keeps it: in memory only. */
  private readonly localRestarts = new Map<string, number>();

  constructor(private readonly deps: PodSyncDeps) {}

  /** Brings pod `uid` in line: `pod` is its current object (undefined once gone), `lastKnown` its last one. */
  async sync(uid: string, pod: Pod | undefined, lastKnown: Pod | undefined): Promise<PodSyncResult> {
    const found = await this.containersOf(uid);
    if (!pod) return this.cleanUp(uid, found, lastKnown);
    if (pod.metadata?.deletionTimestamp) return this.terminate(pod, found);
    if (isTerminalPhase(pod.status?.phase)) return this.finish(pod, found);
    return this.run(pod, found);
  }

  private async containersOf(uid: string): Promise<ContainerInfo[]> {
    const all = await this.deps.runtime.listContainers({ [POD_UID_LABEL]: uid });
    if (!this.deps.options.mutants.noAdoption) return all;
    return all.filter((c) => c.createdAt >= this.deps.startedAt);
  }

  // ---- a pod that should run ----

  private async run(pod: Pod, found: ContainerInfo[]): Promise<PodSyncResult> {
    const { clock, runtime } = this.deps;
    const uid = pod.metadata?.uid ?? '';
    const podIP = this.sandbox(pod, found);
    if (podIP === undefined) {
      // No pod network yet (no podCIDR): every container waits; the node's update resyncs us.
      await this.report(pod, found, { podIP, waiting: new Map(), podIsTerminal: false });
      return {};
    }
    const now = clock.now();
    const policy = restartPolicyOf(pod);
    const waiting = new Map<string, Waiting>();
    let retry: Millis | undefined;
    const later = (ms: Millis) => {
      retry = retry === undefined ? ms : Math.min(retry, ms);
    };
    const launch: Launch = { podIP, policy, now, waiting, later };
    const byName = groupByName(found);
    if (!(await this.initialize(pod, byName, launch))) {
      // The containers wait for the init containers, as upstream reports them.
      for (const c of pod.spec?.containers ?? []) waiting.set(c.name, { reason: POD_INITIALIZING });
      await this.report(pod, await this.containersOf(uid), { podIP, waiting, podIsTerminal: false });
      return retry !== undefined ? { retryAfterMs: Math.max(0, retry) } : {};
    }
    for (const c of pod.spec?.containers ?? []) {
      const instances = byName.get(c.name) ?? [];
      const current = instances[0];
      const recordedHash = current?.state === 'exited' ? undefined : current?.labels[CONTAINER_HASH_LABEL];
      const changed = current !== undefined && recordedHash !== undefined && recordedHash !== hash(c);
      if (changed) {
        // The pod's spec changed (a new image): replace the container, whatever the restart policy.
        this.event(pod, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`, c.name);
        await runtime.stopContainer(current.id, pod.spec?.terminationGracePeriodSeconds ?? 30);
      } else if (current?.state === 'running') {
        continue;
      } else if (current?.state === 'created') {
        // Created by a kubelet that died before starting it.
        await this.start(pod, c, current.id);
        continue;
      }
      const previous = current ?? recoveredFromApi(pod, c.name, now, new Set());
      await this.launch(pod, c, instances, previous, !changed, launch);
    }
    await this.report(pod, await this.containersOf(uid), { podIP, waiting, podIsTerminal: false });
    return retry !== undefined ? { retryAfterMs: Math.max(0, retry) } : {};
  }

  /**
   * Runs the init containers one after another, as upstream's computeInitContainerActions:
   * each must exit 0 before the next starts; a failed one restarts under the pod's restart
   * policy (with CrashLoopBackOff) or, under Never, fails the pod (the status computes the
   * phase). True once the pod is initialized: every init container succeeded, or a container
   * of the pod has already been created in this sandbox (initialization is not repeated).
   * Init containers run again only in a new sandbox, when the runtime lost them all.
   */
  private async initialize(pod: Pod, byName: ReadonlyMap<string, ContainerInfo[]>, launch: Launch): Promise<boolean> {
    const inits = pod.spec?.initContainers ?? [];
    if (inits.length === 0) return true;
    if ((pod.spec?.containers ?? []).some((c) => (byName.get(c.name) ?? []).length > 0)) return true;
    for (const c of inits) {
      const instances = byName.get(c.name) ?? [];
      const current = instances[0];
      if (current?.state === 'running') return false;
      if (current?.state === 'created') {
        await this.start(pod, c, current.id);
        return false;
      }
      if (current?.state === 'exited' && current.exitCode === 0) continue;
      // Under Never a failed init container fails the pod: nothing starts again.
      if (current?.state === 'exited' && launch.policy === 'Never') return false;
      // Init containers restart on failure under Always and OnFailure alike.
      await this.launch(pod, c, instances, current, true, { ...launch, policy: 'OnFailure' });
      return false;
    }
    return true;
  }

  /**
   * Starts container `c` anew: unless its last run (`previous`) forbids it (the restart
   * policy, when `checkPolicy`) or CrashLoopBackOff holds it back, pulls its image, creates
   * and starts it, and keeps only the instance before (for lastState and logs --previous).
   */
  private async launch(pod: Pod, c: Container, instances: readonly ContainerInfo[], previous: ContainerInfo | undefined, checkPolicy: boolean, l: Launch): Promise<void> {
    const { runtime, crashLoop, images, options } = this.deps;
    const uid = pod.metadata?.uid ?? '';
    const { now, waiting, later } = l;
    if (previous && checkPolicy) {
      if (!shouldRestart(l.policy, previous.exitCode)) return;
      const key = `${uid}/${c.name}`;
      if (!options.mutants.noCrashLoopBackOff) {
        const finished = previous.finishedAt ?? now;
        if (crashLoop.isInBackOffSince(key, finished, now)) {
          const delay = crashLoop.get(key);
          const who = `${pod.metadata?.name}_${pod.metadata?.namespace}(${uid})`;
          waiting.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${who}` });
          this.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${who}`, c.name);
          later(finished + delay - now);
          return;
        }
        crashLoop.next(key, finished);
      }
    }
    const pulled = await images.ensureImage(pod, c);
    if (!pulled.ok) {
      waiting.set(c.name, pulled.waiting);
      later(pulled.retryAfterMs);
      return;
    }
    const startedBefore = previous !== undefined || apiRestartCount(pod, c.name) > 0;
    const restartCount = this.nextRestartCount(pod, c.name, instances, startedBefore);
    const id = await runtime.createContainer({
      name: c.name,
      image: c.image ?? '',
      ...(c.command ? { command: c.command } : {}),
      ...(c.args ? { args: c.args } : {}),
      env: containerEnv(pod, c, l.podIP, options),
      labels: {
        [POD_NAMESPACE_LABEL]: pod.metadata?.namespace ?? '',
        [POD_NAME_LABEL]: pod.metadata?.name ?? '',
        [POD_UID_LABEL]: uid,
        [CONTAINER_NAME_LABEL]: c.name,
        [RESTART_COUNT_LABEL]: String(restartCount),
        [CONTAINER_HASH_LABEL]: hash(c),
        [POD_IP_LABEL]: l.podIP,
      },
    });
    this.event(pod, 'Normal', 'Created', `Created container ${c.name}`, c.name);
    await this.start(pod, c, id);
    // Keep the instance before the new one (lastState, logs --previous); older ones go.
    for (const old of instances.slice(1)) await runtime.removeContainer(old.id);
  }

  private async start(pod: Pod, c: Container, id: string): Promise<void> {
    try {
      await this.deps.runtime.startContainer(id);
    } catch (e) {
      this.event(pod, 'Warning', 'Failed', `Error: ${e instanceof Error ? e.message : String(e)}`, c.name);
      throw e;
    }
    this.event(pod, 'Normal', 'Started', `Started container ${c.name}`, c.name);
  }

  /** The pod's IP: its own (kept across kubelet restarts), else a fresh one from the podCIDR. */
  private sandbox(pod: Pod, found: readonly ContainerInfo[]): string | undefined {
    const { ips, options } = this.deps;
    if (pod.spec?.hostNetwork) return options.hostIP;
    const uid = pod.metadata?.uid ?? '';
    const own = ips.ipOf(uid);
    if (own !== undefined) return own;
    const labelled = found.map((c) => c.labels[POD_IP_LABEL]).find((ip) => ip);
    if (labelled && ips.claim(uid, labelled)) return labelled;
    const reported = pod.status?.podIP;
    if (reported && reported !== options.hostIP && ips.claim(uid, reported)) return reported;
    const cidr = this.deps.podCIDR() ?? options.fallbackPodCIDR;
    if (cidr === undefined) return undefined;
    const ip = ips.allocate(uid, cidr);
    if (ip === undefined) {
      this.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: no IP addresses available in range ${cidr}`);
    }
    return ip;
  }

  private nextRestartCount(pod: Pod, name: string, instances: readonly ContainerInfo[], startedBefore: boolean): number {
    const key = `${pod.metadata?.uid ?? ''}/${name}`;
    if (this.deps.options.mutants.forgetRestartCount) {
      const n = startedBefore && this.localRestarts.has(key) ? (this.localRestarts.get(key) ?? 0) + 1 : 0;
      this.localRestarts.set(key, n);
      return n;
    }
    return startedBefore ? restartCountOf(pod, name, instances) + 1 : 0;
  }

  private restartCount(pod: Pod, name: string, instances: readonly ContainerInfo[]): number {
    if (this.deps.options.mutants.forgetRestartCount) return this.localRestarts.get(`${pod.metadata?.uid ?? ''}/${name}`) ?? 0;
    return restartCountOf(pod, name, instances);
  }

  // ---- a deleted pod ----

  private async terminate(pod: Pod, found: ContainerInfo[]): Promise<PodSyncResult> {
    const { options, ips, client } = this.deps;
    const uid = pod.metadata?.uid ?? '';
    const grace = options.mutants.noGracefulTermination ? 0 : (pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
    if (!options.mutants.leakContainersOnDelete) await this.stopAll(pod, found, grace);
    await this.report(pod, await this.containersOf(uid), { podIP: ips.ipOf(uid) ?? pod.status?.podIP, waiting: new Map(), podIsTerminal: true });
    ips.release(uid);
    try {
      await client.delete(PODS, pod.metadata?.namespace, pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (e) {
      // Already gone, or the name now belongs to another pod.
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
    return {};
  }

  // ---- a pod in a terminal phase ----

  private async finish(pod: Pod, found: ContainerInfo[]): Promise<PodSyncResult> {
    const uid = pod.metadata?.uid ?? '';
    await this.stopAll(pod, found, pod.spec?.terminationGracePeriodSeconds ?? 30);
    await this.report(pod, await this.containersOf(uid), { podIP: this.deps.ips.ipOf(uid) ?? pod.status?.podIP, waiting: new Map(), podIsTerminal: true });
    this.deps.ips.release(uid);
    return {};
  }

  private async stopAll(pod: Pod, found: readonly ContainerInfo[], graceSeconds: number): Promise<void> {
    const live = found.filter((c) => c.state !== 'exited');
    for (const c of live) this.event(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, c.name);
    await Promise.all(live.map((c) => this.deps.runtime.stopContainer(c.id, graceSeconds)));
  }

  // ---- a pod gone from the API ----

  private async cleanUp(uid: string, found: ContainerInfo[], lastKnown: Pod | undefined): Promise<PodSyncResult> {
    const { runtime, ips, crashLoop, images, statuses, options } = this.deps;
    if (!options.mutants.leakContainersOnDelete) {
      const grace = lastKnown?.metadata?.deletionGracePeriodSeconds ?? MINIMUM_GRACE_SECONDS;
      const live = found.filter((c) => c.state !== 'exited');
      await Promise.all(live.map((c) => runtime.stopContainer(c.id, Math.max(grace, MINIMUM_GRACE_SECONDS))));
      for (const c of found) await runtime.removeContainer(c.id);
    }
    ips.release(uid);
    crashLoop.forgetPrefix(`${uid}/`);
    images.forgetPod(uid);
    statuses.forget(uid);
    for (const key of [...this.localRestarts.keys()]) if (key.startsWith(`${uid}/`)) this.localRestarts.delete(key);
    return { finished: true };
  }

  // ---- status and events ----

  private async report(pod: Pod, found: readonly ContainerInfo[], ctx: RunContext): Promise<void> {
    const now = this.deps.clock.now();
    const byName = groupByName(found);
    const containers: ContainerObservation[] = (pod.spec?.containers ?? []).map((c) => {
      const instances = byName.get(c.name) ?? [];
      // With fewer than two instances the API may remember an older run the runtime lost.
      const recovered = instances.length < 2 ? recoveredFromApi(pod, c.name, now, new Set(instances.map((i) => i.id))) : undefined;
      const waiting = ctx.waiting.get(c.name);
      return {
        name: c.name,
        image: c.image ?? '',
        instances: recovered ? [...instances, recovered] : instances,
        ...(waiting ? { waiting } : {}),
        restartCount: this.restartCount(pod, c.name, instances),
      };
    });
    // Init containers report what the runtime has of this sandbox: a new sandbox runs them again.
    const initContainers: ContainerObservation[] = (pod.spec?.initContainers ?? []).map((c) => {
      const instances = byName.get(c.name) ?? [];
      const waiting = ctx.waiting.get(c.name);
      return { name: c.name, image: c.image ?? '', instances, ...(waiting ? { waiting } : {}), restartCount: this.restartCount(pod, c.name, instances) };
    });
    const status = computePodStatus({
      pod,
      containers,
      ...(initContainers.length > 0 ? { initContainers } : {}),
      hostIP: this.deps.options.hostIP,
      ...(ctx.podIP !== undefined ? { podIP: ctx.podIP } : {}),
      podIsTerminal: ctx.podIsTerminal,
      now,
    });
    await this.deps.statuses.setStatus(pod, status);
  }

  private event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, container?: string): void {
    this.deps.recorder.event(pod as ApiObject, type, reason, message, container !== undefined ? containerFieldPath(container, pod) : undefined);
  }
}

/** A digest of what defines a container (FNV-1a of its image, command and args). */
function hash(c: Container): string {
  const text = JSON.stringify([c.image ?? '', c.command ?? [], c.args ?? []]);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** A pod's containers by container name, newest instance first. */
function groupByName(found: readonly ContainerInfo[]): Map<string, ContainerInfo[]> {
  const out = new Map<string, ContainerInfo[]>();
  for (const c of found) {
    const name = c.labels[CONTAINER_NAME_LABEL] ?? c.name;
    const list = out.get(name) ?? [];
    list.push(c);
    out.set(name, list);
  }
  for (const list of out.values()) list.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  return out;
}

function apiRestartCount(pod: Pod, name: string): number {
  const all = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  return all.find((s) => s.name === name)?.restartCount ?? 0;
}

/** restartCount never decreases: the newest instance's label, or the API's count if higher. */
function restartCountOf(pod: Pod, name: string, instances: readonly ContainerInfo[]): number {
  const label = Number(instances[0]?.labels[RESTART_COUNT_LABEL] ?? 0);
  return Math.max(Number.isFinite(label) ? label : 0, apiRestartCount(pod, name));
}

function parseTime(t: string | undefined, fallback: Millis): Millis {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? fallback : ms;
}

/**
 * The container's last run as the API status remembers it, for when the runtime lost it (the
 * node restarted, or the container was removed): its terminated state, or — if the API says
 * it was running — a termination with unknown status, as upstream reports it. Runs whose
 * containers the runtime still has (`known`) are not recovered: the runtime knows better.
 */
function recoveredFromApi(pod: Pod, name: string, now: Millis, known: ReadonlySet<string>): ContainerInfo | undefined {
  const s = pod.status?.containerStatuses?.find((x) => x.name === name);
  if (!s) return undefined;
  const labels = { [CONTAINER_NAME_LABEL]: name, [RESTART_COUNT_LABEL]: String(s.restartCount ?? 0) };
  if (s.state?.running && !known.has(s.containerID ?? '')) {
    const startedAt = parseTime(s.state.running.startedAt, now);
    return { id: s.containerID ?? '', name, image: s.image ?? '', imageID: s.imageID ?? '', labels, state: 'exited', createdAt: startedAt, startedAt, finishedAt: now, exitCode: 137, reason: 'ContainerStatusUnknown' };
  }
  const candidates = [s.state?.terminated, s.lastState?.terminated];
  const t = candidates.find((x) => x !== undefined && !known.has(x.containerID ?? s.containerID ?? ''));
  if (!t) return undefined;
  const startedAt = parseTime(t.startedAt, now);
  return {
    id: t.containerID ?? s.containerID ?? '',
    name,
    image: s.image ?? '',
    imageID: s.imageID ?? '',
    labels,
    state: 'exited',
    createdAt: startedAt,
    startedAt,
    finishedAt: parseTime(t.finishedAt, now),
    exitCode: t.exitCode,
    ...(t.reason ? { reason: t.reason } : {}),
  };
}

/** The container's environment: its own variables (values and the downward API's common fields), and HOSTNAME. */
function containerEnv(pod: Pod, c: Container, podIP: string, options: ResolvedKubeletOptions): Record<string, string> {
  const env: Record<string, string> = { HOSTNAME: pod.spec?.hostname ?? pod.metadata?.name ?? '' };
  const field = (path: string): string | undefined => {
    switch (path) {
      case 'metadata.name':
        return pod.metadata?.name;
      case 'metadata.namespace':
        return pod.metadata?.namespace;
      case 'metadata.uid':
        return pod.metadata?.uid;
      case 'spec.nodeName':
        return options.nodeName;
      case 'spec.serviceAccountName':
        return pod.spec?.serviceAccountName;
      case 'status.podIP':
        return podIP;
      case 'status.hostIP':
        return options.hostIP;
    }
    return undefined;
  };
  for (const e of c.env ?? ([] as EnvVar[])) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef) env[e.name] = field(e.valueFrom.fieldRef.fieldPath) ?? '';
  }
  return env;
}
