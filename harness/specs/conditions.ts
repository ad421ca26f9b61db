// Judges one condition of a scenario spec against what a target shows now: it asks the
// driver for the subject (pods, a Deployment, kubectl's table, a pod's events...), checks
// every assertion, and says in a sentence what it saw when something does not hold. The
// same code judges every target; only the driver's answers differ.

import type { Assertions, Condition, ConditionMatch, PodSelector } from './scenario-spec.js';
import { describeSelector } from './scenario-spec.js';
import type { Deployment, Pod, ReplicaSet, SpecDriver } from './spec-driver.js';
import { compare, describeComparison, describeTextMatch, readPath, textMatches } from './spec-values.js';

export interface Verdict {
  readonly ok: boolean;
  /** What was seen, in words: why it fails, or what held. */
  readonly detail: string;
}

/** Names bound by earlier steps (`as:`), e.g. the pod a container-kill hit. */
export type Refs = ReadonlyMap<string, string>;

type StatusCondition = { type?: string; status?: string; reason?: string; message?: string };

export function labelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function matchesLabels(have: Readonly<Record<string, string>> | undefined, want: Readonly<Record<string, string>>): boolean {
  return Object.entries(want).every(([k, v]) => have?.[k] === v);
}

/** The pods a selector means, sorted by name (live ones unless `terminating`). */
export function selectPods(pods: readonly Pod[], s: PodSelector, refs: Refs): Pod[] {
  const name = s.ref !== undefined ? refs.get(s.ref) : s.name;
  if (s.ref !== undefined && name === undefined) return [];
  return pods
    .filter((p) => s.terminating === true || !p.metadata?.deletionTimestamp)
    .filter((p) => name === undefined || p.metadata?.name === name)
    .filter((p) => s.labels === undefined || matchesLabels(p.metadata?.labels, s.labels))
    .filter((p) => s.node === undefined || p.spec?.nodeName === s.node)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

const podName = (p: Pod) => p.metadata?.name ?? '?';
const restartsOf = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function waitingReasons(p: Pod): string[] {
  return (p.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason).filter((r): r is string => r !== undefined);
}

/** "web-1 Running on node-1 (ready, 0 restarts)". */
function describePod(p: Pod): string {
  const waiting = waitingReasons(p);
  const where = p.spec?.nodeName ? `on ${p.spec.nodeName}` : 'unbound';
  const deleting = p.metadata?.deletionTimestamp ? ', terminating' : '';
  return `${podName(p)} ${p.status?.phase ?? 'no phase'} ${where} (${isReady(p) ? 'ready' : 'not ready'}, ${restartsOf(p)} restarts${waiting.length ? `, waiting ${waiting.join('/')}` : ''}${deleting})`;
}

function conditionHolds(conds: readonly StatusCondition[] | undefined, m: ConditionMatch): { ok: boolean; seen: string } {
  const c = conds?.find((x) => x.type === m.type);
  if (!c) return { ok: false, seen: `no ${m.type} condition` };
  const ok =
    (m.status === undefined || textMatches(m.status, c.status)) &&
    (m.reason === undefined || textMatches(m.reason, c.reason)) &&
    (m.message === undefined || textMatches(m.message, c.message));
  return { ok, seen: `${m.type}=${c.status ?? ''}${c.reason ? ` reason ${c.reason}` : ''}${c.message ? ` message ${JSON.stringify(c.message)}` : ''}` };
}

function describeConditionMatch(m: ConditionMatch): string {
  return [m.type, m.status && `status ${describeTextMatch(m.status)}`, m.reason && `reason ${describeTextMatch(m.reason)}`, m.message && `message ${describeTextMatch(m.message)}`].filter(Boolean).join(' ');
}

/** Collects failures of one subject's assertions. */
class Findings {
  readonly failures: string[] = [];
  fail(text: string): void {
    this.failures.push(text);
  }
  verdict(seen: string): Verdict {
    return this.failures.length === 0 ? { ok: true, detail: seen } : { ok: false, detail: `${this.failures.join('; ')} — saw ${seen}` };
  }
}

function checkFields(f: Findings, what: string, o: unknown, fields: Assertions['fields']): void {
  for (const { path, comparison } of fields ?? []) {
    const actual = readPath(o, path);
    if (!compare(comparison, actual, (p) => readPath(o, p))) {
      const other = comparison.op !== '~' && comparison.field !== undefined ? ` (${comparison.field} is ${JSON.stringify(readPath(o, comparison.field) ?? null)})` : '';
      f.fail(`${what}: ${path} is ${JSON.stringify(actual ?? null)}, expected ${describeComparison(comparison)}${other}`);
    }
  }
}

function podAssertions(pods: readonly Pod[], a: Assertions, f: Findings, selector: string): void {
  if (a.count && !compare(a.count, pods.length)) f.fail(`${pods.length} pods match ${selector}, expected ${describeComparison(a.count)}`);
  const perPod = a.phase || a.ready !== undefined || a.restarts || a.waiting || a.podIP !== undefined || a.image || a.condition || a.fields || a.distinctNodes || a.perNode;
  if (perPod && pods.length === 0) {
    f.fail(`no pod matches ${selector}`);
    return;
  }
  for (const p of pods) {
    const n = podName(p);
    if (a.phase && !textMatches(a.phase, p.status?.phase)) f.fail(`${n} is ${p.status?.phase ?? 'without phase'}, not ${describeTextMatch(a.phase)}`);
    if (a.ready !== undefined && isReady(p) !== a.ready) f.fail(`${n} is ${isReady(p) ? '' : 'not '}ready`);
    if (a.restarts && !compare(a.restarts, restartsOf(p))) f.fail(`${n} has ${restartsOf(p)} restarts, expected ${describeComparison(a.restarts)}`);
    if (a.waiting && !waitingReasons(p).some((r) => textMatches(a.waiting!, r))) {
      f.fail(`no container of ${n} is waiting with reason ${describeTextMatch(a.waiting)} (waiting: ${waitingReasons(p).join(', ') || 'none'})`);
    }
    if (a.podIP !== undefined && Boolean(p.status?.podIP) !== a.podIP) f.fail(`${n} has ${p.status?.podIP ? `IP ${p.status.podIP}` : 'no IP'}`);
    if (a.image && !(p.spec?.containers ?? []).some((c) => textMatches(a.image!, c.image))) {
      f.fail(`${n} runs ${(p.spec?.containers ?? []).map((c) => c.image).join(', ')}, not ${describeTextMatch(a.image)}`);
    }
    if (a.condition) {
      const h = conditionHolds(p.status?.conditions, a.condition);
      if (!h.ok) f.fail(`${n} has ${h.seen}, expected ${describeConditionMatch(a.condition)}`);
    }
    checkFields(f, n, p, a.fields);
  }
  if (a.distinctNodes) {
    const nodes = pods.map((p) => p.spec?.nodeName);
    if (nodes.some((x) => !x)) f.fail('some pods are not bound to a node');
    else if (new Set(nodes).size !== nodes.length) f.fail(`pods share nodes (${nodes.join(', ')})`);
  }
  if (a.perNode) {
    const counts = new Map<string, number>();
    for (const p of pods) counts.set(p.spec?.nodeName ?? '(unbound)', (counts.get(p.spec?.nodeName ?? '(unbound)') ?? 0) + 1);
    const got = [...counts.values()].sort((x, y) => y - x);
    if (counts.has('(unbound)') || got.join(',') !== a.perNode.join(',')) {
      f.fail(`pods per node are ${[...counts].map(([k, v]) => `${k}: ${v}`).join(', ')}, expected counts ${a.perNode.join('/')}`);
    }
  }
}

/** kubectl rollout status's rule for a Deployment whose rollout is done. */
export function rolloutComplete(d: Deployment): { done: boolean; why: string } {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  if ((d.metadata?.generation ?? 0) > (s.observedGeneration ?? 0)) return { done: false, why: 'waiting for the deployment spec update to be observed' };
  if (s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) return { done: false, why: 'progress deadline exceeded' };
  if ((s.updatedReplicas ?? 0) < want) return { done: false, why: `${s.updatedReplicas ?? 0} out of ${want} new replicas have been updated` };
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return { done: false, why: `${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas are pending termination` };
  if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0)) return { done: false, why: `${s.availableReplicas ?? 0} of ${s.updatedReplicas ?? 0} updated replicas are available` };
  return { done: true, why: 'successfully rolled out' };
}

