import { describe, expect, it } from 'vitest';
import type { ApiClient, ApiObject } from './api-client.js';
import { ApiEventRecorder } from './event-recorder.js';

/** An API client that keeps the events written and patched. */
function fakeClient() {
  const writes: { verb: 'create' | 'patch'; name: string; count: number; reason?: string }[] = [];
  const client = {
    create: async (_r: unknown, _ns: string, obj: ApiObject & { reason?: string; count?: number }) => {
      writes.push({ verb: 'create', name: obj.metadata?.name ?? '', count: obj.count ?? 0, ...(obj.reason ? { reason: obj.reason } : {}) });
      return obj;
    },
    patch: async (_r: unknown, _ns: string, name: string, _type: string, patch: { count: number }) => {
      writes.push({ verb: 'patch', name, count: patch.count });
      return {};
    },
  } as unknown as ApiClient;
  return { client, writes };
}

const pod = (name: string): ApiObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` } });

describe('ApiEventRecorder', () => {
  it('aggregates a repeated event into one with a growing count', async () => {
    const { client, writes } = fakeClient();
    const r = new ApiEventRecorder(client, { now: () => 1_000 }, { component: 'kubelet', host: 'node-1' });
    for (let i = 0; i < 3; i++) r.event(pod('web'), 'Normal', 'Started', 'Started container app');
    await r.flush();
    expect(writes.map((w) => [w.verb, w.count])).toEqual([
      ['create', 1],
      ['patch', 2],
      ['patch', 3],
    ]);
  });

  it("writes at most 25 events about one object in a burst, then one per 5 minutes, as client-go's spam filter", async () => {
    const { client, writes } = fakeClient();
    let now = 0;
    const r = new ApiEventRecorder(client, { now: () => now }, { component: 'kubelet', host: 'node-1' });
    for (let i = 0; i < 40; i++) {
      r.event(pod('loop'), 'Normal', 'Started', 'Started container app');
      now += 1_000;
    }
    r.event(pod('other'), 'Normal', 'Started', 'Started container app');
    await r.flush();
    expect(writes.filter((w) => w.name.startsWith('loop'))).toHaveLength(25);
    expect(writes.filter((w) => w.name.startsWith('other'))).toHaveLength(1);
    // One token back after 5 minutes; the dropped events counted into the series.
    now += 300_000;
    r.event(pod('loop'), 'Normal', 'Started', 'Started container app');
    r.event(pod('loop'), 'Normal', 'Started', 'Started container app');
    await r.flush();
    expect(writes.filter((w) => w.name.startsWith('loop')).map((w) => w.count).slice(-2)).toEqual([25, 41]);
  });
});
