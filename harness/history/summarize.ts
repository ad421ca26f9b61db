// Turns API objects into the ObjectSummary fields invariants read: phase, node, restart
// counts and requests for pods; replicas, status and rollout bounds for workloads;
// allocatable and readiness for nodes. Pure: it reads JSON, nothing else.

import { Quantity } from '../../impl/api/quantity.js';
import type { ObjectSummary } from './history.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

function milli(q: unknown): number {
  try {
    return q === undefined ? 0 : Number(Quantity.fromJSON(q).milliValue());
  } catch {
    return 0;
  }
}

function bytes(q: unknown): number {
  try {
    return q === undefined ? 0 : Number(Quantity.fromJSON(q).value());
  } catch {
    return 0;
  }
}

/** Resolves an IntOrString rollout parameter against replicas (surge rounds up, unavailable down). */
export function scaledValue(v: unknown, replicas: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) {
    const x = (Number(v.slice(0, -1)) * replicas) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  return 0;
}

/** A digest of a pod template ignoring the pod-template-hash label (upstream's EqualIgnoreHash). */
export function templateDigest(template: Json): string {
  const meta = obj(template.metadata);
  const labels = { ...obj(meta.labels) };
  delete labels['pod-template-hash'];
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Json)[k])])) : v;
  const text = JSON.stringify(canonical({ ...template, metadata: { ...meta, labels } }));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export function summarize(kind: string, o: Json): ObjectSummary {
  const m = obj(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const base = {
    kind,
    ...(typeof m.namespace === 'string' ? { namespace: m.namespace } : {}),
    name: String(m.name ?? ''),
    uid: String(m.uid ?? ''),
    resourceVersion: Number(m.resourceVersion ?? 0),
    ...(typeof m.generation === 'number' ? { generation: m.generation } : {}),
    ...(m.deletionTimestamp ? { deleting: true } : {}),
    ...(m.labels ? { labels: m.labels as Record<string, string> } : {}),
    ...(Array.isArray(m.ownerReferences) ? { ownerUids: arr(m.ownerReferences).map((r) => String(r.uid)) } : {}),
  };
  if (kind === 'Pod') {
    const containers = arr(spec.containers);
    const statuses = arr(status.containerStatuses);
    const restartCounts: Record<string, number> = {};
    const containerStates: Record<string, string> = {};
    for (const s of statuses) {
      restartCounts[String(s.name)] = Number(s.restartCount ?? 0);
      const st = obj(s.state);
      containerStates[String(s.name)] = st.running ? 'running' : st.terminated ? 'terminated' : st.waiting ? `waiting:${String(obj(st.waiting).reason ?? '')}` : 'unknown';
    }
    const conditions = arr(status.conditions);
    const cond = (t: string) => conditions.find((c) => c.type === t)?.status === 'True';
    const scheduled = conditions.find((c) => c.type === 'PodScheduled');
    let cpu = 0;
    let mem = 0;
    for (const c of containers) {
      const req = obj(obj(c.resources).requests);
      cpu += milli(req.cpu);
      mem += bytes(req.memory);
    }
    for (const c of arr(spec.initContainers)) {
      const req = obj(obj(c.resources).requests);
      cpu = Math.max(cpu, milli(req.cpu));
      mem = Math.max(mem, bytes(req.memory));
    }
    return {
      ...base,
      ...(typeof status.phase === 'string' ? { phase: status.phase } : {}),
      ...(typeof spec.nodeName === 'string' && spec.nodeName ? { nodeName: spec.nodeName } : {}),
      restartCounts,
      containerStates,
      ready: cond('Ready'),
      ...(scheduled ? { scheduledCondition: scheduled.status === 'True' } : {}),
      requests: { cpuMilli: cpu, memoryBytes: mem },
      ...(containers[0] ? { image: String(containers[0].image ?? '') } : {}),
      ...(base.labels?.['pod-template-hash'] ? { podTemplateHash: base.labels['pod-template-hash'] } : {}),
    };
  }
  if (kind === 'Deployment' || kind === 'ReplicaSet') {
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const ru = obj(obj(spec.strategy).rollingUpdate);
    const numbers: Record<string, number> = {};
    for (const [k, v] of Object.entries(status)) if (typeof v === 'number') numbers[k] = v;
    const template = obj(spec.template);
    const image = arr(obj(template.spec).containers)[0]?.image;
    const strategyType = obj(spec.strategy).type;
    const revision = Number(obj(m.annotations)['deployment.kubernetes.io/revision']);
    return {
      ...base,
      templateDigest: templateDigest(template),
      ...(kind === 'ReplicaSet' && Number.isFinite(revision) && revision > 0 ? { revision } : {}),
      replicas,
      status: numbers,
      ...(typeof image === 'string' ? { image } : {}),
      ...(base.labels?.['pod-template-hash'] ? { podTemplateHash: base.labels['pod-template-hash'] } : {}),
      ...(kind === 'Deployment' && strategyType !== 'Recreate'
        ? { maxSurge: scaledValue(ru.maxSurge ?? '25%', replicas, true), maxUnavailable: scaledValue(ru.maxUnavailable ?? '25%', replicas, false) }
        : {}),
    };
  }
  if (kind === 'Node') {
    const alloc = obj(status.allocatable);
    const ready = arr(status.conditions).find((c) => c.type === 'Ready');
    return {
      ...base,
      allocatable: { cpuMilli: milli(alloc.cpu), memoryBytes: bytes(alloc.memory) },
      nodeReady: String(ready?.status ?? 'Unknown'),
      ...(spec.unschedulable === true ? { unschedulable: true } : {}),
    };
  }
  return base;
}
