// The words checkers build their sentences from, so every violation names objects, times
// and revisions the same way ("pod default/web-7d9", "t=12.4s", "resourceVersion 88").

import type { ObjectSummary, TaintSummary, Time } from '../history/history.js';

/** "t=12.4s": target milliseconds as seconds, without trailing zeros. */
export function at(time: Time): string {
  if (!Number.isFinite(time)) return `t=${time}`;
  return `t=${seconds(time)}`;
}

/** "12.4s" */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** Kubernetes' kinds as kubectl prints them in `kind/name`: Pod → pod, ReplicaSet → replicaset. */
export function kindWord(kind: string): string {
  return kind.toLowerCase();
}

/** "default/web" or, for cluster-scoped objects, "node-1". */
export function qualified(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** "pod default/web-7d9" */
export function nameOf(o: Pick<ObjectSummary, 'kind' | 'namespace' | 'name'>): string {
  return `${kindWord(o.kind)} ${qualified(o.namespace, o.name)}`;
}

/** "1 pod", "3 pods" */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "dedicated=batch:NoSchedule", as kubectl describe node prints a taint. */
export function taintText(t: TaintSummary): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}
