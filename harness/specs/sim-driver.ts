// The spec driver for the sim target: a harness process inside the sim kernel that does what
// kubectl would do (the same requests: kubectl-objects.ts), injects faults with the chaos
// kinds' sim injectors, and answers conditions from the API (kubectl's tables from the API
// server's Table output, describe's events from the events API) and from the nodes' sim
// runtimes. Everything happens in virtual time.

import { faultKindByName } from '../../chaos/index.js';
import type { Fault } from '../campaign/scenario.js';
import { ADMIN_USER, type SimCluster } from '../../impl/cluster/sim/sim-cluster.js';
import { ApiStatusError, isNotFound, type ApiClient, type ApiObject } from '../../impl/client/api-client.js';
import { DEPLOYMENTS, EVENTS, NODES, PODS, REPLICASETS, resourcePath, type ResourceRef } from '../../impl/client/resources.js';
import { NetworkTransport } from '../../impl/client/transport.js';
import type { Env } from '../../impl/env/env.js';
import type { Event } from 'kubernetes-types/core/v1.js';
import { compareEvents } from '../../impl/api/event-time.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../../impl/runtime/runtime.js';
import type { FinalContainer, FinalState, History, OperationRecord } from '../history/history.js';
import { rolloutComplete } from './conditions.js';
import { createDeploymentObject, setImagePatch, withLastApplied } from './kubectl-objects.js';
import { OperationExecutor } from '../targets/operation-executor.js';
import { NamespaceReads } from './namespace-reads.js';
import type { Recording } from './recording.js';
import { StepFailure, type DescribedEvent, type OperationStep, type PrintedTable, type ResolvedFault, type RuntimeContainer, type SpecDriver } from './spec-driver.js';

const BY_KIND: Readonly<Record<string, ResourceRef>> = { Deployment: DEPLOYMENTS, ReplicaSet: REPLICASETS, Pod: PODS };
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
/** kubectl delete waits for the object to be gone; this long at most. */
const DELETE_WAIT_MS = 60_000;
/** A fault "until the spec ends" is scheduled to heal this far away; healAll() heals it instead. */
const UNTIL_END_MS = 2 ** 40;

/** What kubectl prints for an API error. */
function kubectlError(e: unknown): StepFailure {
  if (e instanceof ApiStatusError) return new StepFailure(`Error from server (${e.reason || e.code}): ${e.message}`);
  return new StepFailure(e instanceof Error ? e.message : String(e));
}

interface TableBody {
  columnDefinitions: { name: string; priority: number }[];
  rows: { cells: (string | number | boolean | null)[] }[];
}

export class SimDriver implements SpecDriver {
  readonly target = 'sim';
  readonly pollMs = 100;
  private readonly reads: NamespaceReads;
  private readonly transport: NetworkTransport;
  private operationIndex = 0;
  /** Heals of faults that last until the spec ends, run by healAll(). */
  private readonly pendingHeals: (() => void | Promise<void>)[] = [];
  /** Carries out the requests some faults are (duplicate-create, stale-update), recorded like the steps. */
  private readonly faultOperations: OperationExecutor;
  /** Set when the spec is over: scheduled fault actions after it do nothing. */
  private over = false;

  constructor(
    private readonly env: Env,
    private readonly cluster: SimCluster,
    private readonly client: ApiClient,
    readonly namespace: string,
    private readonly recording: Recording,
  ) {
    this.reads = new NamespaceReads(client, namespace);
    this.transport = new NetworkTransport(env.network, cluster.tokenOf(ADMIN_USER));
    this.faultOperations = new OperationExecutor(client, () => this.now(), (r) => recording.operations.push(r));
  }

  now(): number {
    return this.env.clock.now();
  }

  sleep(ms: number): Promise<void> {
    return this.env.timers.sleep(ms);
  }

  /** Ends the spec: later fault actions (heals, delayed injections) are dropped. */
  finish(): void {
    this.over = true;
  }

  private record(op: string, target: string, kind: string | undefined, code: number, detail?: string): void {
    const r: OperationRecord = { index: this.operationIndex++, time: this.now(), op, target, code, ...(kind ? { kind } : {}), ...(detail ? { detail } : {}) };
    this.recording.operations.push(r);
  }

