// The kubelet: the agent of one node. It registers the Node and keeps it alive (status and
// Lease), watches only the pods bound to it, and runs one worker per pod that syncs the
// pod's containers in the node's runtime with the pod's spec and reports the pod's status.
// It serves its containers' logs at kubelet/<node>. Everything it knows it reads from the API
// (informers) and the runtime (labels on containers), so a restarted kubelet adopts what it
// finds and carries on; it keeps no private truth besides back-off timers.

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Env } from '../env/env.js';
import type { ApiClient } from '../client/api-client.js';
import { ApiEventRecorder } from '../client/event-recorder.js';
import { Informer } from '../client/informer.js';
import { NODES, PODS } from '../client/resources.js';
import { POD_IP_LABEL, POD_UID_LABEL, type ContainerRuntime } from '../runtime/runtime.js';
import { Backoff } from './backoff.js';
import { ImagePuller } from './image-puller.js';
import { resolveKubeletOptions, type KubeletOptions, type ResolvedKubeletOptions } from './kubelet-options.js';
import { ContainerLogServer } from './log-server.js';
import { NodeLeaseRenewer } from './node-lease.js';
import type { NodeDescription } from './node-object.js';
import { NodeStatusReporter } from './node-status-reporter.js';
import { PodIpAllocator } from './pod-ip-allocator.js';
import { isTerminalPhase, KUBELET_CONDITIONS } from './pod-status.js';
import { PodSyncer } from './pod-sync.js';
import { PodWorkers, type PodSyncResult } from './pod-workers.js';
import { Pleg } from './pleg.js';
import { StatusManager } from './status-manager.js';
import { stableJson } from './stable-json.js';

/**
 * Runs a kubelet for `options.nodeName` until its process ends. `client` must carry the
 * node's identity (system:node:<name>); `runtime` is the node's, which outlives the kubelet.
 */
export async function runKubelet(env: Env, client: ApiClient, runtime: ContainerRuntime, options: KubeletOptions): Promise<never> {
  await new Kubelet(env, client, runtime, resolveKubeletOptions(options)).start();
  return env.timers.sleep(Infinity) as Promise<never>;
}

