// The demo scenario: the reference API server in the sim kernel, with client processes
// racing duplicate creates, stale updates and deletes over a network of seeded delays,
// while a watcher records every event. Three properties judge each run: one duplicate
// create wins, stale updates are refused and change nothing, the watch sees every
// successful write once and in order.

import { SimKernel } from '../../impl/sim/index.js';
import { EmbeddedStore } from '../../impl/store/index.js';
import { ApiClient, isAlreadyExists, isConflict, type ApiObject } from '../../impl/client/api-client.js';
import { NetworkTransport } from '../../impl/client/transport.js';
import { PODS } from '../../impl/client/resources.js';
import { spawnSimApiServer } from '../../impl/cluster/sim/sim-apiserver.js';
import type { TokenEntry } from '../../impl/apiserver/authn.js';

export interface RaceResult {
  readonly seed: number;
  readonly traceHash: string;
  readonly events: number;
  readonly virtualMs: number;
  readonly violations: { property: string; message: string }[];
}

const ADMIN: TokenEntry = { token: 'demo-admin', user: { name: 'admin', uid: '', groups: ['system:masters', 'system:authenticated'] } };

function pod(name: string, image: string): ApiObject {
  return { metadata: { name, labels: { app: 'race' } }, spec: { containers: [{ name: 'c', image }] } } as ApiObject;
}

export async function runApiRace(seed: number): Promise<RaceResult> {
  const kernel = new SimKernel({ seed, network: { minDelayMs: 1, maxDelayMs: 40 } });
  const violations: { property: string; message: string }[] = [];
  const storeReady = new Promise<EmbeddedStore>((resolve) => {
    kernel.spawn('etcd', async (env) => {
      resolve(await EmbeddedStore.open({ clock: env.clock, timers: env.timers, random: env.random }));
      await env.timers.sleep(Infinity);
    });
  });
  let store!: EmbeddedStore;
  kernel.spawn('apiserver-starter', async () => {
    store = await storeReady;
    spawnSimApiServer((n, m) => kernel.spawn(n, m), { store, tokens: [ADMIN] });
  });

  const writes: number[] = [];
  const watched: { type: string; rv: number; name: string }[] = [];
  let watchReady!: () => void;
  const ready = new Promise<void>((r) => (watchReady = r));
  let done = false;
  const startedAt = kernel.now();
  let finishedAt = startedAt;

  kernel.spawn('watcher', async (env) => {
    await env.timers.sleep(50);
    const client = new ApiClient(new NetworkTransport(env.network, ADMIN.token), 'watcher');
    const list = await client.list(PODS, 'default');
    const watch = await client.watch(PODS, 'default', { resourceVersion: list.resourceVersion });
    watchReady();
    for await (const e of watch) {
      const m = (e.object as ApiObject).metadata ?? {};
      watched.push({ type: e.type, rv: Number(m.resourceVersion), name: m.name ?? '' });
      if (done && watched.length >= writes.length) break;
    }
  });

  const clients = 2 + (seed % 3);
  kernel.spawn('driver', async (env) => {
    await ready;
    const mk = (i: number) => new ApiClient(new NetworkTransport(env.network, ADMIN.token), `client-${i}`);
    const all = Array.from({ length: clients }, (_, i) => mk(i));
    // 1. Duplicate creates of one name from every client at once.
    const creates = await Promise.allSettled(all.map((c) => c.create(PODS, 'default', pod('dup', 'busybox:1'))));
    const won = creates.filter((r) => r.status === 'fulfilled');
    const lost = creates.filter((r) => r.status === 'rejected' && isAlreadyExists(r.reason));
    if (won.length !== 1 || lost.length !== clients - 1) {
      violations.push({ property: 'duplicate-create', message: `${clients} concurrent creates of pod default/dup: ${won.length} succeeded, ${lost.length} got AlreadyExists (want exactly 1 success)` });
    }
    for (const r of won) writes.push(Number((r as PromiseFulfilledResult<ApiObject>).value.metadata?.resourceVersion));
    // 2. Stale updates: every client read the same version; they race to change the image.
    const base = await all[0]!.get<ApiObject>(PODS, 'default', 'dup');
    const updates = await Promise.allSettled(
      all.map((c, i) => {
        const next = structuredClone(base) as ApiObject & { spec: { containers: { image: string }[] } };
        next.spec.containers[0]!.image = `busybox:${i + 2}`;
        return c.update(PODS, next);
      }),
    );
    const updated = updates.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<ApiObject>[];
    const refused = updates.filter((r) => r.status === 'rejected' && isConflict(r.reason));
    if (updated.length !== 1 || refused.length !== clients - 1) {
      violations.push({ property: 'stale-update', message: `${clients} updates from resourceVersion ${base.metadata?.resourceVersion}: ${updated.length} succeeded, ${refused.length} got 409 Conflict (want exactly 1 success)` });
    }
    for (const r of updated) writes.push(Number(r.value.metadata?.resourceVersion));
    const after = await all[0]!.get<ApiObject & { spec: { containers: { image: string }[] } }>(PODS, 'default', 'dup');
    const winner = updated[0]?.value as (ApiObject & { spec: { containers: { image: string }[] } }) | undefined;
    if (winner && after.spec.containers[0]?.image !== winner.spec.containers[0]?.image) {
      violations.push({ property: 'stale-update', message: `pod default/dup has image ${after.spec.containers[0]?.image} after the refused updates; the one accepted update set ${winner.spec.containers[0]?.image}` });
    }
    // 3. More writes for the watch to see, then a delete.
    for (let i = 0; i < 3; i++) {
      const created = await all[i % clients]!.create(PODS, 'default', pod(`p${i}`, 'busybox'));
      writes.push(Number(created.metadata?.resourceVersion));
    }
    await all[0]!.delete(PODS, 'default', 'dup');
    writes.push(Number((await store.revision())));
    done = true;
    finishedAt = env.clock.now();
    // Give the watch time to deliver, then end the world so the run stops.
    await env.timers.sleep(5_000);
    for (const name of kernel.processes()) if (name !== 'driver') kernel.process(name)?.kill();
  });

  const summary = await kernel.run({ until: kernel.now() + 10 * 60_000 });
  const rvs = watched.map((w) => w.rv);
  for (let i = 1; i < rvs.length; i++) {
    if (rvs[i]! <= rvs[i - 1]!) violations.push({ property: 'watch', message: `watch event ${i} (${watched[i]!.type} ${watched[i]!.name}) has resourceVersion ${rvs[i]} after ${rvs[i - 1]}` });
  }
  const want = [...writes].sort((a, b) => a - b);
  if (JSON.stringify(rvs) !== JSON.stringify(want)) {
    violations.push({ property: 'watch', message: `the watch saw resourceVersions [${rvs.join(', ')}]; the successful writes were at [${want.join(', ')}]` });
  }
  return { seed, traceHash: kernel.trace.hash(), events: summary.events, virtualMs: finishedAt - startedAt, violations };
}