  /** Runs one API call as an operation of the history; API errors become what kubectl prints. */
  private async call<T>(op: string, target: string, kind: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      const out = await fn();
      this.record(op, `${this.namespace}/${target}`, kind, 200);
      return out;
    } catch (e) {
      this.record(op, `${this.namespace}/${target}`, kind, e instanceof ApiStatusError ? e.code : 0, e instanceof Error ? e.message : String(e));
      throw kubectlError(e);
    }
  }

  async perform(step: OperationStep): Promise<void> {
    const c = this.client;
    const ns = this.namespace;
    switch (step.op) {
      case 'create-deployment': {
        const d = createDeploymentObject(ns, step.name, step.image, step.replicas, step.command);
        await this.call('create', step.name, 'Deployment', () => c.create(DEPLOYMENTS, ns, d as ApiObject));
        return;
      }
      case 'apply':
        for (const m of step.manifests) {
          const r = BY_KIND[String(m.kind)]!;
          const name = String((m.metadata as { name: string }).name);
          const desired = withLastApplied(m, ns);
          await this.call('apply', name, r.kind, async () => {
            try {
              await c.get(r, ns, name);
            } catch (e) {
              if (isNotFound(e)) return c.create(r, ns, desired as ApiObject);
              throw e;
            }
            // kubectl's three-way patch reduces to the manifest when nothing was removed from it.
            const { apiVersion: _v, kind: _k, ...patch } = desired;
            return c.patch(r, ns, name, 'strategic', patch);
          });
        }
        return;
      case 'scale':
        await this.call('scale', step.deployment, 'Deployment', () => c.patch(DEPLOYMENTS, ns, step.deployment, 'merge', { spec: { replicas: step.replicas } }, { subresource: 'scale' }));
        return;
      case 'set-image': {
        const d = await this.call('get', step.deployment, 'Deployment', () => c.get<ApiObject & { spec?: { template?: { spec?: { containers?: { name: string }[] } } } }>(DEPLOYMENTS, ns, step.deployment));
        const names = (d.spec?.template?.spec?.containers ?? []).map((x) => x.name);
        if (step.container !== undefined && !names.includes(step.container)) throw new StepFailure(`error: unable to find container named "${step.container}"`);
        const patch = setImagePatch(step.container !== undefined ? [step.container] : names, step.image);
        await this.call('set-image', step.deployment, 'Deployment', () => c.patch(DEPLOYMENTS, ns, step.deployment, 'strategic', patch));
        return;
      }
      case 'delete': {
        const r = BY_KIND[step.kind]!;
        const policy = step.cascade === 'foreground' ? 'Foreground' : step.cascade === 'orphan' ? 'Orphan' : 'Background';
        await this.call('delete', step.name, step.kind, () => c.delete(r, ns, step.name, { propagationPolicy: policy }));
        // kubectl delete waits until the object is gone (finalizers, foreground dependents).
        const deadline = this.now() + DELETE_WAIT_MS;
        for (;;) {
          try {
            await c.get(r, ns, step.name);
          } catch (e) {
            if (isNotFound(e)) return;
            throw kubectlError(e);
          }
          if (this.now() >= deadline) throw new StepFailure(`error: timed out waiting for the deletion of ${step.kind.toLowerCase()} ${step.name}`);
          await this.sleep(this.pollMs);
        }
      }
      case 'cordon':
      case 'uncordon':
        await this.call(step.op, step.node, 'Node', () => c.patch(NODES, undefined, step.node, 'merge', { spec: { unschedulable: step.op === 'cordon' } }));
        return;
      case 'rollout-status': {
        const deadline = this.now() + step.timeoutMs;
        for (;;) {
          let why: string;
          try {
            const d = await c.get<ApiObject & Parameters<typeof rolloutComplete>[0]>(DEPLOYMENTS, ns, step.deployment);
            const r = rolloutComplete(d);
            if (r.done) return;
            why = r.why;
          } catch (e) {
            throw kubectlError(e);
          }
          if (this.now() >= deadline) throw new StepFailure(`error: timed out waiting for the condition (${why})`);
          await this.sleep(this.pollMs);
        }
      }
    }
  }

  canInject(kind: string): boolean {
    return faultKindByName(kind)?.injectSim !== undefined;
  }

  async inject(f: ResolvedFault): Promise<void> {
    const kind = faultKindByName(f.kind);
    if (!kind?.injectSim) throw new StepFailure(`the sim target cannot inject ${f.kind}`);
    let params = f.params;
    if (f.pod) {
      // Container faults pick their victim by index among the node's running containers.
      const runtime = this.cluster.runtimeOf(f.pod.node);
      if (!runtime) throw new StepFailure(`node ${f.pod.node} is down`);
      const running = (await runtime).listContainers().filter((c) => c.state === 'running');
      const pick = running.findIndex((c) => c.labels[POD_UID_LABEL] === f.pod!.uid && c.labels[CONTAINER_NAME_LABEL] === f.pod!.container);
      if (pick < 0) throw new StepFailure(`container ${f.pod.container} of pod ${f.pod.name} does not run on ${f.pod.node}`);
      params = { ...params, pick };
    }
    const injectedAt = this.now();
    const fault: Fault = { at: 0, kind: f.kind, target: f.target, durationMs: f.durationMs ?? UNTIL_END_MS, params };
    const injected = new Promise<void>((resolve) => {
      kind.injectSim!(
        {
          cluster: this.cluster,
          after: (ms, fn) => {
            if (ms >= UNTIL_END_MS) {
              this.pendingHeals.push(fn);
              return;
            }
            this.cluster.kernel.at(injectedAt + ms, () => {
              if (this.over) return;
              void Promise.resolve(fn()).finally(() => {
                if (ms === 0) resolve();
              });
            });
          },
          record: (phase, detail) => this.recording.faults.push({ time: this.now(), kind: f.kind, target: f.target, phase, ...(detail ? { detail } : {}) }),
          operation: (op) => this.faultOperations.execute(this.operationIndex++, op),
        },
        fault,
      );
    });
    // Let the injection happen before the next step looks.
    await Promise.race([injected, this.sleep(1_000)]);
  }

  async healAll(): Promise<void> {
    const heals = this.pendingHeals.splice(0);
    for (const h of heals) await h();
  }

  pods() {
    return this.reads.pods();
  }
  deployments() {
    return this.reads.deployments();
  }
  replicaSets() {
    return this.reads.replicaSets();
  }
  nodes() {
    return this.reads.nodes();
  }

  async table(resource: string, options: { name?: string; labelSelector?: string; wide: boolean }): Promise<PrintedTable> {
    const ref = { pods: PODS, deployments: DEPLOYMENTS, replicasets: REPLICASETS, nodes: NODES }[resource];
    if (!ref) throw new Error(`cannot print ${resource}`);
    const res = await this.transport.send({
      method: 'GET',
      path: resourcePath(ref, ref.namespaced ? this.namespace : undefined, options.name),
      query: options.labelSelector ? { labelSelector: options.labelSelector } : {},
      headers: { accept: TABLE_ACCEPT, 'user-agent': 'kubectl/sim' },
    });
    if (res.status >= 400) {
      // kubectl get NAME of a missing object prints an error and no table.
      if (res.status === 404) return { headers: [], rows: [] };
      throw new Error(`GET ${resource}: HTTP ${res.status}: ${res.body ?? ''}`);
    }
    const body = JSON.parse(res.body ?? '{}') as TableBody;
    const shown = body.columnDefinitions.map((c, i) => ({ c, i })).filter(({ c }) => options.wide || c.priority === 0);
    return {
      headers: shown.map(({ c }) => c.name.toUpperCase()),
      rows: body.rows.map((r) => shown.map(({ i }) => String(r.cells[i] ?? ''))),
    };
  }

  async describePod(name: string): Promise<DescribedEvent[]> {
    const events = (await this.client.list<ApiObject & Event>(EVENTS, this.namespace)).items.filter((e) => e.involvedObject?.name === name && (e.involvedObject.kind ?? 'Pod') === 'Pod');
    events.sort(compareEvents);
    return events.map((e) => ({ type: e.type ?? '', reason: e.reason ?? '', from: e.source?.component ?? e.reportingComponent ?? '', message: e.message ?? '' }));
  }

  async logs(pod: string, container?: string): Promise<string> {
    return this.client.logs(this.namespace, pod, container);
  }

  async containers(): Promise<RuntimeContainer[]> {
    const out: RuntimeContainer[] = [];
    for (const node of this.cluster.nodeNames()) {
      const runtime = this.cluster.runtimeOf(node);
      if (!runtime) continue;
      for (const c of (await runtime).listContainers()) {
        const l = c.labels;
        if (l[POD_NAMESPACE_LABEL] !== this.namespace) continue;
        out.push({
          node,
          id: c.id,
          running: c.state === 'running',
          ...(l[CONTAINER_NAME_LABEL] ? { container: l[CONTAINER_NAME_LABEL] } : {}),
          ...(l[POD_UID_LABEL] ? { pod: { namespace: this.namespace, name: l[POD_NAME_LABEL] ?? '', uid: l[POD_UID_LABEL] } } : {}),
        });
      }
    }
    return out;
  }

  async finalState(): Promise<FinalState> {
    const objects = await this.reads.summaries();
    const containers: FinalContainer[] = [];
    const liveNodes: string[] = [];
    for (const node of this.cluster.nodeNames()) {
      const runtime = this.cluster.runtimeOf(node);
      if (!runtime) continue;
      liveNodes.push(node);
      for (const c of (await runtime).listContainers()) {
        const l = c.labels;
        containers.push({
          node,
          containerId: c.id,
          running: c.state === 'running',
          ...(l[CONTAINER_NAME_LABEL] ? { container: l[CONTAINER_NAME_LABEL] } : {}),
          ...(l[POD_UID_LABEL] ? { pod: { namespace: l[POD_NAMESPACE_LABEL] ?? '', name: l[POD_NAME_LABEL] ?? '', uid: l[POD_UID_LABEL] } } : {}),
        });
      }
    }
    return { time: this.now(), objects, containers, liveNodes };
  }

  history(final: FinalState, healedAt: number, convergenceBoundMs: number): History {
    const r = this.recording;
    return {
      target: 'sim',
      seed: r.seed,
      healedAt,
      convergenceBoundMs,
      storeWrites: [...r.storeWrites],
      audit: [...r.audit],
      watches: [...r.watches],
      runtime: [...r.runtime],
      operations: [...r.operations],
      faults: [...r.faults],
      final,
      convergedAt: final.time,
    };
  }
}

