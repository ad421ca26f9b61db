// The spec driver for the local target: steps run as the real kubectl commands a user would
// type (create deployment, apply -f, scale, set image, delete, cordon, rollout status) against
// a `kubeprop up` cluster; kubectl-shaped conditions read kubectl's own output (get, describe,
// logs); faults are what happens to real processes, as a user would cause them (`kill -9` of
// a container's process://<pid> or `docker kill` of its docker://<id>, a kubelet killed or
// stopped, a component restarted). Objects for conditions come from the API; containers
// from the nodes' runtimes themselves (the process runtime's records and /proc, or the
// Docker Engine), never from the kubelets.

import { execa } from 'execa';
import type { FinalState, History, OperationRecord } from '../history/history.js';
import { sleep, type LocalCluster } from './local-cluster.js';
import { parseDescribeEvents, parseTable, type Kubectl } from './kubectl.js';
import { NamespaceReads } from './namespace-reads.js';
import type { Recording } from './recording.js';
import { StepFailure, type DescribedEvent, type OperationStep, type PrintedTable, type ResolvedFault, type RuntimeContainer, type SpecDriver } from './spec-driver.js';

/** Fault kinds the local target can inject, and what each does to the processes. */
export const LOCAL_FAULTS = ['container-kill', 'node-loss', 'node-restart', 'kubelet-restart', 'node-partition', 'controller-manager-restart', 'scheduler-restart'] as const;
type LocalFault = (typeof LOCAL_FAULTS)[number];

function isLocalFault(kind: string): kind is LocalFault {
  return (LOCAL_FAULTS as readonly string[]).includes(kind);
}

export class LocalDriver implements SpecDriver {
  readonly target = 'local';
  readonly runtime: string;
  readonly pollMs = 250;
  private readonly kubectl: Kubectl;
  private readonly reads: NamespaceReads;
  private operationIndex = 0;
  /** Heals not yet done: run at their time, or all at once by healAll(). */
  private readonly heals = new Set<{ readonly run: () => Promise<void>; timer?: NodeJS.Timeout }>();
  /** Nodes whose machine is gone (node-loss, node-restart in force). */
  private readonly lostMachines = new Set<string>();

  constructor(
    private readonly cluster: LocalCluster,
    readonly namespace: string,
    private readonly recording: Recording,
  ) {
    this.runtime = cluster.runtime.name;
    this.kubectl = cluster.kubectl.in(namespace);
    this.reads = new NamespaceReads(cluster.client, namespace);
  }

  now(): number {
    return Date.now();
  }

  sleep(ms: number): Promise<void> {
    return sleep(ms);
  }

  private record(op: string, target: string, kind: string | undefined, code: number, detail?: string): void {
    const r: OperationRecord = { index: this.operationIndex++, time: this.now(), op, target: `${this.namespace}/${target}`, code, ...(kind ? { kind } : {}), ...(detail ? { detail } : {}) };
    this.recording.operations.push(r);
  }

