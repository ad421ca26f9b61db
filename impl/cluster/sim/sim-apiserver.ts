// The reference API server as a process of the sim kernel: an embedded store on virtual
// time, token authentication for every component identity, served at the network address
// "apiserver". Restarting it (kill + start) keeps the store, as a restarted kube-apiserver
// keeps etcd.

import type { Env } from '../../env/env.js';
import type { ProcessHandle } from '../../env/env.js';
import type { AuditRecord } from '../../apiserver/audit.js';
import type { TokenEntry } from '../../apiserver/authn.js';
import type { ApiServerMutants } from '../../apiserver/mutants.js';
import type { PodLogSource } from '../../apiserver/server.js';
import { createReferenceApiServer, type ReferenceApiServer } from '../../apiserver/reference-apiserver.js';
import { serveOnNetwork } from '../../client/transport.js';
import type { Store } from '../../store/store.js';

export interface SimApiServerOptions {
  readonly store: Store;
  readonly tokens: readonly TokenEntry[];
  /** Every audit record, across restarts. */
  readonly onAudit?: (r: AuditRecord) => void;
  readonly defaultTolerationSeconds?: number;
  /** Serves pods/log, given the API server process's Env (e.g. env => new NetworkPodLogSource(env.network)). */
  readonly podLogs?: (env: Env) => PodLogSource;
  readonly mutants?: ApiServerMutants;
}

/** Starts the apiserver process; resolves once it serves (bootstrap done). */
export function spawnSimApiServer(spawn: (name: string, main: (env: Env) => Promise<void>) => ProcessHandle, options: SimApiServerOptions): { handle: ProcessHandle; ready: Promise<ReferenceApiServer> } {
  let resolveReady!: (api: ReferenceApiServer) => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<ReferenceApiServer>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const handle = spawn('apiserver', async (env) => {
    try {
      const api = await createReferenceApiServer({
        store: options.store,
        clock: env.clock,
        timers: env.timers,
        random: env.random,
        auth: { mode: 'token', tokens: options.tokens },
        ...(options.mutants ? { mutants: options.mutants } : {}),
        ...(options.onAudit ? { auditSinks: [{ record: options.onAudit }] } : {}),
        ...(options.defaultTolerationSeconds !== undefined ? { defaultTolerationSeconds: options.defaultTolerationSeconds } : {}),
        ...(options.podLogs ? { podLogs: options.podLogs(env) } : {}),
      });
      serveOnNetwork(env.network, (req) => api.handle(req));
      resolveReady(api);
    } catch (e) {
      rejectReady(e);
      throw e;
    }
    await env.timers.sleep(Infinity);
  });
  return { handle, ready };
}
