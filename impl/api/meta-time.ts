// metav1.Time on the wire: RFC 3339 in UTC with whole seconds ("2023-11-14T22:13:20Z"), as
// Kubernetes serialises lastTransitionTime, firstTimestamp and every other timestamp field.

import type { Millis } from '../env/clock.js';

/** The serialised form of a metav1.Time at `ms` (truncated to the second, as upstream). */
export function metaTime(ms: Millis): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The serialised form of a metav1.MicroTime at `ms`: RFC 3339 in UTC with microseconds. */
export function microTime(ms: Millis): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
