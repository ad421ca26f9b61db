// The simulated runtime against the shared ContainerRuntime contract (runtime-contract.testing.ts):
// each case runs as a sim process (the "kubelet") talking to nodes' runtimes over the sim
// network, on virtual time; the kernel runs until the case settles.

import { describe, it } from 'vitest';
import type { Env } from '../../env/env.js';
import { SimKernel } from '../../sim/index.js';
import { RUNTIME_CONTRACT, type RuntimeContractWorld } from '../runtime-contract.testing.js';
import type { ContainerRuntime } from '../runtime.js';
import { spawnSimNode, type SimNode } from './sim-node.js';
import { SimRuntimeClient } from './sim-runtime-client.js';

/** Virtual time a case may take before it counts as hung. */
const CASE_BOUND_MS = 10 * 60_000;

async function runCase(run: (world: RuntimeContractWorld) => Promise<void>, seed: number): Promise<void> {
  const kernel = new SimKernel({ seed });
  const nodes = new Map<ContainerRuntime, { name: string; node: SimNode }>();
  let outcome: { error: unknown } | 'ok' | undefined;
  kernel.spawn('contract', async (env: Env) => {
    let count = 0;
    const world: RuntimeContractWorld = {
      async open() {
        const name = `n${++count}`;
        const node = spawnSimNode((n, m) => kernel.spawn(n, m), { node: name });
        await node.runtime;
        const client = new SimRuntimeClient(env, name);
        nodes.set(client, { name, node });
        return client;
      },
      async reopen(runtime) {
        const known = nodes.get(runtime);
        if (!known) throw new Error('unknown runtime');
        const client = new SimRuntimeClient(env, known.name);
        nodes.set(client, known);
        return client;
      },
      async killFromOutside(runtime, id) {
        (await nodes.get(runtime)?.node.runtime)?.kill(id, 'SIGKILL');
      },
      sleep: (ms) => env.timers.sleep(ms),
      now: () => env.clock.now(),
      async cleanup() {},
    };
    try {
      await run(world);
      outcome = 'ok';
    } catch (error) {
      outcome = { error };
    }
  });
  await kernel.run({ until: kernel.now() + CASE_BOUND_MS });
  if (outcome === undefined) throw new Error(`the case did not finish within ${CASE_BOUND_MS} ms of virtual time`);
  if (outcome !== 'ok') throw outcome.error;
}

describe('the simulated runtime: the ContainerRuntime contract', () => {
  RUNTIME_CONTRACT.forEach((c, i) => {
    it(c.name, () => runCase((world) => c.run(world), i + 1));
  });
});
