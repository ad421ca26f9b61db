// `kubeprop controller-manager`: runs the reference controller-manager alone against an API
// server, until Ctrl-C or SIGTERM.

import { createLiveEnv } from '../../../impl/env/live.js';
import { runControllerManager } from '../../../impl/controllers/controller-manager.js';
import { durationOption, parse } from '../args.js';
import type { Command } from '../command.js';
import { untilSignal } from '../signals.js';
import { clientFromKubeconfig } from './component-access.js';

const usage = `Usage: kubeprop controller-manager --kubeconfig FILE [--node-monitor-grace-period D]

Runs the Deployment, ReplicaSet, node lifecycle (+IPAM, taint eviction, pod GC), garbage
collector and namespace controllers against the API server in FILE.
`;

export const controllerManagerCommand: Command = {
  name: 'controller-manager',
  summary: 'run the reference controller-manager alone',
  usage,
  async run(args) {
    const { values } = parse(args, { kubeconfig: { type: 'string' }, 'node-monitor-grace-period': { type: 'string' } });
    const client = clientFromKubeconfig(values.kubeconfig, 'kube-controller-manager/kubeprop');
    const env = createLiveEnv({ process: 'controller-manager' });
    const cm = runControllerManager(env, client, { nodeMonitorGracePeriodMs: durationOption(values['node-monitor-grace-period'], 'node-monitor-grace-period', 40_000) });
    await cm.ready;
    console.log('kubeprop controller-manager: running');
    await untilSignal();
    cm.stop();
    env.close();
    return 0;
  },
};
