// How kubectl prints a pod's STATUS, READY and RESTARTS columns: the same reasoning as
// upstream's pod printer (Init:i/n and Init:<reason> while init containers run; waiting and
// terminated reasons win over the phase; Terminating while a deletionTimestamp is set).

import type { Pod } from 'kubernetes-types/core/v1.js';
import { humanDuration } from '../../api/duration.js';

/**
 * While the pod initializes, the first init container that has not completed decides:
 * "Init:Error" (or Init:ExitCode:N, Init:Signal:N) when it failed, "Init:<waiting reason>"
 * (CrashLoopBackOff, ImagePullBackOff) when it waits, else "Init:i/n" with i completed.
 * Undefined once every init container completed (or restartable ones started).
 */
function initStatusText(pod: Pod): string | undefined {
  const specs = pod.spec?.initContainers ?? [];
  const statuses = pod.status?.initContainerStatuses ?? [];
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i]!;
    const t = s.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (specs.find((c) => c.name === s.name)?.restartPolicy === 'Always' && s.started) continue;
    if (t) return t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    const waiting = s.state?.waiting?.reason;
    if (waiting && waiting !== 'PodInitializing') return `Init:${waiting}`;
    return `Init:${i}/${specs.length}`;
  }
  return undefined;
}

function initialized(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
}

export function podStatusText(pod: Pod): string {
  let reason = pod.status?.reason || pod.status?.phase || 'Unknown';
  let hasRunning = false;
  const init = initStatusText(pod);
  if (init !== undefined && !initialized(pod)) reason = init;
  const statuses = init !== undefined && !initialized(pod) ? [] : [...(pod.status?.containerStatuses ?? [])].reverse();
  for (const s of statuses) {
    if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
    else if (s.state?.terminated?.reason) reason = s.state.terminated.reason;
    else if (s.state?.terminated) {
      reason = s.state.terminated.signal ? `Signal:${s.state.terminated.signal}` : `ExitCode:${s.state.terminated.exitCode}`;
    } else if (s.ready && s.state?.running) hasRunning = true;
  }
  if (reason === 'Completed' && hasRunning) {
    const ready = (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    reason = ready ? 'Running' : 'NotReady';
  }
  if (pod.metadata?.deletionTimestamp && pod.status?.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp) reason = 'Terminating';
  return reason;
}

export function podReadyText(pod: Pod): string {
  const total = pod.spec?.containers?.length ?? 0;
  const ready = (pod.status?.containerStatuses ?? []).filter((s) => s.ready && s.state?.running).length;
  return `${ready}/${total}`;
}

/** "2" or, after a restart, "2 (15s ago)" as kubectl 1.32 prints it. */
export function podRestartsText(pod: Pod, now: number): string {
  let restarts = 0;
  let last = 0;
  // While the pod initializes, its init containers' restarts are the ones that count.
  const initializing = initStatusText(pod) !== undefined && !initialized(pod);
  for (const s of initializing ? (pod.status?.initContainerStatuses ?? []) : (pod.status?.containerStatuses ?? [])) {
    restarts += s.restartCount ?? 0;
    const finished = s.lastState?.terminated?.finishedAt;
    if (finished) last = Math.max(last, Date.parse(finished));
  }
  if (restarts > 0 && last > 0) return `${restarts} (${humanDuration(Math.max(0, now - last))} ago)`;
  return String(restarts);
}
