import { describe, expect, it } from 'vitest';
import { SimKernel } from '../sim/index.js';
import { AssumeCache } from './assume-cache.js';
import { pod } from './scheduler-fixtures.testing.js';

describe('AssumeCache', () => {
  it('counts a pod on its node until confirmed, forgotten or expired', async () => {
    const kernel = new SimKernel({ seed: 1 });
    const log: string[] = [];
    kernel.spawn('test', async (env) => {
      const expired: string[] = [];
      const cache = new AssumeCache(env.timers, 30_000, (key) => expired.push(key));
      const a = { ...pod('a'), metadata: { ...pod('a').metadata, uid: 'uid-a' } };
      cache.assume('default/a', a, 'node-1');
      cache.assume('default/b', pod('b'), 'node-2');
      cache.assume('default/c', pod('c'), 'node-3');
      log.push(cache.pods().map((p) => `${p.metadata?.name}@${p.spec?.nodeName}`).join(','));
      cache.confirm('default/a', 'another-uid');
      log.push(`after a stale confirm: ${cache.isAssumed('default/a')}`);
      cache.confirm('default/a', 'uid-a');
      cache.forget('default/b');
      log.push(`after confirm and forget: ${cache.pods().map((p) => p.metadata?.name).join(',')}`);
      // No expiry while the binding is in flight, however long it takes.
      await env.timers.sleep(60_000);
      log.push(`binding in flight: ${cache.isAssumed('default/c')}`);
      cache.finishBinding('default/c');
      await env.timers.sleep(29_999);
      log.push(`just before the TTL: ${cache.isAssumed('default/c')}`);
      // Events due at one virtual instant run in seeded order: look a moment later.
      await env.timers.sleep(2);
      log.push(`after the TTL: ${cache.isAssumed('default/c')}, expired ${expired.join(',')}`);
    });
    await kernel.run();
    expect(log).toEqual([
      'a@node-1,b@node-2,c@node-3',
      'after a stale confirm: true',
      'after confirm and forget: c',
      'binding in flight: true',
      'just before the TTL: true',
      'after the TTL: false, expired default/c',
    ]);
  });
});
