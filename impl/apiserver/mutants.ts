// Bug switches the API server exposes so the harness can measure what its checkers catch.
// All off in the reference.

export const APISERVER_MUTANTS = {
  'accept-stale-updates': 'updates with a stale resourceVersion are applied instead of refused with 409 Conflict',
  'watch-drops-events': 'watch streams silently drop every 7th event (as a watch cache that loses an event after relist)',
  'unaudited-status-writes': 'pod status updates write the store a second time outside any audited request (a write around the API server)',
} as const;

export type ApiServerMutant = keyof typeof APISERVER_MUTANTS;
export type ApiServerMutants = Readonly<Partial<Record<ApiServerMutant, boolean>>>;