function describeDeployment(d: Deployment): string {
  const s = d.status ?? {};
  return `deployment ${d.metadata?.name ?? '?'} replicas ${d.spec?.replicas ?? 1} (status: ${s.replicas ?? 0} total, ${s.updatedReplicas ?? 0} updated, ${s.readyReplicas ?? 0} ready, ${s.availableReplicas ?? 0} available, generation ${d.metadata?.generation ?? 0} observed ${s.observedGeneration ?? 0})`;
}

function ownedByDeployment(rs: ReplicaSet, name: string): boolean {
  return (rs.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === name);
}

/** The one pod a describe/logs/get subject means: the first by name. */
async function onePod(driver: SpecDriver, s: PodSelector, refs: Refs): Promise<Pod | string> {
  const pods = selectPods(await driver.pods(), s, refs);
  if (pods.length === 0) return `no pod matches ${describeSelector(s)}`;
  return pods[0]!;
}

/** Judges the condition once, now. */
export async function evaluate(condition: Condition, driver: SpecDriver, refs: Refs): Promise<Verdict> {
  const a = condition.assertions;
  const s = condition.subject;
  const f = new Findings();
  switch (s.kind) {
    case 'pods': {
      const pods = selectPods(await driver.pods(), s.pods, refs);
      podAssertions(pods, a, f, describeSelector(s.pods));
      return f.verdict(pods.length ? pods.map(describePod).join(', ') : 'no pods');
    }
    case 'deployment': {
      const d = (await driver.deployments()).find((x) => x.metadata?.name === s.name);
      if (a.exists !== undefined && (d !== undefined) !== a.exists) f.fail(`deployment ${s.name} ${d ? 'exists' : 'does not exist'}`);
      if (!d) {
        if (a.exists !== false) f.fail(`deployment ${s.name} does not exist`);
        return f.verdict('no such deployment');
      }
      if (a.image && !(d.spec?.template?.spec?.containers ?? []).some((c) => textMatches(a.image!, c.image))) f.fail(`its template does not run ${describeTextMatch(a.image)}`);
      if (a.condition) {
        const h = conditionHolds(d.status?.conditions, a.condition);
        if (!h.ok) f.fail(`it has ${h.seen}, expected ${describeConditionMatch(a.condition)}`);
      }
      checkFields(f, `deployment ${s.name}`, d, a.fields);
      if (a.rolloutComplete !== undefined) {
        const r = rolloutComplete(d);
        if (r.done !== a.rolloutComplete) f.fail(`rollout ${r.done ? 'is complete' : `is not complete: ${r.why}`}`);
      }
      return f.verdict(describeDeployment(d));
    }
    case 'replicasets': {
      const all = await driver.replicaSets();
      const sets = all.filter((r) => (s.deployment === undefined || ownedByDeployment(r, s.deployment)) && (s.labels === undefined || matchesLabels(r.metadata?.labels, s.labels)));
      if (a.count && !compare(a.count, sets.length)) f.fail(`${sets.length} replicasets match, expected ${describeComparison(a.count)}`);
      if (a.fields && sets.length === 0) f.fail('no replicaset matches');
      for (const r of sets) checkFields(f, `replicaset ${r.metadata?.name ?? '?'}`, r, a.fields);
      return f.verdict(sets.length ? sets.map((r) => `${r.metadata?.name ?? '?'} (${r.spec?.replicas ?? 1} replicas, ${r.status?.readyReplicas ?? 0} ready)`).join(', ') : 'no replicasets');
    }
    case 'node': {
      const n = (await driver.nodes()).find((x) => x.metadata?.name === s.name);
      if (a.exists !== undefined && (n !== undefined) !== a.exists) f.fail(`node ${s.name} ${n ? 'exists' : 'does not exist'}`);
      if (!n) {
        if (a.exists !== false) f.fail(`node ${s.name} does not exist`);
        return f.verdict('no such node');
      }
      if (a.condition) {
        const h = conditionHolds(n.status?.conditions, a.condition);
        if (!h.ok) f.fail(`node ${s.name} has ${h.seen}, expected ${describeConditionMatch(a.condition)}`);
      }
      checkFields(f, `node ${s.name}`, n, a.fields);
      const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'no Ready condition';
      const taints = (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
      return f.verdict(`node ${s.name} Ready=${ready}${taints.length ? `, taints ${taints.join(', ')}` : ''}${n.spec?.unschedulable ? ', unschedulable' : ''}`);
    }
    case 'containers': {
      const cs = (await driver.containers()).filter((c) => s.podPrefix === undefined || (c.pod?.name ?? '').startsWith(s.podPrefix));
      const running = cs.filter((c) => c.running);
      if (a.count && !compare(a.count, cs.length)) f.fail(`${cs.length} containers, expected ${describeComparison(a.count)}`);
      if (a.running && !compare(a.running, running.length)) f.fail(`${running.length} containers run, expected ${describeComparison(a.running)}`);
      return f.verdict(cs.length ? cs.map((c) => `${c.pod?.name ?? '?'}/${c.container ?? c.id} on ${c.node} ${c.running ? 'running' : 'exited'}`).join(', ') : 'no containers');
    }
    case 'get': {
      let name = s.name;
      if (s.pod) {
        const p = await onePod(driver, s.pod, refs);
        if (typeof p === 'string') return { ok: false, detail: p };
        name = p.metadata?.name;
      }
      const table = await driver.table(s.resource, { ...(name ? { name } : {}), ...(s.labels ? { labelSelector: labelSelector(s.labels) } : {}), wide: s.wide });
      if (a.count && !compare(a.count, table.rows.length)) f.fail(`kubectl get ${s.resource} shows ${table.rows.length} rows, expected ${describeComparison(a.count)}`);
      if (a.columns) {
        if (table.rows.length === 0) f.fail(`kubectl get ${s.resource} shows no rows`);
        for (const { header, match } of a.columns) {
          const i = table.headers.indexOf(header);
          if (i < 0) {
            f.fail(`kubectl get ${s.resource}${s.wide ? ' -o wide' : ''} has no column ${header} (columns: ${table.headers.join(', ')})`);
            continue;
          }
          for (const row of table.rows) if (!textMatches(match, row[i])) f.fail(`${row[0] ?? '?'} shows ${header} ${JSON.stringify(row[i] ?? '')}, expected ${describeTextMatch(match)}`);
        }
      }
      const shown = [table.headers.join(' | '), ...table.rows.map((r) => r.join(' | '))].join(' / ');
      return f.verdict(`kubectl get: ${shown}`);
    }
    case 'describe': {
      const p = await onePod(driver, s.pod, refs);
      if (typeof p === 'string') return { ok: false, detail: p };
      const events = await driver.describePod(podName(p));
      const reasons = events.map((e) => e.reason);
      let i = 0;
      for (const r of reasons) if (i < (a.events?.length ?? 0) && r === a.events![i]) i++;
      if (a.events && i < a.events.length) f.fail(`the events of ${podName(p)} lack ${a.events.slice(i).join(', ')} in order ${a.events.join(' → ')}`);
      return f.verdict(`kubectl describe pod ${podName(p)} events: ${events.map((e) => `${e.reason} (${e.message})`).join(', ') || 'none'}`);
    }
    case 'logs': {
      const p = await onePod(driver, s.pod, refs);
      if (typeof p === 'string') return { ok: false, detail: p };
      const text = await driver.logs(podName(p), s.container);
      if (a.contains !== undefined && !text.includes(a.contains)) f.fail(`the logs of ${podName(p)} do not contain ${JSON.stringify(a.contains)}`);
      if (a.matches && !a.matches.test(text)) f.fail(`the logs of ${podName(p)} do not match ${String(a.matches)}`);
      return f.verdict(`kubectl logs ${podName(p)}: ${JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text)}`);
    }
  }
}

