// The Docker runtime's latencies, in one run on one engine: how long a bare `docker run` of
// busybox takes (and the Engine API's create + start alone, which is what a kubelet calls),
// against a pod of the same image and command created through kubeprop (`kubeprop up
// --fast --runtime docker`, one node) until the engine has started its container and until
// the API shows it Running; then `docker kill` of each pod's container until the engine has
// started the new one and the API shows the pod Running with RESTARTS 1. Samples run one at
// a time; each pod is killed once (a second kill would wait out the crash-loop back-off).

import Docker from 'dockerode';
import { execa } from 'execa';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { NAMESPACES, PODS } from '../impl/client/resources.js';
import type { ApiObject } from '../impl/client/api-client.js';
import { dockerClusterOf } from '../impl/cluster/live/supervisor.js';
import { DockerRuntime } from '../impl/runtime/docker/index.js';
import { POD_NAME_LABEL } from '../impl/runtime/runtime.js';
import { LocalCluster } from '../harness/specs/local-cluster.js';
import { ensureImages } from '../specs/support/docker.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';

/** Measured samples of each kind; one more of each first, unmeasured (JIT, the engine's caches). */
const SAMPLES = 20;
const IMAGE = 'busybox';
const COMMAND = ['sleep', '3600'];
/** Bare containers carry this label, so they are removed however the run ends. */
const BARE_LABEL = 'kubeprop.bench';
const NAMESPACE = 'bench';
const WAIT_MS = 60_000;

interface Series {
  readonly name: string;
  readonly samplesMs: number[];
}

interface Stats {
  readonly samples: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** Nearest-rank percentiles. */
function stats(samplesMs: readonly number[]): Stats {
  const s = [...samplesMs].sort((a, b) => a - b);
  const rank = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  return { samples: s.length, medianMs: rank(0.5), p95Ms: rank(0.95), minMs: s[0] ?? NaN, maxMs: s[s.length - 1] ?? NaN };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once `ready()` holds (checked at every notification and every 5 ms), or fails after WAIT_MS. */
async function until(what: string, ready: () => number | undefined): Promise<number> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const at = ready();
    if (at !== undefined) return at;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** `docker run -d` with the docker CLI, as a user types it: wall time until it returns (the container has started). */
async function bareDockerRun(series: Series, warm: boolean): Promise<void> {
  const t0 = Date.now();
  await execa('docker', ['run', '-d', '--network', 'none', '--init', '--label', `${BARE_LABEL}=1`, IMAGE, ...COMMAND]);
  if (!warm) series.samplesMs.push(Date.now() - t0);
}

/** The Engine API's create + start of the same container (dockerode), without the CLI's own start-up. */
async function engineCreateStart(docker: Docker, series: Series, warm: boolean): Promise<void> {
  const t0 = Date.now();
  const c = await docker.createContainer({ Image: IMAGE, Cmd: COMMAND, Labels: { [BARE_LABEL]: '1' }, HostConfig: { NetworkMode: 'none', Init: true } });
  await c.start();
  if (!warm) series.samplesMs.push(Date.now() - t0);
}

async function removeBare(docker: Docker): Promise<void> {
  for (const c of await docker.listContainers({ all: true, filters: { label: [BARE_LABEL] } })) await docker.getContainer(c.Id).remove({ force: true });
}

/** Start and die times of the cluster's containers from the engine's event stream, by pod name. */
class EngineTimes {
  readonly started = new Map<string, number[]>();
  readonly died = new Map<string, number[]>();
  private abort = new AbortController();

  async open(docker: Docker, cluster: string): Promise<void> {
    const stream = await docker.getEvents({ filters: { type: ['container'], event: ['start', 'die'], label: [`kubeprop.cluster=${cluster}`] }, abortSignal: this.abort.signal });
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl).trim();
        partial = partial.slice(nl + 1);
        if (!line) continue;
        const e = JSON.parse(line) as { Action?: string; timeNano?: number; Actor?: { Attributes?: Record<string, string> } };
        const pod = e.Actor?.Attributes?.[POD_NAME_LABEL];
        if (!pod || e.timeNano === undefined) continue;
        const into = e.Action === 'start' ? this.started : e.Action === 'die' ? this.died : undefined;
        if (!into) continue;
        into.set(pod, [...(into.get(pod) ?? []), Math.round(e.timeNano / 1e6)]);
      }
    });
    stream.on('error', () => {});
  }

  close(): void {
    this.abort.abort();
  }
}

/** When the API first showed each pod Running (with its restart count), from one watch. */
class PodTimes {
  /** pod name → restartCount → first time seen Running with its container running. */
  readonly running = new Map<string, Map<number, number>>();
  private stop: (() => void) | undefined;

  async open(cluster: LocalCluster): Promise<void> {
    const list = await cluster.client.list<ApiObject & Pod>(PODS, NAMESPACE);
    const watch = await cluster.client.watch<ApiObject & Pod>(PODS, NAMESPACE, { resourceVersion: list.resourceVersion });
    this.stop = () => watch.close();
    void (async () => {
      for await (const e of watch) {
        const p = e.object;
        const cs = p.status?.containerStatuses?.[0];
        if (e.type === 'DELETED' || p.status?.phase !== 'Running' || !cs?.state?.running) continue;
        const name = p.metadata?.name ?? '';
        const byCount = this.running.get(name) ?? new Map<number, number>();
        if (!byCount.has(cs.restartCount)) byCount.set(cs.restartCount, Date.now());
        this.running.set(name, byCount);
      }
    })().catch(() => undefined);
  }

