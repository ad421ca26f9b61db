// Durations printed as Go's time.Duration prints them ("10s", "1m20s", "5m0s", "512ms"),
// because the kubelet's messages carry them ("back-off 1m20s restarting failed container").

import type { Millis } from '../env/clock.js';

export function goDuration(ms: Millis): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const s = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  if (minutes > 0) return `${minutes}m${s}`;
  return s;
}
