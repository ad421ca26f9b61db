// Replays a history one store revision at a time, as the cluster's state at each revision:
// the union of every observer's versions (history-views' allVersions) grouped by
// resourceVersion, so objects a transaction changed change together and lagging observers
// never mix states that did not coexist. Checkers that judge moments ("when this pod was
// created, what else existed?") walk it and read the state before and after each revision.

import type { History, ObjectSummary, Time } from '../history/history.js';
import { allVersions, revisionTimes, type Version } from './history-views.js';

/** The cluster's objects at one revision, by uid, with what the replay learnt about their past. */
export class ReplayState {
  /** Live objects by uid. */
  readonly objects = new Map<string, ObjectSummary>();
  /** When each object (by uid) was first seen: its creation, unless the observers missed it. */
  readonly created = new Map<string, { readonly rv: number; readonly time: Time; readonly first: ObjectSummary }>();

  get(uid: string): ObjectSummary | undefined {
    return this.objects.get(uid);
  }

  ofKind(kind: string): ObjectSummary[] {
    return [...this.objects.values()].filter((o) => o.kind === kind);
  }

  /** Live objects whose ownerReferences name `owner`. */
  dependentsOf(owner: string): ObjectSummary[] {
    return [...this.objects.values()].filter((o) => o.ownerUids?.includes(owner) ?? false);
  }

  node(name: string): ObjectSummary | undefined {
    return [...this.objects.values()].find((o) => o.kind === 'Node' && o.name === name);
  }
}

/** What one revision changed: each version written, with the object's state just before it. */
export interface RevisionStep {
  readonly rv: number;
  /** The commit time (store log), else when an observer first saw it. */
  readonly time: Time;
  readonly changes: readonly { readonly version: Version; readonly before: ObjectSummary | undefined }[];
}

/**
 * Calls `visit` for every revision in order, after applying it to `state` (so `state` is the
 * cluster at that revision and each change's `before` the object's previous state).
 * Returns false when no observer saw any object.
 */
export function replayRevisions(history: History, visit: (step: RevisionStep, state: ReplayState) => void): boolean {
  const versions = allVersions(history.watches);
  if (versions.length === 0) return false;
  const timeOf = revisionTimes(history);
  const byRevision = new Map<number, Version[]>();
  for (const v of versions) byRevision.set(v.rv, [...(byRevision.get(v.rv) ?? []), v]);
  const state = new ReplayState();
  for (const [rv, group] of byRevision) {
    const time = timeOf(rv) ?? Math.min(...group.map((v) => v.time));
    const changes = group.map((version) => {
      const o = version.object;
      const before = state.objects.get(o.uid);
      if (!state.created.has(o.uid)) state.created.set(o.uid, { rv, time, first: o });
      if (version.deleted) state.objects.delete(o.uid);
      else state.objects.set(o.uid, o);
      return { version, before };
    });
    visit({ rv, time, changes }, state);
  }
  return true;
}
