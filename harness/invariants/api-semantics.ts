// api-semantics: the API server's promises to clients, judged from what clients saw.
// - Along each watch stream resourceVersions never go back and no object version arrives
//   twice (one revision may carry several objects, so equal resourceVersions of different
//   objects are fine). Synthetic initial ADDED events (`initial`) are state, not changes,
//   and are exempt.
// - Against the store's log (when the history has it): every event is a real write of that
//   object at that revision, and a stream with a recorded `scope` misses no write to its
//   resource/namespace between where it started and its last event. For streams with label
//   or field selectors a write is demanded only when some observer's version of the object
//   (after the write, or before it) shows it inside the selection.
// - Stale updates are refused: an update based on resourceVersion B that succeeded with
//   resourceVersion R must not have had another write of the object in between; an
//   operation the harness made stale on purpose ('stale-update') must not succeed unless
//   the store's log shows its base was in fact still current.
// - Of duplicate creates (operations sharing a `group`), exactly one succeeds and the rest
//   get 409; unanswered ones (code 0 or 5xx) may have succeeded, so then the objects that
//   appear decide: at most one, and at least one when the audit log shows a create reached
//   the store (without an audit log nothing says one did: a refused connection sends nothing).

import type { AuditEntry, History, ObjectSummary, OperationRecord, WatchObservation, WatchScope } from '../history/history.js';
import { at, count, qualified } from './describe.js';
import { allVersions, parseStoreKey, parseTarget, writesByRevision, type Version } from './history-views.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';
import { inScope, selective } from './selection.js';

const NAME = 'api-semantics';

type Writes = Map<number, Map<string, 'put' | 'delete'>>;

function streamName(first: WatchObservation): string {
  const s = first.scope;
  const what = s ? `${s.resource}${s.namespace ? ` in ${s.namespace}` : ''}${s.labelSelector ? ` -l ${s.labelSelector}` : ''}${s.fieldSelector ? ` --field-selector ${s.fieldSelector}` : ''}` : undefined;
  return `watch stream ${first.stream} of ${first.observer}${what ? ` (${what})` : ''}`;
}

function objectLabel(o: ObjectSummary): string {
  return `${o.kind.toLowerCase()} ${qualified(o.namespace, o.name)}`;
}

function checkOrder(events: readonly WatchObservation[], name: string, violations: Violation[]): number {
  let checks = 0;
  let last: WatchObservation | undefined;
  const seen = new Map<string, WatchObservation>();
  for (const e of events) {
    if (e.initial) continue;
    const rv = e.object.resourceVersion;
    const key = `${e.object.uid}@${rv}`;
    const before = seen.get(key);
    checks++;
    if (before) {
      violations.push({
        invariant: NAME,
        message: `${name} delivered ${objectLabel(e.object)} at resourceVersion ${rv} twice (${before.type} at ${at(before.time)}, ${e.type} at ${at(e.time)})`,
        time: e.time,
        objects: [objectLabel(e.object), `resourceVersion ${rv}`],
      });
    } else if (last && rv < last.object.resourceVersion) {
      violations.push({
        invariant: NAME,
        message: `${name} went back from resourceVersion ${last.object.resourceVersion} (${objectLabel(last.object)}) to ${rv} (${objectLabel(e.object)}) at ${at(e.time)}`,
        time: e.time,
        objects: [objectLabel(e.object), `resourceVersion ${last.object.resourceVersion}`, `resourceVersion ${rv}`],
      });
    }
    seen.set(key, e);
    if (!last || rv >= last.object.resourceVersion) last = e;
  }
  return checks;
}