export class Kubelet {
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  private readonly workers: PodWorkers;
  private readonly syncer: PodSyncer;
  private readonly ips = new PodIpAllocator();
  /** The last object of each pod the informer deleted, until its worker has cleaned up. */
  private readonly lastKnown = new Map<string, Pod>();
  private readonly pleg: Pleg;
  private readonly nodeStatus: NodeStatusReporter;
  private readonly lease: NodeLeaseRenewer;
  /** Set once the pod cache is synced and IPs are claimed: syncing before would misread the world. */
  private ready = false;
  private podCIDR: string | undefined;
  /** The Node's uid as registration returned it (the node informer may not have it yet). */
  private nodeUid: string | undefined;

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    private readonly runtime: ContainerRuntime,
    private readonly options: ResolvedKubeletOptions,
  ) {
    const name = options.nodeName;
    this.pods = new Informer<Pod>(env, client, PODS, { fieldSelector: `spec.nodeName=${name}`, resyncMs: options.syncFrequencyMs });
    this.nodes = new Informer<Node>(env, client, NODES, { fieldSelector: `metadata.name=${name}` });
    const recorder = new ApiEventRecorder(client, env.clock, { component: 'kubelet', host: name });
    const statuses = new StatusManager(client, options.mutants.forgetRestartCount ?? false);
    this.syncer = new PodSyncer({
      clock: env.clock,
      client,
      runtime,
      recorder,
      statuses,
      images: new ImagePuller(runtime, recorder, new Backoff(options.imagePullBackOff), env.clock),
      crashLoop: new Backoff(options.crashLoopBackOff),
      ips: this.ips,
      options,
      podCIDR: () => this.podCIDR,
      startedAt: env.clock.now(),
    });
    this.workers = new PodWorkers(env.clock, env.timers, (uid) => this.syncPod(uid), () => {});
    this.pleg = new Pleg(runtime, env.timers, options.relistPeriodMs, (uid) => this.podChanged(uid), () => {});
    const description: NodeDescription = {
      nodeName: name,
      capacity: options.capacity,
      allocatable: options.allocatable,
      labels: options.labels,
      taints: options.taints,
      hostIP: options.hostIP,
      kubeletPort: options.kubeletPort,
      runtimeName: runtime.name,
      runtimeVersion: runtime.version,
    };
    const ignore = () => {};
    this.nodeStatus = new NodeStatusReporter(env, client, description, options.nodeStatusUpdateFrequencyMs, options.nodeStatusReportFrequencyMs, () => this.nodes.get(name), recorder, ignore);
    this.lease = new NodeLeaseRenewer(env, client, name, options.nodeLeaseRenewIntervalMs, options.nodeLeaseDurationSeconds, () => this.nodes.get(name)?.metadata?.uid ?? this.nodeUid, ignore);
  }

  async start(): Promise<void> {
    const registered = await this.nodeStatus.register();
    this.podCIDR = registered.spec?.podCIDR;
    this.nodeUid = registered.metadata?.uid;
    this.nodes.on({
      add: (n) => this.nodeChanged(n),
      update: (_, n) => this.nodeChanged(n),
    });
    this.nodes.start();
    this.lease.start();
    this.nodeStatus.start();
    this.pods.on({
      add: (p) => this.podChanged(p.metadata?.uid),
      update: (old, p) => {
        if (old.metadata?.uid !== p.metadata?.uid) {
          // The name now belongs to another pod (seen through a relist): the old one is gone.
          const gone = old.metadata?.uid;
          if (gone) this.lastKnown.set(gone, old);
          this.podChanged(gone);
          this.podChanged(p.metadata?.uid);
        } else if (old === p || needsSync(old, p)) this.podChanged(p.metadata?.uid);
      },
      delete: (p) => {
        const uid = p.metadata?.uid;
        if (!uid) return;
        this.lastKnown.set(uid, p);
        this.podChanged(uid);
      },
    });
    this.pods.start();
    await this.pods.waitForSync();
    await this.claimPodIPs();
    this.ready = true;
    this.pleg.start();
    for (const pod of this.pods.list()) this.podChanged(pod.metadata?.uid);
    new ContainerLogServer(this.env, this.options.nodeName, this.pods, this.runtime).serve();
  }

  private podChanged(uid: string | undefined): void {
    if (uid && this.ready) this.workers.update(uid);
  }

  private nodeChanged(node: Node): void {
    const cidr = node.spec?.podCIDR;
    if (cidr === this.podCIDR) return;
    this.podCIDR = cidr;
    // Pods waiting for a pod network can start now.
    for (const pod of this.pods.list()) this.podChanged(pod.metadata?.uid);
  }

  /**
   * Marks the IPs pods already have as taken before any pod is synced, so a pod synced first
   * cannot be handed the address of one synced later (labels on containers, then the API).
   */
  private async claimPodIPs(): Promise<void> {
    for (const c of await this.runtime.listContainers()) {
      const uid = c.labels[POD_UID_LABEL];
      const ip = c.labels[POD_IP_LABEL];
      if (uid && ip && ip !== this.options.hostIP) this.ips.claim(uid, ip);
    }
    for (const pod of this.pods.list()) {
      const uid = pod.metadata?.uid;
      const ip = pod.status?.podIP;
      if (uid && ip && ip !== this.options.hostIP && !pod.spec?.hostNetwork && !isTerminalPhase(pod.status?.phase)) this.ips.claim(uid, ip);
    }
  }

  private podByUid(uid: string): Pod | undefined {
    return this.pods.list().find((p) => p.metadata?.uid === uid);
  }

  private async syncPod(uid: string): Promise<PodSyncResult> {
    const pod = this.podByUid(uid);
    const result = await this.syncer.sync(uid, pod, this.lastKnown.get(uid));
    if (result.finished) this.lastKnown.delete(uid);
    return result;
  }
}

/**
 * Whether an update may need action: a resync (the same object again), or a change of spec,
 * deletion or phase. Other status-only changes — mostly the kubelet's own reports coming
 * back — do not, as upstream's pod config ignores them; except a change of a condition the
 * kubelet owns, which someone else may have made (the node lifecycle controller marks pods
 * not Ready when their node stops reporting): the kubelet is the source of truth of pod
 * status, and upstream's status manager reconciles such a difference within 10 s, not at
 * the next full resync a minute later.
 */
function needsSync(old: Pod, pod: Pod): boolean {
  const owned = new Set<string>(KUBELET_CONDITIONS);
  const relevant = (p: Pod) =>
    stableJson([
      p.spec,
      p.metadata?.deletionTimestamp,
      p.metadata?.deletionGracePeriodSeconds,
      p.status?.phase,
      (p.status?.conditions ?? []).filter((c) => owned.has(c.type)).map((c) => [c.type, c.status]),
    ]);
  return relevant(old) !== relevant(pod);
}
