// Whether a failed write may still have happened. A controller that issued a create or a
// delete and got no answer (a timeout, a connection cut mid-call, a gateway timeout) cannot
// tell whether the API server applied it; it must then keep expecting the write's effect
// rather than assume it failed and repeat it.

import { ApiStatusError } from '../client/api-client.js';
import { NetworkError } from '../env/network.js';

export function writeOutcomeUnknown(e: unknown): boolean {
  if (e instanceof ApiStatusError) return e.code === 504;
  if (e instanceof NetworkError) return e.code !== 'unreachable';
  // A refused connection never reached the server; any other transport failure might have.
  const code = (e as { code?: unknown } | null)?.code;
  return code !== 'ECONNREFUSED';
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
