// Operation sequences refer only to objects they created (and nodes the cluster has), keep
// names unique, stay within the horizon in time order, ask for no more than the cluster can
// hold when they are meant to fit, carry manifests the reference API server accepts, and use
// every kind of operation.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertProperty, checkProperty } from '../../specs/support/property.js';
import type { ClusterShape, Manifest, Operation, TimedOperation } from '../campaign/scenario.js';
import { clusterShapeArbitrary } from './nodes.js';
import { FIT_FRACTION, operationsArbitrary } from './operations.js';
import { startReferenceApi, type ReferenceApi } from './reference-api.testing.js';
import { MI, requestsOf } from './resources.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { labelSelectorAsSelector, selectorMatches } from '../../impl/api/labels.js';

const FILE = 'harness/generators/operations.test.ts';
const HORIZON = 60_000;

const sequences = (capacity?: 'fit' | 'overcommit') =>
  clusterShapeArbitrary().chain((cluster) => operationsArbitrary(cluster, { horizonMs: HORIZON, maxOperations: 12, ...(capacity ? { capacity } : {}) }).map((ops) => ({ cluster, ops })));

interface Meta {
  name?: string;
  generateName?: string;
  namespace?: string;
}

function metaOf(m: Manifest): Meta {
  return (m.metadata ?? {}) as Meta;
}

function keyOf(kind: string, target: string): string {
  return `${kind} ${target}`;
}

function manifestKey(m: Manifest): string | undefined {
  const meta = metaOf(m);
  return meta.name === undefined ? undefined : keyOf(String(m.kind), `${meta.namespace ?? 'default'}/${meta.name}`);
}

/** Why the sequence refers to something it did not create, or undefined. */
function strayReference(cluster: ClusterShape, ops: readonly TimedOperation[]): string | undefined {
  const created = new Set<string>();
  const nodes = new Set(cluster.nodes.map((n) => n.name));
  for (const [i, { operation: o }] of ops.entries()) {
    const wants = (kind: string, target: string) => (created.has(keyOf(kind, target)) ? undefined : `#${i} ${o.op} refers to ${kind} ${target}, which no earlier operation created`);
    switch (o.op) {
      case 'create':
      case 'apply':
      case 'duplicate-create': {
        const k = manifestKey(o.manifest);
        if (k) created.add(k);
        break;
      }
      case 'scale':
      case 'set-image':
      case 'stale-update': {
        const why = wants('Deployment', o.target);
        if (why) return why;
        break;
      }
      case 'delete': {
        const why = wants(o.kind, o.target);
        if (why) return why;
        break;
      }
      case 'cordon':
      case 'uncordon':
        if (!nodes.has(o.node)) return `#${i} ${o.op} names node ${o.node}, which the cluster does not have`;
    }
  }
  return undefined;
}

interface PodTemplateLike {
  spec?: { replicas?: number; template?: { spec?: { containers?: Container[] } }; containers?: Container[] };
}

/** Cpu, memory and pod slots one pod of the manifest requests, read from the manifest itself. */
function perPod(m: Manifest): { cpuMilli: number; memoryBytes: number } {
  const spec = (m as PodTemplateLike).spec;
  const containers = (m.kind === 'Pod' ? spec?.containers : spec?.template?.spec?.containers) ?? [];
  return containers.map((c) => requestsOf(c.resources)).reduce((a, b) => ({ cpuMilli: a.cpuMilli + b.cpuMilli, memoryBytes: a.memoryBytes + b.memoryBytes }), { cpuMilli: 0, memoryBytes: 0 });
}

/** The largest share of the cluster the sequence's live objects ask for at any step, recomputed from the operations. */
function peakShare(cluster: ClusterShape, ops: readonly TimedOperation[]): number {
  const cap = cluster.nodes.filter((n) => !n.spare).reduce((a, n) => ({ cpu: a.cpu + n.cpuMilli, mem: a.mem + n.memoryMi * MI, pods: a.pods + n.pods }), { cpu: 0, mem: 0, pods: 0 });
  const live = new Map<string, { manifest: Manifest; replicas: number }>();
  const counted = new Map<string, { manifest: Manifest; replicas: number }>();
  let anonymous = 0;
  let peak = 0;
  const replicasOf = (m: Manifest) => (m.kind === 'Pod' ? 1 : ((m as PodTemplateLike).spec?.replicas ?? 1));
  const put = (m: Manifest) => {
    const k = manifestKey(m) ?? `anonymous ${anonymous++}`;
    live.set(k, { manifest: m, replicas: replicasOf(m) });
    counted.set(k, live.get(k)!);
  };
  for (const { operation: o } of ops) {
    if (o.op === 'create' || o.op === 'apply' || o.op === 'duplicate-create') put(o.manifest);
    else if (o.op === 'scale') {
      const e = live.get(keyOf('Deployment', o.target));
      if (e) e.replicas = o.replicas;
    } else if (o.op === 'delete') {
      const k = keyOf(o.kind, o.target);
      live.delete(k);
      // Orphans keep running: their pods still count.
      if (o.propagation !== 'Orphan' || o.kind === 'Pod') counted.delete(k);
    }
    let cpu = 0;
    let mem = 0;
    let pods = 0;
    for (const { manifest, replicas } of counted.values()) {
      const p = perPod(manifest);
      cpu += p.cpuMilli * replicas;
      mem += p.memoryBytes * replicas;
      pods += replicas;
    }
    peak = Math.max(peak, cpu / cap.cpu, mem / cap.mem, pods / cap.pods);
  }
  return peak;
}

