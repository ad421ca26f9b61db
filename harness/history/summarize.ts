// Turns API objects into the ObjectSummary fields invariants read: phase, node, restart
// counts and requests for pods; replicas, status and rollout bounds for workloads;
// allocatable, readiness and taints for nodes. Pure: it reads JSON, nothing else.

import { Quantity } from '../../impl/api/quantity.js';
import type { ObjectSummary, TaintSummary, TolerationSummary } from './history.js';
import { effectivePodRequests } from './pod-requests.js';

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

function taintSummary(t: Json): TaintSummary {
  const added = typeof t.timeAdded === 'string' ? Date.parse(t.timeAdded) : NaN;
  return {
    key: String(t.key ?? ''),
    ...(typeof t.value === 'string' ? { value: t.value } : {}),
    effect: String(t.effect ?? ''),
    ...(Number.isNaN(added) ? {} : { timeAdded: added }),
  };
}

function tolerationSummary(t: Json): TolerationSummary {
  const out: { -readonly [K in keyof TolerationSummary]: TolerationSummary[K] } = {};
  for (const k of ['key', 'operator', 'value', 'effect'] as const) if (typeof t[k] === 'string') out[k] = t[k];
  if (typeof t.tolerationSeconds === 'number') out.tolerationSeconds = t.tolerationSeconds;
  return out;
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
    ...(m.deletionTimestamp && typeof m.deletionGracePeriodSeconds === 'number' ? { deletionGracePeriodSeconds: m.deletionGracePeriodSeconds } : {}),
    ...(m.labels ? { labels: m.labels as Record<string, string> } : {}),
    ...(Array.isArray(m.ownerReferences) ? { ownerUids: arr(m.ownerReferences).map((r) => String(r.uid)) } : {}),
    ...(arr(m.ownerReferences).some((r) => r.blockOwnerDeletion === true)
      ? { blockingOwnerUids: arr(m.ownerReferences).filter((r) => r.blockOwnerDeletion === true).map((r) => String(r.uid)) }
      : {}),
    ...(Array.isArray(m.finalizers) && m.finalizers.length > 0 ? { finalizers: (m.finalizers as unknown[]).map(String) } : {}),
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
    const tolerations = arr(spec.tolerations).map(tolerationSummary);
    return {
      ...base,
      ...(typeof status.phase === 'string' ? { phase: status.phase } : {}),
      ...(typeof spec.nodeName === 'string' && spec.nodeName ? { nodeName: spec.nodeName } : {}),
      restartCounts,
      containerStates,
      ready: cond('Ready'),
      ...(scheduled ? { scheduledCondition: scheduled.status === 'True' } : {}),
      requests: effectivePodRequests(spec),
      ...(tolerations.length > 0 ? { tolerations } : {}),
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
      ...(kind === 'Deployment' ? { strategy: typeof strategyType === 'string' ? strategyType : 'RollingUpdate' } : {}),
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
      ...(typeof spec.podCIDR === 'string' && spec.podCIDR ? { podCIDR: spec.podCIDR } : {}),
      ...(arr(spec.taints).length > 0 ? { taints: arr(spec.taints).map(taintSummary) } : {}),
    };
  }
  return base;
}
