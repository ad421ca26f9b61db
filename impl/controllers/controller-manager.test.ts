import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { DEPLOYMENTS, NODES } from '../client/resources.js';
import { CONTROLLER_MUTANTS, isControllerMutantName } from './mutants.js';
import { CONTROLLER_NAMES } from './controller-manager.js';
import { controllersWorld, deploymentManifest, rolloutComplete, waitFor } from './testing/controllers-world.testing.js';

async function scenario(seed: number): Promise<{ hash: string; cidr: string | undefined; stoppedCleanly: boolean }> {
  const world = controllersWorld({ seed, network: { minDelayMs: 1, maxDelayMs: 30 } });
  world.startControllerManager({ nodeMonitorGracePeriodMs: 10_000, nodeMonitorPeriodMs: 1_000 });
  world.startFakeKubelet({ nodes: ['node-a'] });
  const out = await world.drive(async (env, client) => {
    await client.create(NODES, undefined, { metadata: { name: 'node-a' } });
    await client.create(DEPLOYMENTS, 'default', deploymentManifest('web', { replicas: 3 }));
    await waitFor(env, 'rollout', async () => (rolloutComplete(await client.get<Deployment>(DEPLOYMENTS, 'default', 'web')) ? true : undefined));
    const cidr = await waitFor(env, 'podCIDR', async () => (await client.get<Node>(NODES, undefined, 'node-a')).spec?.podCIDR);
    const manager = world.manager!;
    expect([...manager.controllers.keys()]).toEqual([...CONTROLLER_NAMES]);
    manager.stop();
    let stoppedCleanly = false;
    await Promise.race([manager.stopped.then(() => (stoppedCleanly = true)), env.timers.sleep(5_000)]);
    return { cidr, stoppedCleanly };
  });
  return { hash: world.kernel.trace.hash(), ...out };
}

describe('controller-manager', () => {
  it('runs every controller, replays byte for byte from its seed, and stops cleanly', async () => {
    const a = await scenario(61);
    expect(a.cidr).toBe('10.244.0.0/24');
    expect(a.stoppedCleanly).toBe(true);
    expect((await scenario(61)).hash).toBe(a.hash);
    expect((await scenario(62)).hash).not.toBe(a.hash);
  });

  it('names its mutants in one registry', () => {
    expect(Object.keys(CONTROLLER_MUTANTS).length).toBeGreaterThan(5);
    expect(isControllerMutantName('ignore-expectations')).toBe(true);
    expect(isControllerMutantName('toString')).toBe(false);
  });
});
