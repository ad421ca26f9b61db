// The invariant checkers kubeprop judges every history with (DESIGN.md, "Invariants"), by
// name, in the order reports list them.

import { apiSemantics } from './api-semantics.js';
import { convergence } from './convergence.js';
import { crashLoopBackOff } from './crash-loop-back-off.js';
import { garbageCollection } from './garbage-collection.js';
import { gracefulTermination } from './graceful-termination.js';
import type { Invariant } from './invariant.js';
import { nodeIpam } from './node-ipam.js';
import { nodeLifecycle } from './node-lifecycle.js';
import { podLifecycle } from './pod-lifecycle.js';
import { replicasetCreation } from './replicaset-creation.js';
import { rolloutStrategy } from './rollout-strategy.js';
import { safety } from './safety.js';
import { scheduling } from './scheduling.js';
import { singleContainerInstance } from './single-container-instance.js';
import { storeOnlyViaApiserver } from './store-only-via-apiserver.js';

export type { CheckResult, Invariant, Violation } from './invariant.js';

export const INVARIANTS: readonly Invariant[] = [convergence, podLifecycle, storeOnlyViaApiserver, apiSemantics, safety, replicasetCreation, rolloutStrategy, garbageCollection, nodeIpam, singleContainerInstance, crashLoopBackOff, gracefulTermination, scheduling, nodeLifecycle];

export function invariantByName(name: string): Invariant | undefined {
  return INVARIANTS.find((i) => i.name === name);
}
