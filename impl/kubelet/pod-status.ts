// What the kubelet reports about a pod, computed from what it observes: the pod's spec, its
// containers in the runtime (newest instance first) and why a container is not running
// (image pull failures, CrashLoopBackOff), init containers included. Pure functions, following
// upstream's generateAPIPodStatus and getPhase, so the rules can be tested and fuzzed alone.

import type { ContainerState as ApiContainerState, ContainerStateTerminated, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { metaTime } from '../api/meta-time.js';
import type { Millis } from '../env/clock.js';
import type { ContainerInfo } from '../runtime/runtime.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** Why a container is not running now, as its status shows it. */
export interface Waiting {
  readonly reason: string;
  readonly message?: string;
}

/** A container's past and present: runtime instances, newest first, and what the kubelet knows. */
export interface ContainerObservation {
  readonly name: string;
  readonly image: string;
  /** Runtime instances (plus one recovered from the API status when the runtime lost them), newest first. */
  readonly instances: readonly ContainerInfo[];
  /** Set when the container is not running and the kubelet knows why (it will retry). */
  readonly waiting?: Waiting;
  readonly restartCount: number;
}

export interface PodStatusInput {
  readonly pod: Pod;
  readonly containers: readonly ContainerObservation[];
  /** The pod's init containers, when it has any. */
  readonly initContainers?: readonly ContainerObservation[];
  readonly hostIP: string;
  /** Undefined until the pod's sandbox (its IP) exists. */
  readonly podIP?: string;
  /** The pod is done: nothing will start again (deleted, or already in a terminal phase). */
  readonly podIsTerminal: boolean;
  readonly now: Millis;
}

/** Restarts an exited container under `policy`? */
export function shouldRestart(policy: RestartPolicy, exitCode: number | undefined): boolean {
  if (policy === 'Always') return true;
  if (policy === 'Never') return false;
  return exitCode !== 0;
}

export function restartPolicyOf(pod: Pod): RestartPolicy {
  const p = pod.spec?.restartPolicy;
  return p === 'OnFailure' || p === 'Never' ? p : 'Always';
}

export function isTerminalPhase(phase: string | undefined): phase is 'Succeeded' | 'Failed' {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** A terminated state from a runtime instance. */
export function terminatedState(c: ContainerInfo): ContainerStateTerminated {
  return {
    exitCode: c.exitCode ?? 0,
    reason: c.reason ?? (c.exitCode === 0 ? 'Completed' : 'Error'),
    ...(c.startedAt !== undefined ? { startedAt: metaTime(c.startedAt) } : {}),
    ...(c.finishedAt !== undefined ? { finishedAt: metaTime(c.finishedAt) } : {}),
    containerID: c.id,
  };
}

/** When a pod ends, a container that never ran is reported as upstream does: terminated, status unknown. */
const NEVER_RAN: ContainerStateTerminated = {
  exitCode: 137,
  reason: 'ContainerStatusUnknown',
  message: 'The container could not be located when the pod was terminated',
};

/**
 * One container's status. `notYet` is the reason a container without an instance waits for:
 * ContainerCreating, or PodInitializing in a pod with init containers (upstream's default).
 */
export function containerStatus(o: ContainerObservation, podIsTerminal: boolean, notYet = 'ContainerCreating'): ContainerStatus {
  const [current, previous] = o.instances;
  let state: ApiContainerState;
  let last: ContainerStateTerminated | undefined;
  if (current?.state === 'running') {
    state = { running: { ...(current.startedAt !== undefined ? { startedAt: metaTime(current.startedAt) } : {}) } };
    last = previous?.state === 'exited' ? terminatedState(previous) : undefined;
  } else if (current?.state === 'exited') {
    if (o.waiting && !podIsTerminal) {
      state = { waiting: { reason: o.waiting.reason, ...(o.waiting.message ? { message: o.waiting.message } : {}) } };
      last = terminatedState(current);
    } else {
      state = { terminated: terminatedState(current) };
      last = previous?.state === 'exited' ? terminatedState(previous) : undefined;
    }
  } else {
    // Created but not started, or no instance yet: waiting (or, once the pod is over, never ran).
    last = previous?.state === 'exited' ? terminatedState(previous) : undefined;
    if (podIsTerminal) state = { terminated: NEVER_RAN };
    else state = { waiting: o.waiting ? { reason: o.waiting.reason, ...(o.waiting.message ? { message: o.waiting.message } : {}) } : { reason: notYet } };
  }
  const running = state.running !== undefined;
  const live = current?.state === 'running' || current?.state === 'exited' ? current : undefined;
  return {
    name: o.name,
    state,
    lastState: last ? { terminated: last } : {},
    ready: running,
    restartCount: o.restartCount,
    image: o.image,
    imageID: live?.imageID ?? '',
    ...(live ? { containerID: live.id } : {}),
    started: running,
  };
}

/** Why the containers of a pod with init containers wait before they exist. */
export const POD_INITIALIZING = 'PodInitializing';

/** An init container's status: ready once it has completed (exit 0), as upstream reports it. */
export function initContainerStatus(o: ContainerObservation, podIsTerminal: boolean): ContainerStatus {
  const s = containerStatus(o, podIsTerminal, POD_INITIALIZING);
  return { ...s, ready: s.state?.terminated?.exitCode === 0 };
}

/** Whether one of the pod's regular containers has run (upstream's HasAnyRegularContainerStarted): the pod was initialized. */
function anyContainerStarted(statuses: readonly ContainerStatus[]): boolean {
  return statuses.some((s) => s.state?.running !== undefined || s.state?.terminated !== undefined);
}

/**
 * Upstream's getPhase, init containers first: one that failed under restartPolicy Never fails
 * the pod; while one is still to run (and no regular container has run) the pod is Pending.
 */
export function podPhaseWithInit(policy: RestartPolicy, inits: readonly ContainerStatus[], specNames: readonly string[], statuses: readonly ContainerStatus[], podIsTerminal: boolean): PodPhase {
  if (podIsTerminal || inits.length === 0) return podPhase(policy, specNames, statuses, podIsTerminal);
  let pending = 0;
  let failed = 0;
  for (const s of inits) {
    if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failed++;
    } else if (s.state?.waiting && s.lastState?.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failed++;
    } else {
      pending++;
    }
  }
  if (failed > 0 && policy === 'Never') return 'Failed';
  if (pending > 0 && !anyContainerStarted(statuses)) return 'Pending';
  return podPhase(policy, specNames, statuses, podIsTerminal);
}

/** Upstream's getPhase for pods without init containers. */
export function podPhase(policy: RestartPolicy, specNames: readonly string[], statuses: readonly ContainerStatus[], podIsTerminal: boolean): PodPhase {
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const name of specNames) {
    const s = statuses.find((x) => x.name === name);
    if (!s?.state) {
      unknown++;
    } else if (s.state.running) {
      running++;
    } else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else {
      unknown++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** The conditions the kubelet owns, in the order kubectl describe shows them. */
export const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'] as const;

/**
 * Upstream's GeneratePodInitializedCondition: True once every init container completed (or a
 * regular container has run, so initialization happened before), else False naming the
 * incomplete ones; a finished pod whose init containers all completed says PodCompleted.
 */
function initialized(inits: readonly ContainerStatus[], statuses: readonly ContainerStatus[], terminal: boolean): Omit<PodCondition, 'type'> {
  const incomplete = inits.filter((s) => s.state?.terminated?.exitCode !== 0).map((s) => s.name);
  if (terminal && incomplete.length === 0) return { status: 'True', reason: 'PodCompleted' };
  if (incomplete.length === 0 || anyContainerStarted(statuses)) return { status: 'True' };
  return { status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.join(' ')}]` };
}

function conditions(input: PodStatusInput, statuses: readonly ContainerStatus[], inits: readonly ContainerStatus[], phase: PodPhase): PodCondition[] {
  const terminal = isTerminalPhase(phase);
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const readiness = (): Omit<PodCondition, 'type'> => {
    if (terminal) return { status: 'False', reason: 'PodCompleted' };
    if (unready.length > 0) return { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
    return { status: 'True' };
  };
  const byType: Record<(typeof KUBELET_CONDITIONS)[number], Omit<PodCondition, 'type'>> = {
    PodReadyToStartContainers: { status: input.podIP !== undefined && !terminal ? 'True' : 'False' },
    Initialized: initialized(inits, statuses, terminal),
    Ready: readiness(),
    ContainersReady: readiness(),
  };
  const previous = input.pod.status?.conditions ?? [];
  return KUBELET_CONDITIONS.map((type) => {
    const c = byType[type];
    const old = previous.find((p) => p.type === type);
    const since = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : metaTime(input.now);
    return { type, status: c.status, lastTransitionTime: since, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
  });
}

/** The status the kubelet would post now (before merging with what the API holds). */
export function computePodStatus(input: PodStatusInput): PodStatus {
  const { pod } = input;
  const specNames = (pod.spec?.containers ?? []).map((c) => c.name);
  const notYet = (pod.spec?.initContainers ?? []).length > 0 ? POD_INITIALIZING : 'ContainerCreating';
  const statuses = specNames.map((name) => {
    const o = input.containers.find((x) => x.name === name);
    return containerStatus(o ?? { name, image: '', instances: [], restartCount: 0 }, input.podIsTerminal, notYet);
  });
  const inits = (input.initContainers ?? []).map((o) => initContainerStatus(o, input.podIsTerminal));
  const phase = podPhaseWithInit(restartPolicyOf(pod), inits, specNames, statuses, input.podIsTerminal);
  const status: PodStatus = {
    phase,
    conditions: conditions(input, statuses, inits, phase),
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(input.podIP !== undefined ? { podIP: input.podIP, podIPs: [{ ip: input.podIP }] } : {}),
    startTime: pod.status?.startTime ?? metaTime(input.now),
    containerStatuses: statuses,
    ...(inits.length > 0 ? { initContainerStatuses: inits } : {}),
  };
  return status;
}

/**
 * Merges a computed status into the one the API holds, keeping what the kubelet does not own
 * (PodScheduled and other components' conditions, qosClass, reason, nominatedNodeName) and
 * the rules the API's history must keep: a terminal phase never changes, a pod that was
 * Running never goes back to Pending, and no restartCount decreases.
 */
export function mergePodStatus(current: PodStatus | undefined, computed: PodStatus): PodStatus {
  const old = current ?? {};
  const owned = new Set<string>(KUBELET_CONDITIONS);
  const foreign = (old.conditions ?? []).filter((c) => !owned.has(c.type));
  let phase = computed.phase;
  if (isTerminalPhase(old.phase)) phase = old.phase;
  else if (old.phase === 'Running' && phase === 'Pending') phase = 'Running';
  const restarts = new Map([...(old.containerStatuses ?? []), ...(old.initContainerStatuses ?? [])].map((s) => [s.name, s.restartCount ?? 0]));
  const keepCount = (s: ContainerStatus) => ({ ...s, restartCount: Math.max(s.restartCount ?? 0, restarts.get(s.name) ?? 0) });
  const merged: PodStatus = {
    ...old,
    ...computed,
    phase,
    conditions: [...(computed.conditions ?? []), ...foreign],
    containerStatuses: (computed.containerStatuses ?? []).map(keepCount),
    ...(computed.initContainerStatuses ? { initContainerStatuses: computed.initContainerStatuses.map(keepCount) } : {}),
  };
  if (old.startTime) merged.startTime = old.startTime;
  if (old.podIP && !computed.podIP) {
    merged.podIP = old.podIP;
    merged.podIPs = old.podIPs ?? [{ ip: old.podIP }];
  }
  return merged;
}
