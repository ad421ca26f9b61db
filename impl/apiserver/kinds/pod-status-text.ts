// How kubectl prints a pod's STATUS, READY and RESTARTS columns: the same reasoning as
// upstream's pod printer (waiting/terminated reasons win over the phase; Terminating while
// a deletionTimestamp is set).

import type { Pod } from 'kubernetes-types/core/v1.js';
import { humanDuration } from '../../api/duration.js';

export function podStatusText(pod: Pod): string {
  let reason = pod.status?.reason || pod.status?.phase || 'Unknown';
  let hasRunning = false;
  const statuses = [...(pod.status?.containerStatuses ?? [])].reverse();
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
  for (const s of pod.status?.containerStatuses ?? []) {
    restarts += s.restartCount ?? 0;
    const finished = s.lastState?.terminated?.finishedAt;
    if (finished) last = Math.max(last, Date.parse(finished));
  }
  if (restarts > 0 && last > 0) return `${restarts} (${humanDuration(Math.max(0, now - last))} ago)`;
  return String(restarts);
}
