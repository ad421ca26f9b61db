// Deployments: a workload (replicasets.ts) plus its rollout strategy — RollingUpdate with
// maxSurge / maxUnavailable as absolute numbers or percents (never both zero, which the API
// refuses), the API's defaults (25% / 25%), or Recreate four times in eleven — and sometimes a
// revision history limit or progress deadline.

import fc from 'fast-check';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { appLabelFor, identityArbitrary, objectMeta, type IdentityOptions, type ObjectIdentity } from './names.js';
import { sometimes } from './placement.js';
import { DEFAULT_CONTEXT, type BuildContext } from './pods.js';
import { buildWorkloadSpec, workloadDraftArbitrary, type WorkloadDraft, type WorkloadOptions } from './replicasets.js';

/** An IntOrString bound: 2 or "25%". */
export type Bound = number | `${number}%`;

export type StrategyDraft =
  | { readonly type: 'default' }
  | { readonly type: 'Recreate' }
  | { readonly type: 'RollingUpdate'; readonly maxSurge?: Bound; readonly maxUnavailable?: Bound };

const boundArbitrary: fc.Arbitrary<Bound> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 10, 25, 33, 50, 100).map((p): Bound => `${p}%`) },
);

function isZero(b: Bound | undefined): boolean {
  return b === 0 || b === '0%';
}

export const strategyDraftArbitrary: fc.Arbitrary<StrategyDraft> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ type: 'default' as const }) },
  {
    weight: 5,
    arbitrary: fc
      .record({ type: fc.constant('RollingUpdate' as const), maxSurge: sometimes(boundArbitrary, 5), maxUnavailable: sometimes(boundArbitrary, 5) })
      .map((s): StrategyDraft => {
        // Both zero is refused by the API; an unset bound defaults to 25%, so only explicit zeros collide.
        const maxSurge = isZero(s.maxSurge) && isZero(s.maxUnavailable) ? 1 : s.maxSurge;
        return { type: 'RollingUpdate', ...(maxSurge !== undefined ? { maxSurge } : {}), ...(s.maxUnavailable !== undefined ? { maxUnavailable: s.maxUnavailable } : {}) };
      }),
  },
  { weight: 4, arbitrary: fc.constant({ type: 'Recreate' as const }) },
);

export interface DeploymentDraft extends WorkloadDraft {
  readonly strategy: StrategyDraft;
  readonly revisionHistoryLimit?: number;
  readonly progressDeadlineSeconds?: number;
  readonly minReadySeconds?: number;
}

export interface DeploymentOptions extends WorkloadOptions {
  /**
   * Whether to generate minReadySeconds (default false): the convergence checker assumes
   * available = ready after a quiet period, so scenarios leave it out.
   */
  readonly minReadySeconds?: boolean;
}

export function deploymentDraftArbitrary(options: DeploymentOptions = {}): fc.Arbitrary<DeploymentDraft> {
  return fc
    .record({
      workload: workloadDraftArbitrary(options),
      strategy: strategyDraftArbitrary,
      revisionHistoryLimit: sometimes(fc.constantFrom(0, 1, 3, 10), 5),
      progressDeadlineSeconds: sometimes(fc.constantFrom(60, 120, 600), 5),
      minReadySeconds: options.minReadySeconds ? sometimes(fc.integer({ min: 0, max: 5 }), 3) : fc.constant(undefined),
    })
    .map(({ workload, strategy, revisionHistoryLimit, progressDeadlineSeconds, minReadySeconds }) => ({
      ...workload,
      strategy,
      ...(revisionHistoryLimit !== undefined ? { revisionHistoryLimit } : {}),
      ...(progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds } : {}),
      ...(minReadySeconds !== undefined ? { minReadySeconds } : {}),
    }));
}

function buildStrategy(s: StrategyDraft) {
  switch (s.type) {
    case 'default':
      return undefined;
    case 'Recreate':
      return { type: 'Recreate' };
    case 'RollingUpdate': {
      const rollingUpdate = { ...(s.maxSurge !== undefined ? { maxSurge: s.maxSurge } : {}), ...(s.maxUnavailable !== undefined ? { maxUnavailable: s.maxUnavailable } : {}) };
      return { type: 'RollingUpdate', ...(Object.keys(rollingUpdate).length > 0 ? { rollingUpdate } : {}) };
    }
  }
}

export function buildDeployment(d: DeploymentDraft, identity: ObjectIdentity, ctx: BuildContext = DEFAULT_CONTEXT): Deployment {
  const app = appLabelFor(identity);
  const strategy = buildStrategy(d.strategy);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(identity, ctx.namespace, { app }),
    spec: {
      ...buildWorkloadSpec(d, app, ctx),
      ...(strategy ? { strategy } : {}),
      ...(d.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: d.revisionHistoryLimit } : {}),
      ...(d.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: d.progressDeadlineSeconds } : {}),
      ...(d.minReadySeconds !== undefined ? { minReadySeconds: d.minReadySeconds } : {}),
    },
  };
}

export function deploymentArbitrary(options: DeploymentOptions & IdentityOptions = {}, ctx: BuildContext = DEFAULT_CONTEXT): fc.Arbitrary<Deployment> {
  return fc.tuple(deploymentDraftArbitrary(options), identityArbitrary(options)).map(([d, id]) => buildDeployment(d, id, ctx));
}