function manifestsOf(ops: readonly TimedOperation[]): Manifest[] {
  return ops.flatMap(({ operation: o }: { operation: Operation }) => (o.op === 'create' || o.op === 'apply' || o.op === 'duplicate-create' ? [o.manifest] : []));
}

describe('generated operation sequences', () => {
  let api: ReferenceApi;
  beforeAll(async () => {
    api = await startReferenceApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('refer only to objects they created and nodes the cluster has', () => {
    checkProperty(FILE, 'references', fc.property(sequences(), ({ cluster, ops }) => strayReference(cluster, ops) === undefined), 300);
  });

  it('come in time order within the horizon', () => {
    checkProperty(
      FILE,
      'timing',
      fc.property(sequences(), ({ ops }) => ops.every((o, i) => o.at >= 0 && o.at <= HORIZON && (i === 0 || o.at >= ops[i - 1]!.at))),
      300,
    );
  });

  it('never create two objects with one name, nor two workloads with one app label', () => {
    checkProperty(
      FILE,
      'unique',
      fc.property(sequences(), ({ ops }) => {
        const names = new Map<string, string>();
        for (const o of ops) {
          if (o.operation.op !== 'create' && o.operation.op !== 'duplicate-create' && o.operation.op !== 'apply') continue;
          const m = o.operation.manifest;
          const meta = metaOf(m);
          const app = ((m.metadata as { labels?: Record<string, string> }).labels ?? {}).app ?? '';
          const who = `${String(m.kind)}/${meta.name ?? `generated from ${meta.generateName ?? ''}`}`;
          // The same object may come back (apply, re-create); another object may not take its app.
          const owner = names.get(app);
          if (owner !== undefined && owner !== who) return false;
          names.set(app, who);
        }
        return true;
      }),
      300,
    );
  });

  it('never let a workload\'s selector take another object\'s pods', () => {
    checkProperty(
      FILE,
      'selectors apart',
      fc.property(sequences(), ({ ops }) => {
        const objects = manifestsOf(ops).map((m) => {
          const spec = (m as { spec?: { selector?: LabelSelector; template?: { metadata?: { labels?: Record<string, string> } } } }).spec;
          const labels = m.kind === 'Pod' ? ((m.metadata as { labels?: Record<string, string> }).labels ?? {}) : (spec?.template?.metadata?.labels ?? {});
          return { who: `${String(m.kind)}/${metaOf(m).name ?? metaOf(m).generateName ?? ''}`, labels, selector: spec?.selector };
        });
        return objects.every((a) => !a.selector || objects.every((b) => b.who === a.who || !selectorMatches(labelSelectorAsSelector(a.selector!), b.labels)));
      }),
      300,
    );
  });

  it('fit within the share of the cluster they are meant to', () => {
    checkProperty(FILE, 'fit', fc.property(sequences('fit'), ({ cluster, ops }) => peakShare(cluster, ops) <= FIT_FRACTION + 1e-9), 300);
    // ...and without the budget they sometimes exceed the whole cluster.
    const over = fc.sample(sequences('overcommit'), { numRuns: 300, seed: 11 }).filter(({ cluster, ops }) => peakShare(cluster, ops) > 1).length;
    expect(over).toBeGreaterThan(0);
  });

  it('carry manifests the reference API server accepts', async () => {
    await assertProperty(
      fc.asyncProperty(sequences(), async ({ ops }) => {
        for (const m of manifestsOf(ops)) {
          const a = await api.create(m);
          if (a.status !== 201) throw new Error(`${String(m.kind)} ${metaOf(m).name ?? ''} refused with ${a.status}: ${String(a.body.message)}`);
        }
      }),
      { file: FILE, numRuns: 200 },
    );
  });

  it('use every kind of operation and propagation policy', () => {
    const seen = new Set<string>();
    for (const { ops } of fc.sample(sequences(), { numRuns: 400, seed: 1 })) {
      for (const { operation: o } of ops) {
        seen.add(o.op);
        if (o.op === 'delete') seen.add(`delete ${o.kind} ${o.propagation ?? 'default'}`);
        if (o.op === 'create' && metaOf(o.manifest).generateName !== undefined) seen.add('create with generateName');
        if (o.op === 'create' || o.op === 'apply' || o.op === 'duplicate-create') seen.add(`${o.op} ${String(o.manifest.kind)}`);
      }
    }
    const wanted = [
      'create', 'apply', 'duplicate-create', 'scale', 'set-image', 'delete', 'stale-update', 'cordon', 'uncordon', 'create with generateName',
      'create Deployment', 'create ReplicaSet', 'create Pod', 'apply Deployment', 'duplicate-create Pod',
      'delete Deployment Foreground', 'delete Deployment Background', 'delete Deployment Orphan', 'delete Deployment default', 'delete Pod default', 'delete ReplicaSet Orphan',
    ];
    expect(wanted.filter((w) => !seen.has(w))).toEqual([]);
  });
});