/** Events must be real writes; a scoped stream must miss none between its start and its last event. */
function checkAgainstStore(events: readonly WatchObservation[], name: string, writes: Writes, firstLogged: number, witnesses: Map<string, Version>, violations: Violation[]): number {
  let checks = 0;
  const scope: WatchScope | undefined = events.find((e) => e.scope)?.scope;
  const delivered = new Map<string, WatchObservation>();
  for (const e of events) {
    const o = e.object;
    const rv = o.resourceVersion;
    if (rv < firstLogged) continue;
    const keys = writes.get(rv);
    const match = [...(keys?.keys() ?? [])].find((k) => {
      const p = parseStoreKey(k);
      return p !== undefined && p.name === o.name && (p.namespace ?? '') === (o.namespace ?? '') && (!scope || p.resource === scope.resource);
    });
    checks++;
    if (!match) {
      violations.push({
        invariant: NAME,
        message: `${name} delivered ${e.type} ${objectLabel(o)} at resourceVersion ${rv} (${at(e.time)}), but the store's revision ${rv} did not write it`,
        time: e.time,
        objects: [objectLabel(o), `revision ${rv}`],
      });
      continue;
    }
    delivered.set(`${match}@${rv}`, e);
  }
  if (!scope) return checks;

  const changes = events.filter((e) => !e.initial);
  const kind = changes[0]?.object.kind;
  if (changes.length === 0 || kind === undefined) return checks;
  const hi = Math.max(...changes.map((e) => e.object.resourceVersion));
  const lo = scope.resourceVersion && scope.resourceVersion > 0 ? scope.resourceVersion + 1 : Math.min(...changes.map((e) => e.object.resourceVersion));
  const prefix = `/registry/${scope.resource}/${scope.namespace ? `${scope.namespace}/` : ''}`;
  const filtered = selective(scope);
  // The key's previous put: the object's state before a write (after a delete there is none).
  const previousPut = new Map<string, number | undefined>();
  const revisions = [...writes.keys()].filter((r) => r <= hi).sort((a, b) => a - b);
  const rvs = changes.map((e) => e.object.resourceVersion).sort((a, b) => a - b);
  for (const rev of revisions) {
    for (const [key, type] of writes.get(rev) ?? []) {
      const prev = previousPut.get(key);
      previousPut.set(key, type === 'put' ? rev : undefined);
      if (rev < lo || !key.startsWith(prefix)) continue;
      const parsed = parseStoreKey(key);
      if (!parsed || parsed.resource !== scope.resource) continue;
      let required = true;
      if (filtered) {
        const witness = (r: number | undefined) => (r === undefined ? undefined : witnesses.get(`${kind}|${parsed.namespace ?? ''}|${parsed.name}|${r}`));
        const after = witness(rev);
        const before = witness(prev);
        required = (after ? inScope(scope, after.object) === true : false) || (before ? inScope(scope, before.object) === true : false);
      }
      const got = delivered.get(`${key}@${rev}`);
      if (!required && !got) continue;
      checks++;
      if (!got) {
        const below = rvs.filter((r) => r < rev).pop();
        const above = rvs.find((r) => r > rev);
        violations.push({
          invariant: NAME,
          message: `${name} missed revision ${rev} (${type} ${key}), between the events at resourceVersions ${below ?? `(start ${lo - 1})`} and ${above ?? '(end)'}`,
          objects: [`${parsed.resource} ${qualified(parsed.namespace, parsed.name)}`, `revision ${rev}`],
        });
      } else if ((type === 'delete') !== (got.type === 'DELETED') && !(filtered && got.type === 'DELETED')) {
        violations.push({
          invariant: NAME,
          message: `${name} delivered revision ${rev} of ${objectLabel(got.object)} as ${got.type}, but the store ${type === 'delete' ? 'deleted' : 'wrote'} it`,
          time: got.time,
          objects: [objectLabel(got.object), `revision ${rev}`],
        });
      }
    }
  }
  return checks;
}

const success = (code: number) => code >= 200 && code < 300;
const unanswered = (code: number) => code === 0 || code >= 500;

function opLabel(op: OperationRecord): string {
  return `operation #${op.index} (${op.op} ${op.kind ? `${op.kind.toLowerCase()} ` : ''}${op.target})`;
}

/** The versions of the object an operation names (by namespace/name, and kind when known). */
function versionsOf(op: OperationRecord, versions: readonly Version[]): Version[] {
  const t = parseTarget(op.target);
  return versions.filter((v) => v.object.name === t.name && (v.object.namespace ?? '') === (t.namespace ?? '') && (op.kind === undefined || v.object.kind === op.kind));
}

function checkStaleUpdates(history: History, versions: readonly Version[], writes: Writes | undefined, violations: Violation[]): number {
  let checks = 0;
  for (const op of history.operations) {
    if (op.basedOn === undefined || !success(op.code)) continue;
    checks++;
    const base = op.basedOn;
    const committed = op.resourceVersion;
    const mine = versionsOf(op, versions);
    // The kind of the object at the base (a recreated object of that kind counts too).
    const kind = mine.find((v) => v.rv === base)?.object.kind;
    // Evidence of a write between the base and the commit, from any observer. Without the
    // commit's resourceVersion a later version may postdate the update itself: no evidence.
    let newer = committed === undefined ? undefined : mine.find((v) => (kind === undefined || v.object.kind === kind) && v.rv > base && v.rv < committed)?.rv;
    // ...or from the store's log, through the key written at the base revision.
    let stillCurrent = false;
    if (writes) {
      const t = parseTarget(op.target);
      const key = [...(writes.get(base)?.keys() ?? [])].find((k) => {
        const p = parseStoreKey(k);
        return p !== undefined && p.name === t.name && (p.namespace ?? '') === (t.namespace ?? '');
      });
      if (key && committed !== undefined) {
        const between = [...writes.entries()].filter(([r, keys]) => r > base && r < committed && keys.has(key)).map(([r]) => r);
        if (between.length > 0) newer = Math.min(newer ?? Infinity, ...between);
        else stillCurrent = writes.get(committed)?.has(key) ?? false;
      }
    }
    if (newer !== undefined) {
      violations.push({
        invariant: NAME,
        message: `${opLabel(op)} was based on resourceVersion ${base} but succeeded with ${op.code} at ${at(op.time)}${committed !== undefined ? ` (resourceVersion ${committed})` : ''}, although ${op.target} had already been written at resourceVersion ${newer}`,
        time: op.time,
        objects: [op.target, `resourceVersion ${base}`, `resourceVersion ${newer}`],
      });
    } else if (op.op === 'stale-update' && !stillCurrent) {
      violations.push({
        invariant: NAME,
        message: `${opLabel(op)}, made stale on purpose (based on resourceVersion ${base}), succeeded with ${op.code} at ${at(op.time)} instead of 409 Conflict`,
        time: op.time,
        objects: [op.target, `resourceVersion ${base}`],
      });
    }
  }
  return checks;
}

