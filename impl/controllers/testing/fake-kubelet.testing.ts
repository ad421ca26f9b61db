// A stand-in for kubelets (and the scheduler) in the controllers' tests: it binds new pods
// to nodes round robin, reports them Running and Ready after a delay, and removes
// terminating pods after another, all through the API as the admin. It lets a controller
// test watch rollouts, availability and graceful deletion without the real node agents.

import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { metaTime } from '../../api/meta-time.js';
import { ApiClient, isConflict, isNotFound } from '../../client/api-client.js';
import { runControllerLoop } from '../../client/controller-loop.js';
import { Informer, objectKey } from '../../client/informer.js';
import { PODS } from '../../client/resources.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Env } from '../../env/env.js';
import type { Millis } from '../../env/clock.js';

export interface FakeKubeletOptions {
  /** Nodes to bind unscheduled pods to, round robin; empty leaves pods unbound. */
  readonly nodes?: readonly string[];
  /** From first sight to Running and Ready. */
  readonly startDelayMs?: Millis;
  /** From deletionTimestamp to removal (the kubelet's final delete). */
  readonly stopDelayMs?: Millis;
  /** Pods that never become Ready (a failing readiness probe). */
  readonly neverReady?: (pod: Pod) => boolean;
}

function readyStatus(pod: Pod, now: string): Pod['status'] {
  const conditions: PodCondition[] = ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({ type, status: 'True', lastTransitionTime: now }));
  return {
    ...pod.status,
    phase: 'Running',
    conditions,
    startTime: now,
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? '', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: now } } })),
  };
}

/** Runs until its process is killed. */
export async function runFakeKubelet(env: Env, client: ApiClient, options: FakeKubeletOptions = {}): Promise<void> {
  const pods = new Informer<Pod>(env, client, PODS);
  const queue = new WorkQueue<string>(env.timers, { maxMs: 2000 });
  const firstSeen = new Map<string, Millis>();
  let next = 0;
  pods.on({ add: (p) => queue.add(objectKey(p)), update: (_o, p) => queue.add(objectKey(p)), delete: (p) => firstSeen.delete(`${objectKey(p)}/${p.metadata?.uid ?? ''}`) });
  const since = (pod: Pod, phase: string): Millis => {
    const key = `${objectKey(pod)}/${pod.metadata?.uid ?? ''}/${phase}`;
    let t = firstSeen.get(key);
    if (t === undefined) firstSeen.set(key, (t = env.clock.now()));
    return t;
  };
  const sync = async (key: string) => {
    const pod = pods.get(key);
    if (!pod) return;
    const m = pod.metadata ?? {};
    const now = env.clock.now();
    try {
      if (m.deletionTimestamp) {
        const due = since(pod, 'stop') + (options.stopDelayMs ?? 0);
        if (now < due) return queue.addAfter(key, due - now);
        await client.delete(PODS, m.namespace, m.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: m.uid ?? '' } });
        return;
      }
      const nodes = options.nodes ?? [];
      if (nodes.length > 0 && !pod.spec?.nodeName) {
        await client.bind(m.namespace ?? '', m.name ?? '', nodes[next++ % nodes.length] ?? '');
        return;
      }
      if (pod.status?.phase === 'Running' || options.neverReady?.(pod)) return;
      const due = since(pod, 'start') + (options.startDelayMs ?? 0);
      if (now < due) return queue.addAfter(key, due - now);
      await client.update<Pod>(PODS, { ...pod, status: readyStatus(pod, metaTime(now)) } as Pod, 'status');
    } catch (e) {
      if (isNotFound(e)) return;
      if (isConflict(e)) return queue.add(key);
      throw e;
    }
  };
  pods.start();
  await pods.waitForSync();
  await runControllerLoop({ name: 'fake-kubelet', queue, sync }, 2);
}
