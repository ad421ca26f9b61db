// `kubeprop scheduler`: runs the reference scheduler alone against an API server, until
// Ctrl-C or SIGTERM.

import { createLiveEnv } from '../../../impl/env/live.js';
import { Scheduler } from '../../../impl/scheduler/scheduler.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { untilSignal } from '../signals.js';
import { clientFromKubeconfig } from './component-access.js';

const usage = `Usage: kubeprop scheduler --kubeconfig FILE

Binds Pending pods to nodes (resources, affinity, taints, spreading) through the API server in FILE.
`;

export const schedulerCommand: Command = {
  name: 'scheduler',
  summary: 'run the reference scheduler alone',
  usage,
  async run(args) {
    const { values } = parse(args, { kubeconfig: { type: 'string' } });
    const client = clientFromKubeconfig(values.kubeconfig, 'kube-scheduler/kubeprop');
    const env = createLiveEnv({ process: 'scheduler' });
    const scheduler = new Scheduler(env, client, {});
    scheduler.start();
    await scheduler.waitForSync();
    console.log('kubeprop scheduler: running');
    await untilSignal();
    scheduler.stop();
    env.close();
    return 0;
  },
};
