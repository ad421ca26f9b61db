// A small recorder for hand-made histories in the checkers' tests: each write gets the next
// store revision, one audit entry, and a watch event on every stream that watches it, as a
// faithful target would record them. Tests then break one fact to make a violation.

import type { AuditEntry, FaultRecord, FinalState, History, ObjectSummary, OperationRecord, RuntimeRecord, StoreWrite, WatchObservation, WatchScope } from '../history/history.js';
import { storeKey } from './history-views.js';
import { inScope } from './selection.js';

export type Fields = Omit<ObjectSummary, 'kind' | 'name' | 'uid' | 'resourceVersion' | 'namespace'> & { namespace?: string; uid?: string };

const PLURAL: Readonly<Record<string, string>> = { Pod: 'pods', ReplicaSet: 'replicasets', Deployment: 'deployments', Node: 'nodes' };

export function resourceOf(kind: string): string {
  return PLURAL[kind] ?? `${kind.toLowerCase()}s`;
}

interface Stream {
  readonly observer: string;
  readonly stream: string;
  readonly scope: WatchScope;
  readonly lag: number;
}

export class HistoryBuilder {
  revision = 1;
  time = 0;
  readonly storeWrites: StoreWrite[] = [];
  readonly audit: AuditEntry[] = [];
  readonly watches: WatchObservation[] = [];
  readonly operations: OperationRecord[] = [];
  readonly faults: FaultRecord[] = [];
  readonly runtime: RuntimeRecord[] = [];
  readonly current = new Map<string, ObjectSummary>();
  private readonly streams: Stream[] = [];
  private readonly incarnations = new Map<string, number>();

  /** Opens a watch stream; it receives every later write in scope, `lag` ms after the commit. */
  watch(observer: string, scope: WatchScope, lag = 1): this {
    this.streams.push({ observer, stream: `${observer}-${this.streams.length + 1}`, scope: { ...scope, resourceVersion: this.revision }, lag });
    return this;
  }

  at(time: number): this {
    this.time = time;
    return this;
  }

  /** Creates or updates an object (by kind and name); returns the stored version. */
  put(kind: string, name: string, fields: Fields = {}, user = 'system:test'): ObjectSummary {
    const namespace = kind === 'Node' ? undefined : (fields.namespace ?? 'default');
    const key = `${kind}/${namespace ?? ''}/${name}`;
    const before = this.current.get(key);
    const rv = ++this.revision;
    // A recreated object is a new incarnation with a new uid, as the API server makes it.
    const incarnation = before ? 0 : (this.incarnations.get(key) ?? 0) + 1;
    if (!before) this.incarnations.set(key, incarnation);
    const fresh = `uid-${kind.toLowerCase()}-${name}${incarnation > 1 ? `-${incarnation}` : ''}`;
    const object: ObjectSummary = { ...(before ?? {}), ...fields, kind, name, uid: fields.uid ?? before?.uid ?? fresh, resourceVersion: rv, ...(namespace ? { namespace } : {}) };
    this.current.set(key, object);
    this.record(object, before ? 'MODIFIED' : 'ADDED', 'put', user, before);
    return object;
  }

  delete(kind: string, name: string, namespace = 'default', user = 'system:test'): ObjectSummary {
    const key = `${kind}/${kind === 'Node' ? '' : namespace}/${name}`;
    const before = this.current.get(key);
    if (!before) throw new Error(`no ${key}`);
    this.current.delete(key);
    const object = { ...before, resourceVersion: ++this.revision };
    this.record(object, 'DELETED', 'delete', user, before);
    return object;
  }

  get(kind: string, name: string, namespace = 'default'): ObjectSummary {
    const o = this.current.get(`${kind}/${kind === 'Node' ? '' : namespace}/${name}`);
    if (!o) throw new Error(`no ${kind} ${name}`);
    return o;
  }

  private record(object: ObjectSummary, type: WatchObservation['type'], change: 'put' | 'delete', user: string, before?: ObjectSummary): void {
    const resource = resourceOf(object.kind);
    const rv = object.resourceVersion;
    this.storeWrites.push({ revision: rv, time: this.time, changes: [{ key: storeKey(resource, object.namespace, object.name), type: change }] });
    this.audit.push({
      auditID: `audit-${rv}`,
      time: this.time,
      user,
      verb: change === 'delete' ? 'delete' : type === 'ADDED' ? 'create' : 'update',
      resource,
      ...(object.namespace ? { namespace: object.namespace } : {}),
      name: object.name,
      code: type === 'ADDED' ? 201 : 200,
      revisions: [rv],
    });
    for (const s of this.streams) {
      if (s.scope.resource !== resource) continue;
      if (s.scope.namespace && s.scope.namespace !== object.namespace) continue;
      // As the API server filters: entering the selection is ADDED, leaving it DELETED.
      const was = before !== undefined && inScope(s.scope, before) === true;
      const is = change === 'put' && inScope(s.scope, object) === true;
      if (!was && !is) continue;
      const seen = is ? (was ? 'MODIFIED' : 'ADDED') : 'DELETED';
      this.watches.push({ observer: s.observer, stream: s.stream, scope: s.scope, time: this.time + s.lag, type: seen, object: is ? object : { ...(before ?? object), resourceVersion: rv } });
    }
  }

  build(extra: Partial<History> = {}): History {
    return {
      target: 'test',
      healedAt: 0,
      convergenceBoundMs: 60_000,
      storeWrites: this.storeWrites,
      audit: this.audit,
      watches: [...this.watches].sort((a, b) => a.time - b.time),
      runtime: this.runtime,
      operations: this.operations,
      faults: this.faults,
      ...extra,
    };
  }

  /** The final state: every live object, with the given containers and live nodes. */
  final(containers: FinalState['containers'], liveNodes: readonly string[]): FinalState {
    return { time: this.time, objects: [...this.current.values()], containers, liveNodes };
  }
}

/** A bare history with nothing recorded. */
export function emptyHistory(extra: Partial<History> = {}): History {
  return { target: 'test', healedAt: 0, convergenceBoundMs: 60_000, watches: [], operations: [], faults: [], ...extra };
}
