// The invariant checkers kubeprop judges every history with (DESIGN.md, "Invariants"), by
// name, in the order reports list them.

import { apiSemantics } from './api-semantics.js';
import { convergence } from './convergence.js';
import type { Invariant } from './invariant.js';
import { podLifecycle } from './pod-lifecycle.js';
import { safety } from './safety.js';
import { storeOnlyViaApiserver } from './store-only-via-apiserver.js';

export type { CheckResult, Invariant, Violation } from './invariant.js';

export const INVARIANTS: readonly Invariant[] = [convergence, podLifecycle, storeOnlyViaApiserver, apiSemantics, safety];

export function invariantByName(name: string): Invariant | undefined {
  return INVARIANTS.find((i) => i.name === name);
}
