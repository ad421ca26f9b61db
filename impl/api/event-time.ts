// When an Event happened, as kubectl decides it for sorting and for ages: the series' last
// observation, else lastTimestamp (legacy events, whole seconds), else eventTime (events
// written the events.k8s.io way, microseconds).

import type { Event } from 'kubernetes-types/core/v1.js';

/** The timestamp string kubectl sorts an event by ('' when it has none). */
export function eventTimestamp(e: Event): string {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '';
}

/** Orders events oldest first as `kubectl describe` does; equal times keep list order (by name). */
export function compareEvents(a: Event, b: Event): number {
  const ta = Date.parse(eventTimestamp(a));
  const tb = Date.parse(eventTimestamp(b));
  if (ta !== tb) return (Number.isNaN(ta) ? 0 : ta) - (Number.isNaN(tb) ? 0 : tb);
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}
