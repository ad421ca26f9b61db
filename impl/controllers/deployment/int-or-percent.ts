// maxSurge and maxUnavailable: an absolute count or a percent of spec.replicas, resolved as
// upstream's ResolveFenceposts does — surge rounds up, unavailable rounds down, and both
// zero becomes unavailable 1 so a rollout can always make progress.

import type { Deployment } from 'kubernetes-types/apps/v1.js';

export type IntOrString = number | string;

/** The value of an IntOrString against `total`; percents round up or down as asked. */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    const n = Number(value);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}`);
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface Fenceposts {
  readonly maxSurge: number;
  readonly maxUnavailable: number;
}

export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): Fenceposts {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { maxSurge: surge, maxUnavailable: unavailable };
}

function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** How many pods above spec.replicas a rollout may run (0 for Recreate). */
export function maxSurgeOf(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', d.spec?.replicas ?? 1).maxSurge;
}

/** How many of spec.replicas may be unavailable during a rollout (never more than replicas). */
export function maxUnavailableOf(d: Deployment): number {
  const replicas = d.spec?.replicas ?? 1;
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  const { maxUnavailable } = resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', replicas);
  return Math.min(maxUnavailable, replicas);
}