  /** Runs kubectl as the step's user; a non-zero exit is the step's failure, with kubectl's words. */
  private async kubectlStep(op: string, target: string, kind: string | undefined, args: readonly string[], input?: string, timeoutMs?: number): Promise<string> {
    const r = await this.kubectl.run(args, { ...(input !== undefined ? { input } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    this.record(op, target, kind, r.exitCode === 0 ? 200 : 0, r.exitCode === 0 ? undefined : r.stderr.trim());
    if (r.exitCode !== 0) throw new StepFailure(`kubectl ${args.join(' ')} exited ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
  }

  async perform(step: OperationStep): Promise<void> {
    switch (step.op) {
      case 'create-deployment':
        await this.kubectlStep('create', step.name, 'Deployment', [
          'create', 'deployment', step.name, `--image=${step.image}`, `--replicas=${step.replicas}`,
          ...(step.command ? ['--', ...step.command] : []),
        ]);
        return;
      case 'apply':
        await this.kubectlStep('apply', step.manifests.map((m) => String((m.metadata as { name?: string }).name)).join(','), undefined, ['apply', '-f', '-'], step.yaml);
        return;
      case 'scale':
        await this.kubectlStep('scale', step.deployment, 'Deployment', ['scale', `deployment/${step.deployment}`, `--replicas=${step.replicas}`]);
        return;
      case 'set-image':
        await this.kubectlStep('set-image', step.deployment, 'Deployment', ['set', 'image', `deployment/${step.deployment}`, `${step.container ?? '*'}=${step.image}`]);
        return;
      case 'delete':
        await this.kubectlStep('delete', step.name, step.kind, ['delete', step.kind.toLowerCase(), step.name, `--cascade=${step.cascade}`, '--timeout=60s'], undefined, 70_000);
        return;
      case 'cordon':
      case 'uncordon':
        await this.kubectlStep(step.op, step.node, 'Node', [step.op, step.node]);
        return;
      case 'rollout-status':
        await this.kubectlStep('rollout-status', step.deployment, 'Deployment', ['rollout', 'status', `deployment/${step.deployment}`, `--timeout=${Math.ceil(step.timeoutMs / 1000)}s`], undefined, step.timeoutMs + 10_000);
        return;
    }
  }

  canInject(kind: string): boolean {
    return isLocalFault(kind);
  }

  private fault(f: ResolvedFault, phase: 'inject' | 'heal', detail?: string): void {
    this.recording.faults.push({ time: this.now(), kind: f.kind, target: f.target, phase, ...(detail ? { detail } : {}) });
  }

  /** Schedules the heal after the fault's duration, or keeps it for healAll(). */
  private healLater(f: ResolvedFault, run: () => Promise<void>): void {
    const heal: { run: () => Promise<void>; timer?: NodeJS.Timeout } = {
      run: async () => {
        if (!this.heals.delete(heal)) return;
        clearTimeout(heal.timer);
        await run();
      },
    };
    this.heals.add(heal);
    if (f.durationMs !== undefined) heal.timer = setTimeout(() => void heal.run(), f.durationMs);
  }

  async inject(f: ResolvedFault): Promise<void> {
    if (!isLocalFault(f.kind)) throw new StepFailure(`the local target cannot inject ${f.kind}`);
    const s = this.cluster.supervisor;
    const node = f.target;
    const kubelet = `kubelet/${node}`;
    switch (f.kind) {
      case 'container-kill': {
        const command = await killAsUser(await this.victimId(f));
        this.fault(f, 'inject', `${command}${f.pod ? ` (${f.pod.name}/${f.pod.container})` : ''}`);
        return;
      }
      case 'node-loss':
      case 'node-restart': {
        if (!this.cluster.nodes.includes(node)) throw new StepFailure(`no node ${node}`);
        await s.kill(kubelet, 'SIGKILL');
        const containers = await this.cluster.runtime.machineDown(node, f.kind === 'node-loss' ? 'lost' : 'power-off');
        this.lostMachines.add(node);
        this.fault(f, 'inject', `kubelet killed, ${containers}`);
        this.healLater(f, async () => {
          this.lostMachines.delete(node);
          s.start(kubelet);
          this.fault(f, 'heal', 'kubelet started');
        });
        return;
      }
      case 'kubelet-restart':
      case 'controller-manager-restart':
      case 'scheduler-restart': {
        const component = f.kind === 'kubelet-restart' ? kubelet : f.kind.replace(/-restart$/, '');
        await s.kill(component, 'SIGKILL');
        this.fault(f, 'inject', `${component} killed`);
        this.healLater(f, async () => {
          s.start(component);
          this.fault(f, 'heal', `${component} started`);
        });
        return;
      }
      case 'node-partition': {
        // The kubelet is cut off (stopped), its containers run on: the node looks unreachable.
        const pid = s.pid(kubelet);
        if (pid === undefined) throw new StepFailure(`the kubelet of ${node} is not running`);
        process.kill(pid, 'SIGSTOP');
        this.fault(f, 'inject', `kubelet ${pid} stopped`);
        this.healLater(f, async () => {
          process.kill(pid, 'SIGCONT');
          this.fault(f, 'heal', `kubelet ${pid} continued`);
        });
        return;
      }
    }
  }

  /** The containerID a container-kill hits: the pod's, or the `pick`th running one on the node. */
  private async victimId(f: ResolvedFault): Promise<string> {
    if (f.pod?.containerID) return f.pod.containerID;
    const running = (await this.reads.pods())
      .filter((p) => p.spec?.nodeName === f.target)
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
      .flatMap((p) => (p.status?.containerStatuses ?? []).filter((c) => c.state?.running && c.containerID).map((c) => c.containerID!));
    if (running.length === 0) throw new StepFailure(`no running container on ${f.target}`);
    return running[Number(f.params.pick ?? 0) % running.length]!;
  }

  async healAll(): Promise<void> {
    for (const h of [...this.heals]) await h.run();
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
    const args = ['get', resource, ...(options.name ? [options.name] : []), ...(options.labelSelector ? ['-l', options.labelSelector] : []), ...(options.wide ? ['-o', 'wide'] : [])];
    const r = await this.kubectl.run(args);
    if (r.exitCode !== 0) {
      // A missing named object: kubectl prints an error and no table.
      if (/NotFound/.test(r.stderr)) return { headers: [], rows: [] };
      throw new Error(`kubectl ${args.join(' ')} exited ${r.exitCode}: ${r.stderr.trim()}`);
    }
    return parseTable(r.stdout);
  }

  async describePod(name: string): Promise<DescribedEvent[]> {
    const r = await this.kubectl.run(['describe', 'pod', name]);
    if (r.exitCode !== 0) throw new Error(`kubectl describe pod ${name} exited ${r.exitCode}: ${r.stderr.trim()}`);
    return parseDescribeEvents(r.stdout);
  }

  async logs(pod: string, container?: string): Promise<string> {
    const r = await this.kubectl.run(['logs', pod, ...(container ? ['-c', container] : [])]);
    if (r.exitCode !== 0) throw new Error(`kubectl logs ${pod} exited ${r.exitCode}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  async containers(): Promise<RuntimeContainer[]> {
    return (await this.cluster.runtime.containers(this.namespace, this.cluster.nodes)).map((c) => ({
      node: c.node,
      id: c.containerId,
      running: c.running,
      ...(c.container ? { container: c.container } : {}),
      ...(c.pod ? { pod: c.pod } : {}),
    }));
  }

  async finalState(): Promise<FinalState> {
    const objects = await this.reads.summaries();
    const containers = await this.cluster.runtime.containers(this.namespace, this.cluster.nodes);
    const liveNodes = this.cluster.nodes.filter((n) => !this.lostMachines.has(n));
    return { time: this.now(), objects, containers, liveNodes };
  }

  history(final: FinalState, healedAt: number, convergenceBoundMs: number): History {
    const r = this.recording;
    return {
      target: 'local',
      healedAt,
      convergenceBoundMs,
      watches: [...r.watches],
      operations: [...r.operations],
      faults: [...r.faults],
      final,
      convergedAt: final.time,
    };
  }
}

/**
 * Kills a container as a user at this machine would: `kill -9` of a process://PID, `docker
 * kill` (the docker CLI, SIGKILL through the engine) of a docker://ID. Resolves to the command.
 */
async function killAsUser(containerId: string): Promise<string> {
  const pid = /^process:\/\/(\d+)$/.exec(containerId);
  if (pid) {
    process.kill(Number(pid[1]), 'SIGKILL');
    return `kill -9 ${pid[1]}`;
  }
  const docker = /^docker:\/\/([0-9a-f]{12,64})$/.exec(containerId);
  if (docker) {
    const id = docker[1]!.slice(0, 12);
    const r = await execa('docker', ['kill', id], { reject: false, timeout: 20_000 });
    if (r.exitCode !== 0) throw new StepFailure(`docker kill ${id} exited ${r.exitCode}: ${r.stderr.trim()}`);
    return `docker kill ${id}`;
  }
  throw new StepFailure(`container ${containerId} is neither process:// nor docker://`);
}
