// The controllers' test world: the reference API server in the sim kernel (specs/support's
// SimWorld), the controller-manager as a process under its own identity, optionally the
// fake kubelet, observers that record every watch event of a resource in order, and
// manifests of the workloads the tests drive.

import type { Deployment, DeploymentStrategy, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ApiObject, WatchEvent } from '../../client/api-client.js';
import type { ResourceRef } from '../../client/resources.js';
import type { Env } from '../../env/env.js';
import type { Millis } from '../../env/clock.js';
import type { SimNetworkOptions } from '../../sim/sim-links.js';
import { createSimWorld, IDENTITIES, type SimWorld } from '../../../specs/support/sim-world.js';
import { runControllerManager, type ControllerManager, type ControllerManagerOptions } from '../controller-manager.js';
import { runFakeKubelet, type FakeKubeletOptions } from './fake-kubelet.testing.js';

export interface ObservedEvent<T> extends WatchEvent<T> {
  /** Virtual time the observer received it (the store wrote it up to one network delay earlier). */
  readonly at: Millis;
}

export interface ControllersWorld extends SimWorld {
  /** Spawns the controller-manager process (again, after a kill: a restart). */
  startControllerManager(options?: ControllerManagerOptions): void;
  /** The running controller-manager, once spawned. */
  readonly manager: ControllerManager | undefined;
  startFakeKubelet(options?: FakeKubeletOptions): void;
  /** Records every event of the resource from now on (all namespaces), in resourceVersion order. */
  observe<T extends ApiObject>(resource: ResourceRef): ObservedEvent<T>[];
}

export interface ControllersWorldOptions {
  readonly seed: number;
  readonly network?: SimNetworkOptions;
  readonly defaultTolerationSeconds?: number;
}

export function controllersWorld(options: ControllersWorldOptions): ControllersWorld {
  const world = createSimWorld({ seed: options.seed, network: options.network ?? { minDelayMs: 1, maxDelayMs: 20 }, ...(options.defaultTolerationSeconds !== undefined ? { defaultTolerationSeconds: options.defaultTolerationSeconds } : {}) });
  let manager: ControllerManager | undefined;
  let observers = 0;
  return {
    ...world,
    get manager() {
      return manager;
    },
    startControllerManager(cmOptions: ControllerManagerOptions = {}) {
      world.spawn('controller-manager', IDENTITIES.controllerManager, async (env, client) => {
        manager = runControllerManager(env, client, cmOptions);
        await manager.stopped;
      });
    },
    startFakeKubelet(kubeletOptions: FakeKubeletOptions = {}) {
      world.spawn('fake-kubelet', IDENTITIES.admin, (env, client) => runFakeKubelet(env, client, kubeletOptions));
    },
    observe<T extends ApiObject>(resource: ResourceRef): ObservedEvent<T>[] {
      const events: ObservedEvent<T>[] = [];
      world.spawn(`observer-${observers++}-${resource.plural}`, IDENTITIES.admin, async (env, client) => {
        const list = await client.list<T>(resource);
        for (const object of list.items) events.push({ type: 'ADDED', object, at: env.clock.now() });
        const watch = await client.watch<T>(resource, undefined, { resourceVersion: list.resourceVersion });
        for await (const e of watch) if (e.type !== 'BOOKMARK') events.push({ ...e, at: env.clock.now() });
      });
      return events;
    },
  };
}

/** Polls `check` every `pollMs` of virtual time until it returns a value. */
export async function waitFor<T>(env: Env, what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: Millis = 60_000, pollMs: Millis = 100): Promise<T> {
  const deadline = env.clock.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (env.clock.now() >= deadline) throw new Error(`timed out after ${timeoutMs} virtual ms waiting for ${what}`);
    await env.timers.sleep(pollMs);
  }
}

export function replicaSetManifest(name: string, replicas: number, labels: Record<string, string> = { app: name }): ReplicaSet {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
  };
}

export interface DeploymentShape {
  readonly replicas?: number;
  readonly image?: string;
  readonly strategy?: DeploymentStrategy;
  readonly revisionHistoryLimit?: number;
  readonly progressDeadlineSeconds?: number;
  readonly minReadySeconds?: number;
  readonly namespace?: string;
}

export function deploymentManifest(name: string, shape: DeploymentShape = {}): Deployment {
  const labels = { app: name };
  return {
    metadata: { name, namespace: shape.namespace ?? 'default' },
    spec: {
      replicas: shape.replicas ?? 3,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: shape.image ?? 'busybox:1' }] } },
      ...(shape.strategy ? { strategy: shape.strategy } : {}),
      ...(shape.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: shape.revisionHistoryLimit } : {}),
      ...(shape.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: shape.progressDeadlineSeconds } : {}),
      ...(shape.minReadySeconds !== undefined ? { minReadySeconds: shape.minReadySeconds } : {}),
    },
  };
}

/** The kubectl rollout status rule (notes/kubectl-wire.md): is the rollout done? */
export function rolloutComplete(d: Deployment): boolean {
  const s = d.status ?? {};
  const replicas = d.spec?.replicas ?? 1;
  const timedOut = (s.conditions ?? []).some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  return (
    (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0) &&
    (s.updatedReplicas ?? 0) >= replicas &&
    (s.replicas ?? 0) === (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0) &&
    !timedOut
  );
}

/** Sorts observed events by resourceVersion (one watch is already in order; merged ones are not). */
export function byResourceVersion<T extends ApiObject>(...streams: readonly ObservedEvent<T>[][]): ObservedEvent<T>[] {
  return streams.flat().sort((a, b) => Number(a.object.metadata?.resourceVersion ?? 0) - Number(b.object.metadata?.resourceVersion ?? 0));
}

