// The trace's contract: plain JSON entries, a sha256 over their canonical JSON Lines that
// does not depend on whether entries are kept, and payload digests that tell data apart.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Env } from '../env/env.js';
import { SimKernel } from './kernel.js';
import { digest, Trace, type TraceOptions } from './trace.js';

async function pingPong(trace: TraceOptions, value: unknown = { n: 1 }): Promise<SimKernel> {
  const kernel = new SimKernel({ seed: 99, trace });
  kernel.spawn('server', async (env: Env) => {
    env.network.serve('rpc', async (request) => request);
    await env.timers.sleep(100);
  });
  kernel.spawn('client', async (env: Env) => {
    await env.network.call('rpc', value);
  });
  await kernel.run();
  return kernel;
}

describe('Trace', () => {
  it('hashes the JSON Lines of its entries with sha256', async () => {
    const kernel = await pingPong({});
    const jsonl = kernel.trace.toJSONL();
    expect(kernel.trace.hash()).toBe(createHash('sha256').update(jsonl).digest('hex'));
    for (const entry of kernel.trace.entries) expect(JSON.parse(JSON.stringify(entry))).toEqual(entry);
  });

  it('gives the same hash whether or not entries are kept', async () => {
    const kept = await pingPong({ keepEntries: true });
    const hashedOnly = await pingPong({ keepEntries: false });
    expect(hashedOnly.trace.entries).toEqual([]);
    expect(hashedOnly.trace.length).toBe(kept.trace.length);
    expect(hashedOnly.trace.hash()).toBe(kept.trace.hash());
  });

  it('tells payloads apart by digest, unless digests are off', async () => {
    expect((await pingPong({}, { n: 1 })).trace.hash()).not.toBe((await pingPong({}, { n: 2 })).trace.hash());
    const off = { payloadDigests: false };
    expect((await pingPong(off, { n: 1 })).trace.hash()).toBe((await pingPong(off, { n: 2 })).trace.hash());
  });

  it('records what happened, with virtual times and names', async () => {
    const kernel = await pingPong({});
    const kinds = kernel.trace.entries.map((e) => (e.k === 'deliver' ? `${e.kind} ${e.from}->${e.to}` : e.k));
    expect(kinds).toEqual(['spawn', 'spawn', 'call client->server', 'reply server->client', 'exit', 'timer', 'exit']);
    const call = kernel.trace.entries.find((e) => e.k === 'deliver');
    expect(call).toMatchObject({ k: 'deliver', kind: 'call', addr: 'rpc', d: digest({ n: 1 }) });
  });

  it('hash() can be called again as the trace grows', () => {
    const trace = new Trace();
    trace.record({ t: 0, k: 'note', text: 'a' });
    const first = trace.hash();
    expect(trace.hash()).toBe(first);
    trace.record({ t: 0, k: 'note', text: 'b' });
    expect(trace.hash()).not.toBe(first);
    expect(trace.hash()).toBe(createHash('sha256').update(trace.toJSONL()).digest('hex'));
  });

  it('digests values JSON cannot show', () => {
    expect(digest(1n)).not.toBe(digest(2n));
    expect(digest(new Error('a'))).not.toBe(digest(new Error('b')));
    expect(digest(undefined)).toMatch(/^[0-9a-f]{16}$/);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(digest(cyclic)).toMatch(/^[0-9a-f]{16}$/);
  });
});
