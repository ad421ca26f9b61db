// What the single-component commands share: reading --kubeconfig into an API client over
// HTTPS, and a live Env for the component's process.

import { ApiClient } from '../../../impl/client/api-client.js';
import { loadKubeconfig, transportFor } from '../../../impl/cluster/live/kubeconfig-load.js';
import { UsageError } from '../command.js';

export function clientFromKubeconfig(path: string | undefined, userAgent: string): ApiClient {
  if (!path) throw new UsageError('--kubeconfig FILE is required (kubeprop up writes one per component)');
  try {
    return new ApiClient(transportFor(loadKubeconfig(path)), userAgent);
  } catch (e) {
    throw new UsageError(`cannot use kubeconfig ${path}: ${(e as Error).message}`);
  }
}