  close(): void {
    this.stop?.();
  }
}

function podManifest(name: string): ApiObject & Pod {
  return {
    metadata: { name, namespace: NAMESPACE, labels: { app: 'bench' } },
    spec: { restartPolicy: 'Always', containers: [{ name: 'main', image: IMAGE, command: COMMAND, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  };
}

async function kubepropSeries(docker: Docker, out: { toStarted: Series; toRunning: Series; killToStarted: Series; killToRunning: Series }): Promise<void> {
  const cluster = await LocalCluster.start({ nodes: 1, runtime: 'docker' });
  const engine = new EngineTimes();
  const pods = new PodTimes();
  try {
    await engine.open(docker, dockerClusterOf(cluster.dataDir));
    await cluster.client.create(NAMESPACES, undefined, { metadata: { name: NAMESPACE } });
    await pods.open(cluster);
    const names = Array.from({ length: SAMPLES + 1 }, (_, i) => `bench-${i}`);
    for (const [i, name] of names.entries()) {
      const t0 = Date.now();
      await cluster.client.create(PODS, NAMESPACE, podManifest(name));
      const running = await until(`${name} Running`, () => pods.running.get(name)?.get(0));
      const started = await until(`${name}'s container start event`, () => engine.started.get(name)?.[0]);
      if (i === 0) continue;
      out.toStarted.samplesMs.push(started - t0);
      out.toRunning.samplesMs.push(running - t0);
    }
    for (const [i, name] of names.entries()) {
      const pod = await cluster.client.get<ApiObject & Pod>(PODS, NAMESPACE, name);
      const id = pod.status?.containerStatuses?.[0]?.containerID?.replace(/^docker:\/\//, '').slice(0, 12);
      if (!id) throw new Error(`${name} has no containerID`);
      await execa('docker', ['kill', id]);
      const died = await until(`${name}'s container die event`, () => engine.died.get(name)?.[0]);
      const restarted = await until(`${name}'s new container start event`, () => engine.started.get(name)?.[1]);
      const running = await until(`${name} Running with RESTARTS 1`, () => pods.running.get(name)?.get(1));
      if (i === 0) continue;
      out.killToStarted.samplesMs.push(restarted - died);
      out.killToRunning.samplesMs.push(running - died);
    }
  } finally {
    pods.close();
    engine.close();
    await cluster.stop();
  }
}

export const dockerBenchmark: Benchmark = {
  name: 'docker',
  description: `pod create → Running through kubeprop up --runtime docker vs a bare docker run of ${IMAGE}, and docker kill → Running again (${SAMPLES} samples each)`,
  async run(): Promise<BenchmarkResult> {
    const docker = new Docker();
    if (!(await DockerRuntime.reachable(docker))) {
      return {
        table: { columns: ['what'], rows: [] },
        data: { skipped: 'no Docker Engine' },
        notes: ['skipped: the Docker Engine is not reachable (apt-get install docker.io; dockerd --bridge=none --iptables=false --ip-masq=false; bash scripts/build-images.sh)'],
      };
    }
    await ensureImages([IMAGE]);
    const version = (await docker.version()).Version;
    const bareRun: Series = { name: `docker run -d ${IMAGE} (CLI)`, samplesMs: [] };
    const bareApi: Series = { name: 'Engine API create + start', samplesMs: [] };
    const toStarted: Series = { name: 'kubeprop: create → container started', samplesMs: [] };
    const toRunning: Series = { name: 'kubeprop: create → pod Running', samplesMs: [] };
    const killToStarted: Series = { name: 'kubeprop: docker kill → restarted', samplesMs: [] };
    const killToRunning: Series = { name: 'kubeprop: docker kill → Running, RESTARTS 1', samplesMs: [] };
    try {
      for (let i = 0; i <= SAMPLES; i++) await bareDockerRun(bareRun, i === 0);
      for (let i = 0; i <= SAMPLES; i++) await engineCreateStart(docker, bareApi, i === 0);
    } finally {
      await removeBare(docker);
    }
    await kubepropSeries(docker, { toStarted, toRunning, killToStarted, killToRunning });
    const series = [bareRun, bareApi, toStarted, toRunning, killToStarted, killToRunning];
    const measured = series.map((s) => ({ name: s.name, ...stats(s.samplesMs), samplesMs: s.samplesMs }));
    return {
      table: {
        columns: ['latency', 'samples', 'median ms', 'p95 ms', 'min ms', 'max ms'],
        rows: measured.map((m) => [m.name, String(m.samples), m.medianMs, m.p95Ms, m.minMs, m.maxMs]),
      },
      data: { engine: version, image: IMAGE, command: COMMAND, samples: SAMPLES, series: measured },
      notes: [
        `Docker Engine ${version}; every container ${IMAGE} ${COMMAND.join(' ')}, network mode none, under the engine's init; samples one at a time`,
        'bare: wall time of `docker run -d` (it returns once the container has started), and of the Engine API create + start calls a kubelet makes',
        'kubeprop (`kubeprop up --fast --runtime docker`, 1 node): from the POST of a Pod to the engine\'s start event of its container, and until a watch shows the pod Running',
        'docker kill: from the engine\'s die event of the killed container to the start event of the new one (the kubelet sees the die event, restarts at once), and until the watch shows Running with restartCount 1',
      ],
    };
  },
};
