import { describe, expect, it } from 'vitest';
import { SimKernel } from '../../sim/index.js';
import { EmbeddedStore } from '../../store/index.js';
import { ApiClient, isAlreadyExists } from '../../client/api-client.js';
import { NetworkTransport } from '../../client/transport.js';
import { DEPLOYMENTS, PODS } from '../../client/resources.js';
import { spawnSimApiServer } from './sim-apiserver.js';
import type { AuditRecord } from '../../apiserver/audit.js';

const admin = { token: 'admin-token', user: { name: 'admin', uid: '', groups: ['system:masters', 'system:authenticated'] } };

async function scenario(seed: number): Promise<{ hash: string; log: string[]; audit: AuditRecord[] }> {
  const kernel = new SimKernel({ seed, network: { minDelayMs: 1, maxDelayMs: 20 } });
  const audit: AuditRecord[] = [];
  const log: string[] = [];
  const store = await EmbeddedStore.open({ clock: { now: () => kernel.now() }, timers: { sleep: () => new Promise(() => {}), setTimer: () => ({ id: 0 }), cancel: () => {} } });
  spawnSimApiServer((n, m) => kernel.spawn(n, m), { store, tokens: [admin], onAudit: (r) => audit.push(r) });
  kernel.spawn('client', async (env) => {
    await env.timers.sleep(100);
    const client = new ApiClient(new NetworkTransport(env.network, admin.token), 'test-client');
    const watch = await client.watch(PODS, 'default', { resourceVersion: (await client.list(PODS, 'default')).resourceVersion });
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => client.create(PODS, 'default', { metadata: { name: 'dup' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as never)),
    );
    log.push(`creates: ${results.map((r) => (r.status === 'fulfilled' ? 'ok' : isAlreadyExists(r.reason) ? 'exists' : 'err')).sort().join(',')}`);
    await client.create(DEPLOYMENTS, 'default', {
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    } as never);
    await client.delete(PODS, 'default', 'dup');
    for await (const e of watch) {
      log.push(`${e.type} ${(e.object as { metadata: { name: string } }).metadata.name}`);
      if (e.type === 'DELETED') break;
    }
    watch.close();
  });
  await kernel.run({ until: kernel.now() + 60_000 });
  return { hash: kernel.trace.hash(), log, audit };
}

describe('the API server on the sim network', () => {
  it('serves creates, duplicate creates, deletes and watches, deterministically', async () => {
    const a = await scenario(7);
    expect(a.log).toEqual(['creates: exists,exists,ok', 'ADDED dup', 'DELETED dup']);
    expect(a.audit.filter((r) => r.verb === 'create' && r.resource === 'pods').map((r) => r.code).sort()).toEqual([201, 409, 409]);
    const b = await scenario(7);
    expect(b.hash).toBe(a.hash);
  });
});
