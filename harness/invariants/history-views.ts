// Derived views of a history that several checkers share: the versions of each object as
// the union of all observers saw them, the time of a revision, fault windows, store keys and
// the pod predicates upstream's controllers use (active, available, terminal). Pure functions.

import type { FaultRecord, History, ObjectSummary, StoreWrite, Time, WatchObservation } from '../history/history.js';
import { selective } from './selection.js';

/** One version of one object: its state after the write at `rv` (or its deletion at `rv`). */
export interface Version {
  readonly rv: number;
  /** The earliest time any observer saw this version. */
  readonly time: Time;
  readonly deleted: boolean;
  readonly object: ObjectSummary;
}

/**
 * Every version any observer saw, each once, in resourceVersion order. Observers lag one
 * another, so their arrival times do not order writes; resourceVersions (store revisions) do.
 * A DELETED event on a stream with label or field selectors may mean the object left the
 * selection (the API server then sends its last selected state at the new revision), so it
 * says nothing certain about the object's state and is left out; a version any observer saw
 * as ADDED or MODIFIED is the object's true state at that revision.
 */
export function allVersions(watches: readonly WatchObservation[]): Version[] {
  const byKey = new Map<string, Version>();
  for (const w of watches) {
    const deleted = w.type === 'DELETED';
    if (deleted && w.scope && selective(w.scope)) continue;
    const rv = w.object.resourceVersion;
    const key = `${w.object.uid}@${rv}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { rv, time: w.time, deleted, object: w.object });
      continue;
    }
    const time = Math.min(w.time, seen.time);
    const keep = seen.deleted && !deleted ? { deleted, object: w.object } : { deleted: seen.deleted, object: seen.object };
    byKey.set(key, { rv, time, ...keep });
  }
  return [...byKey.values()].sort((a, b) => a.rv - b.rv || a.object.uid.localeCompare(b.object.uid));
}

/** The versions of each object (by uid), in resourceVersion order. */
export function versionsByUid(watches: readonly WatchObservation[], kind?: string): Map<string, Version[]> {
  const out = new Map<string, Version[]>();
  for (const v of allVersions(watches)) {
    if (kind !== undefined && v.object.kind !== kind) continue;
    const list = out.get(v.object.uid);
    if (list) list.push(v);
    else out.set(v.object.uid, [v]);
  }
  return out;
}

/**
 * When a revision was written: the store's own time when the history has it (the commit),
 * else the earliest time an observer saw it (an upper bound of the commit).
 */
export function revisionTimes(history: History): (rv: number) => Time | undefined {
  const times = new Map<number, Time>();
  for (const v of allVersions(history.watches)) {
    const t = times.get(v.rv);
    if (t === undefined || v.time < t) times.set(v.rv, v.time);
  }
  for (const w of history.storeWrites ?? []) times.set(w.revision, w.time);
  return (rv) => times.get(rv);
}

/** A fault's active window: from its injection to its heal (open-ended if it never healed). */
export interface FaultWindow {
  readonly kind: string;
  readonly target: string;
  readonly start: Time;
  readonly end: Time;
}

/** Pairs each injection with the first later heal of the same kind and target. */
export function faultWindows(faults: readonly FaultRecord[]): FaultWindow[] {
  const sorted = [...faults].sort((a, b) => a.time - b.time);
  const used = new Set<FaultRecord>();
  const windows: FaultWindow[] = [];
  for (const f of sorted) {
    if (f.phase !== 'inject') continue;
    const heal = sorted.find((h) => h.phase === 'heal' && !used.has(h) && h.kind === f.kind && h.target === f.target && h.time >= f.time);
    if (heal) used.add(heal);
    windows.push({ kind: f.kind, target: f.target, start: f.time, end: heal ? heal.time : Infinity });
  }
  return windows;
}

export function activeFault(windows: readonly FaultWindow[], time: Time): FaultWindow | undefined {
  return windows.find((w) => w.start <= time && time <= w.end);
}

/** A store key /registry/<resource>/<namespace>/<name> (or /registry/<resource>/<name>). */
export interface StoreKey {
  readonly resource: string;
  readonly namespace?: string;
  readonly name: string;
}

export function parseStoreKey(key: string): StoreKey | undefined {
  const parts = key.split('/');
  // ['', 'registry', resource, namespace?, name]
  if (parts[0] !== '' || parts[1] !== 'registry') return undefined;
  if (parts.length === 4 && parts[2] && parts[3]) return { resource: parts[2], name: parts[3] };
  if (parts.length === 5 && parts[2] && parts[3] && parts[4]) return { resource: parts[2], namespace: parts[3], name: parts[4] };
  return undefined;
}

export function storeKey(resource: string, namespace: string | undefined, name: string): string {
  return namespace ? `/registry/${resource}/${namespace}/${name}` : `/registry/${resource}/${name}`;
}

/** revision → key → put|delete, from the store's log. */
export function writesByRevision(writes: readonly StoreWrite[]): Map<number, Map<string, 'put' | 'delete'>> {
  const out = new Map<number, Map<string, 'put' | 'delete'>>();
  for (const w of writes) {
    const keys = out.get(w.revision) ?? new Map<string, 'put' | 'delete'>();
    for (const c of w.changes) keys.set(c.key, c.type);
    out.set(w.revision, keys);
  }
  return out;
}

/** An operation's target, "default/web" or "node-1" (a leading "kind " is tolerated). */
export function parseTarget(target: string): { namespace?: string; name: string } {
  const last = target.trim().split(/\s+/).pop() ?? '';
  const slash = last.indexOf('/');
  return slash < 0 ? { name: last } : { namespace: last.slice(0, slash), name: last.slice(slash + 1) };
}

export function isTerminal(pod: ObjectSummary): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

/** Upstream's FilterActivePods: neither terminal nor being deleted. */
export function isActive(pod: ObjectSummary): boolean {
  return !isTerminal(pod) && !pod.deleting;
}

/**
 * Available as controllers count it: active, Running and Ready. minReadySeconds is not in
 * the summaries; the checkers that use this treat it as 0 (see their comments).
 */
export function isAvailable(pod: ObjectSummary): boolean {
  return isActive(pod) && pod.phase === 'Running' && pod.ready === true;
}

export function ownedBy(o: ObjectSummary, owner: ObjectSummary): boolean {
  return o.ownerUids?.includes(owner.uid) ?? false;
}