function checkDuplicateCreates(history: History, versions: readonly Version[], violations: Violation[]): number {
  let checks = 0;
  const groups = new Map<string, OperationRecord[]>();
  for (const op of history.operations) {
    if (op.group === undefined || (op.op !== 'create' && op.op !== 'duplicate-create')) continue;
    const list = groups.get(op.group) ?? [];
    list.push(op);
    groups.set(op.group, list);
  }
  for (const [group, ops] of groups) {
    checks++;
    const first = ops.reduce((a, b) => (b.time < a.time ? b : a));
    const target = first.target;
    const start = first.time;
    const t = parseTarget(target);
    // The group's effects are judged until the next operation on the same object.
    const end = Math.min(...history.operations.filter((o) => !ops.includes(o) && o.time > start && o.target === target).map((o) => o.time), Infinity);
    const codes = ops.map((o) => o.code);
    const ok = ops.filter((o) => success(o.code));
    const conflicts = ops.filter((o) => o.code === 409);
    const unknown = ops.filter((o) => unanswered(o.code));
    const mine = versionsOf(first, versions);
    const before = new Set(mine.filter((v) => v.time < start).map((v) => v.object.uid));
    const finals = (history.final?.objects ?? []).filter((o) => o.name === t.name && (o.namespace ?? '') === (t.namespace ?? '') && (first.kind === undefined || o.kind === first.kind));
    const created = new Set([...mine.filter((v) => v.time >= start && v.time < end).map((v) => v.object.uid), ...(end === Infinity ? finals.map((o) => o.uid) : [])]);
    for (const uid of before) created.delete(uid);
    const label = `duplicate creates ${group} of ${target} (${ops.map((o) => `#${o.index}→${o.code}`).join(', ')})`;
    const push = (why: string) => violations.push({ invariant: NAME, message: `${label}: ${why}`, time: start, objects: [target, ...ops.map((o) => `operation #${o.index}`)] });

    if (ok.length > 1) push(`${ok.length} succeeded, want exactly 1`);
    else if (created.size > 1) push(`${created.size} distinct objects appeared (uids ${[...created].join(', ')}), want 1`);
    else if (ok.length === 1) {
      const wrong = ops.filter((o) => o !== ok[0] && !unanswered(o.code) && o.code !== 409);
      if (wrong.length > 0) push(`the losers must get 409 AlreadyExists, got ${wrong.map((o) => o.code).join(', ')}`);
    } else if (unknown.length === 0) {
      if (conflicts.length > 0 && created.size === 0 && before.size === 0) push(`none succeeded and ${count(conflicts.length, 'create')} got 409, yet no such object existed before or after`);
    } else if (created.size === 0 && before.size === 0 && history.audit && auditShowsCreate(history.audit, t, start, end)) {
      push(`none was answered with success (codes ${codes.join(', ')}) and no object ${target} exists afterwards`);
    }
  }
  return checks;
}

function auditShowsCreate(audit: readonly AuditEntry[], t: { namespace?: string; name: string }, start: number, end: number): boolean {
  return audit.some((a) => a.verb === 'create' && !a.subresource && a.name === t.name && (a.namespace ?? '') === (t.namespace ?? '') && success(a.code) && a.time >= start && a.time < end);
}

export const apiSemantics: Invariant = {
  name: NAME,
  description:
    'resourceVersions increase along each watch; watches miss and repeat no event of the store; stale updates get 409; of duplicate creates exactly one succeeds',
  check(history) {
    if (history.watches.length === 0 && history.operations.length === 0) return notChecked('no watch events and no operations');
    const violations: Violation[] = [];
    let checks = 0;
    const streams = new Map<string, WatchObservation[]>();
    for (const w of history.watches) {
      const list = streams.get(w.stream) ?? [];
      list.push(w);
      streams.set(w.stream, list);
    }
    const versions = allVersions(history.watches);
    const writes = history.storeWrites ? writesByRevision(history.storeWrites) : undefined;
    const firstLogged = Math.min(...(history.storeWrites ?? []).map((w) => w.revision));
    const witnesses = new Map<string, Version>();
    for (const v of versions) witnesses.set(`${v.object.kind}|${v.object.namespace ?? ''}|${v.object.name}|${v.rv}`, v);
    for (const events of streams.values()) {
      const first = events[0];
      if (!first) continue;
      const name = streamName(first);
      checks += checkOrder(events, name, violations);
      if (writes) checks += checkAgainstStore(events, name, writes, firstLogged, witnesses, violations);
    }
    checks += checkStaleUpdates(history, versions, writes, violations);
    checks += checkDuplicateCreates(history, versions, violations);
    const r = result(violations, checks);
    return writes || !r.ok ? r : { ...r, notChecked: 'no store revisions: watch completeness and event reality not checked' };
  },
};
