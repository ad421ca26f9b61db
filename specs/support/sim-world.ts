// A sim kernel with the reference API server in it (embedded store in an "etcd" process,
// the server at the network address "apiserver"), ready for components to be spawned as
// processes that talk to it under their own identities, and for a driver process to act
// as the admin. drive() runs the scenario and ends the world when the driver returns, so a
// component test reads as: set up, spawn, drive, assert.

import type { TokenEntry } from '../../impl/apiserver/authn.js';
import { ApiClient } from '../../impl/client/api-client.js';
import { NetworkTransport } from '../../impl/client/transport.js';
import { spawnSimApiServer } from '../../impl/cluster/sim/sim-apiserver.js';
import type { Env, ProcessHandle } from '../../impl/env/env.js';
import { SimKernel } from '../../impl/sim/index.js';
import type { SimNetworkOptions } from '../../impl/sim/sim-links.js';
import { EmbeddedStore } from '../../impl/store/index.js';

/** The users components run as (their tokens are known to the sim API server). */
export const IDENTITIES = {
  admin: { name: 'admin', groups: ['system:masters', 'system:authenticated'] },
  scheduler: { name: 'system:kube-scheduler', groups: ['system:authenticated'] },
  controllerManager: { name: 'system:kube-controller-manager', groups: ['system:authenticated'] },
} as const;

export interface Identity {
  readonly name: string;
  readonly groups: readonly string[];
}

/** The identity of node `name`'s kubelet. */
export function nodeIdentity(name: string): Identity {
  return { name: `system:node:${name}`, groups: ['system:nodes', 'system:authenticated'] };
}

export interface SimWorldOptions {
  readonly seed: number;
  readonly network?: SimNetworkOptions;
  /** Identities beyond IDENTITIES that will need tokens (kubelets: nodeIdentity(name)). */
  readonly identities?: readonly Identity[];
  readonly defaultTolerationSeconds?: number;
}

export interface SimWorld {
  readonly kernel: SimKernel;
  /** Starts a process that, once the API server serves, runs `main` with a client acting as `identity`. */
  spawn(name: string, identity: Identity, main: (env: Env, client: ApiClient) => Promise<void>): ProcessHandle;
  /**
   * Runs `main` as the admin in a "driver" process and the kernel until it returns (or
   * `maxVirtualMs` passes), then kills every process. Returns main's result; rethrows its error.
   */
  drive<T>(main: (env: Env, client: ApiClient) => Promise<T>, options?: { maxVirtualMs?: number }): Promise<T>;
}

const tokenOf = (identity: Identity) => `token-${identity.name}`;

export function createSimWorld(options: SimWorldOptions): SimWorld {
  const kernel = new SimKernel({ seed: options.seed, ...(options.network ? { network: options.network } : {}) });
  const identities: Identity[] = [...Object.values(IDENTITIES), ...(options.identities ?? [])];
  const tokens: TokenEntry[] = identities.map((i) => ({ token: tokenOf(i), user: { name: i.name, uid: '', groups: [...i.groups] } }));
  const storeReady = new Promise<EmbeddedStore>((resolve) => {
    kernel.spawn('etcd', async (env) => {
      resolve(await EmbeddedStore.open({ clock: env.clock, timers: env.timers, random: env.random }));
      await env.timers.sleep(Infinity);
    });
  });
  let serverReady!: () => void;
  const ready = new Promise<void>((resolve) => (serverReady = resolve));
  kernel.spawn('apiserver-starter', async () => {
    const store = await storeReady;
    const server = spawnSimApiServer((n, m) => kernel.spawn(n, m), {
      store,
      tokens,
      ...(options.defaultTolerationSeconds !== undefined ? { defaultTolerationSeconds: options.defaultTolerationSeconds } : {}),
    });
    await server.ready;
    serverReady();
  });

  const spawn = (name: string, identity: Identity, main: (env: Env, client: ApiClient) => Promise<void>): ProcessHandle =>
    kernel.spawn(name, async (env) => {
      await ready;
      await main(env, new ApiClient(new NetworkTransport(env.network, tokenOf(identity)), name));
    });

  return {
    kernel,
    spawn,
    async drive<T>(main: (env: Env, client: ApiClient) => Promise<T>, driveOptions: { maxVirtualMs?: number } = {}): Promise<T> {
      let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
      spawn('driver', IDENTITIES.admin, async (env, client) => {
        try {
          outcome = { ok: true, value: await main(env, client) };
        } catch (error) {
          outcome = { ok: false, error };
        }
        for (const name of kernel.processes()) if (name !== 'driver') kernel.process(name)?.kill();
      });
      await kernel.run({ until: kernel.now() + (driveOptions.maxVirtualMs ?? 10 * 60_000) });
      if (!outcome) throw new Error(`the driver did not finish within ${driveOptions.maxVirtualMs ?? 600_000} virtual ms (seed ${options.seed})`);
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
  };
}
