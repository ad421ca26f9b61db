// A simulated machine: a sim process named node/<name> that owns the node's container
// runtime and serves it to the kubelet. Killing that process is node loss (its containers
// die with it); killing only the kubelet leaves the containers running.

import type { Env, ProcessHandle } from '../../env/env.js';
import { SimNodeRuntime, type SimNodeRuntimeOptions } from './sim-node-runtime.js';

export type Spawn = (name: string, main: (env: Env) => Promise<void>) => ProcessHandle;

export interface SimNode {
  readonly handle: ProcessHandle;
  /** The node's runtime, for the harness's fault hooks; settles once the node process runs. */
  readonly runtime: Promise<SimNodeRuntime>;
}

/** The sim process name of node `node`'s machine. */
export function nodeProcessName(node: string): string {
  return `node/${node}`;
}

export function spawnSimNode(spawn: Spawn, options: SimNodeRuntimeOptions): SimNode {
  let ready!: (r: SimNodeRuntime) => void;
  const runtime = new Promise<SimNodeRuntime>((resolve) => (ready = resolve));
  const handle = spawn(nodeProcessName(options.node), async (env) => {
    const r = new SimNodeRuntime(env, options);
    r.serve();
    ready(r);
    await env.timers.sleep(Infinity);
  });
  void handle.exited.then(async () => (await runtime).powerOff());
  return { handle, runtime };
}
