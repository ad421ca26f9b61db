// Loads scenario spec files: YAML, checked by the JSON Schema (spec-schema.ts) and then by the
// rules a schema states badly (one action per step, one subject per condition, assertions
// that fit their subject, known invariants and fault kinds, nodes and refs that exist), and
// turned into a ScenarioSpec. Problems are reported as file:line: path: message, all those
// of a kind at once: first every schema problem, then (once the shape is right) every rule
// problem.

import { Ajv, type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments, parseDocument, type Document } from 'yaml';
import { faultKindByName, FAULT_KINDS } from '../../chaos/index.js';
import { Quantity } from '../../impl/api/quantity.js';
import { INVARIANTS, invariantByName } from '../invariants/index.js';
import type { Assertions, Condition, FaultStep, PodSelector, ScenarioSpec, SpecNode, Step, Subject } from './scenario-spec.js';
import { ACTION_KEYS, ASSERTION_SUBJECTS, PATTERN_WORDS, SPEC_SCHEMA, SUBJECT_KEYS } from './spec-schema.js';
import { parseComparison, parseDuration, parseRegex, parseTextMatch } from './spec-values.js';

/** One problem in a spec file. `path` is where in the document: steps[2].scale.replicas. */
export interface SpecIssue {
  readonly file: string;
  readonly line?: number;
  readonly path: string;
  readonly message: string;
}

export function formatIssue(i: SpecIssue): string {
  return `${i.file}${i.line !== undefined ? `:${i.line}` : ''}: ${i.path || '(document)'}: ${i.message}`;
}

export class SpecFileError extends Error {
  override readonly name = 'SpecFileError';
  constructor(readonly issues: readonly SpecIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

/** The kinds `apply` may carry: what the runners know how to create everywhere. */
const APPLY_KINDS: Readonly<Record<string, string>> = { Deployment: 'apps/v1', ReplicaSet: 'apps/v1', Pod: 'v1' };

/** The kubelet's default node size (kubeprop up's nodes). */
export const DEFAULT_CAPACITY = { cpu: '4', memory: '8Gi', pods: 110 } as const;

/** Defaults that make a spec short: when the last step is done the cluster gets this long to settle. */
const DEFAULT_SETTLE_MS = 60_000;
const DEFAULT_ROLLOUT_TIMEOUT_MS = 120_000;

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateSchema = ajv.compile<Json>(SPEC_SCHEMA);

type Json = Record<string, unknown>;
type Path = readonly (string | number)[];

function pathText(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** Turns ajv's errors into sentences; drops the noise of if/then/else wrappers. */
function schemaIssues(errors: readonly ErrorObject[]): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const path: (string | number)[] = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const p = e.params as Record<string, unknown>;
    let message: string;
    switch (e.keyword) {
      case 'additionalProperties': {
        const allowed = Object.keys(((e.parentSchema as Json | undefined)?.properties as Json | undefined) ?? {});
        path.push(String(p.additionalProperty));
        message = `unknown field "${String(p.additionalProperty)}"${allowed.length ? ` (expected one of: ${allowed.join(', ')})` : ''}`;
        break;
      }
      case 'required':
        path.push(String(p.missingProperty));
        message = `required field "${String(p.missingProperty)}" is missing`;
        break;
      case 'enum':
        message = `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'const':
        message = `must be ${JSON.stringify(p.allowedValue)}`;
        break;
      case 'pattern':
        message = `must be ${PATTERN_WORDS[String(p.pattern)] ?? `a string matching ${String(p.pattern)}`}, got ${JSON.stringify(e.data)}`;
        break;
      case 'type':
        message = `must be ${String(p.type).replace(',', ' or ')}, got ${Array.isArray(e.data) ? 'a list' : e.data === null ? 'null' : typeof e.data}`;
        break;
      default:
        message = e.message ?? e.keyword;
    }
    out.push({ path, message });
  }
  // A string-or-object value with a bad string reports both branches' errors; keep the one that matches its type.
  const seen = new Set<string>();
  return out.filter((i) => {
    const key = `${pathText(i.path)}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

class Collector {
  readonly issues: SpecIssue[] = [];
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  add(path: Path, message: string): void {
    this.issues.push({ file: this.file, path: pathText(path), message, ...this.lineOf(path) });
  }

  private lineOf(path: Path): { line?: number } {
    // The deepest node along the path that exists (an unknown or missing field points at its parent).
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return { line: this.lines.linePos(node.range[0]).line };
      if (n === path.length && path.length > 0) {
        // For a key we may find the pair's key node in the parent map.
        const parent = this.doc.getIn(path.slice(0, -1), true) as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined;
        const key = parent?.items?.find((it) => it.key?.value === path[path.length - 1])?.key;
        if (key?.range) return { line: this.lines.linePos(key.range[0]).line };
      }
    }
    return {};
  }
}

/** The yaml library's message without its code frame and position (the issue carries the line). */
function yamlMessage(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}

/** Reads, validates and converts one spec file; throws SpecFileError listing every problem. */
export function loadSpecFile(file: string): ScenarioSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpecFileError([{ file, path: '', message: `cannot read: ${(e as Error).message}` }]);
  }
  return parseSpec(text, file);
}

/** Validates and converts spec text; `file` names it in errors. */
export function parseSpec(text: string, file = '<spec>'): ScenarioSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SpecFileError(
      doc.errors.map((e) => ({ file, ...(e.linePos?.[0] ? { line: e.linePos[0].line } : {}), path: '', message: `not valid YAML: ${yamlMessage(e.message)}` })),
    );
  }
  const data: unknown = doc.toJS();
  const c = new Collector(file, doc, lines);
  if (!validateSchema(data)) {
    for (const i of schemaIssues(validateSchema.errors ?? [])) c.add(i.path, i.message);
    throw new SpecFileError(c.issues);
  }
  const spec = convert(data as Json, file, c);
  if (c.issues.length > 0 || !spec) throw new SpecFileError(c.issues);
  return spec;
}

function convert(raw: Json, file: string, c: Collector): ScenarioSpec | undefined {
  const metadata = raw.metadata as { name: string; illustrates: string; severity: 'critical' | 'major' | 'minor'; walkthrough?: number; runtime?: 'process' | 'docker'; description?: string };
  const namespace = (raw.namespace as string | undefined) ?? metadata.name;
  const nodes: SpecNode[] = ((raw.cluster as { nodes: Json[] }).nodes).map((n) => {
    const cap = (n.capacity as Json | undefined) ?? {};
    return {
      name: String(n.name),
      capacity: {
        cpu: String(cap.cpu ?? DEFAULT_CAPACITY.cpu),
        memory: String(cap.memory ?? DEFAULT_CAPACITY.memory),
        pods: Number(cap.pods ?? DEFAULT_CAPACITY.pods),
      },
      labels: (n.labels as Record<string, string> | undefined) ?? {},
      taints: (n.taints as SpecNode['taints'] | undefined) ?? [],
    };
  });
  const nodeNames = new Set<string>();
  nodes.forEach((n, i) => {
    for (const k of ['cpu', 'memory'] as const) {
      try {
        Quantity.parse(n.capacity[k]);
      } catch (e) {
        c.add(['cluster', 'nodes', i, 'capacity', k], `not a quantity: ${(e as Error).message} (like "4", "500m", "8Gi")`);
      }
    }
    if (nodeNames.has(n.name)) c.add(['cluster', 'nodes', i, 'name'], `node "${n.name}" is declared twice`);
    nodeNames.add(n.name);
  });
  const ctx: ConvertContext = { c, nodes: nodeNames, refs: new Set(), monitors: new Set(), ended: new Set(), namespace };
  const steps: Step[] = [];
  (raw.steps as Json[]).forEach((s, i) => {
    const step = convertStep(s, ['steps', i], ctx);
    if (step) steps.push(step);
  });
  const expectations: Condition[] = [];
  ((raw.expectations as Json[] | undefined) ?? []).forEach((e, i) => {
    const r = convertCondition(e, ['expectations', i], ctx, false);
    if (r) expectations.push(r.condition);
  });
  const invariants = (raw.invariants as string[] | undefined) ?? [];
  invariants.forEach((name, i) => {
    if (!invariantByName(name)) c.add(['invariants', i], `unknown invariant "${name}" (known: ${INVARIANTS.map((v) => v.name).join(', ')})`);
  });
  return {
    file,
    metadata: {
      name: metadata.name,
      illustrates: metadata.illustrates,
      severity: metadata.severity,
      ...(metadata.walkthrough !== undefined ? { walkthrough: metadata.walkthrough } : {}),
      ...(metadata.runtime !== undefined ? { runtime: metadata.runtime } : {}),
      ...(metadata.description !== undefined ? { description: metadata.description } : {}),
    },
    nodes,
    namespace,
    steps,
    expectations,
    invariants,
    settleMs: raw.settle !== undefined ? parseDuration(String(raw.settle))! : DEFAULT_SETTLE_MS,
    seed: (raw.seed as number | undefined) ?? 1,
  };
}

interface ConvertContext {
  readonly c: Collector;
  readonly nodes: ReadonlySet<string>;
  /** Pods named by earlier fault steps' `as:`. */
  readonly refs: Set<string>;
  /** Background `always` conditions named by their `as:`, and those an `end` step ended. */
  readonly monitors: Set<string>;
  readonly ended: Set<string>;
  readonly namespace: string;
}

function convertStep(s: Json, path: Path, ctx: ConvertContext): Step | undefined {
  const actions = ACTION_KEYS.filter((k) => s[k] !== undefined);
  if (actions.length !== 1) {
    ctx.c.add(path, actions.length === 0 ? `a step needs one action: ${ACTION_KEYS.join(', ')}` : `a step has exactly one action, found ${actions.join(' and ')}`);
    return undefined;
  }
  const action = actions[0]!;
  const v = s[action];
  const at = [...path, action];
  const node = (name: string, p: Path) => {
    if (!ctx.nodes.has(name)) ctx.c.add(p, `no node "${name}" in the cluster (nodes: ${[...ctx.nodes].join(', ')})`);
  };
  switch (action) {
    case 'createDeployment': {
      const o = v as { name: string; image: string; replicas?: number; command?: string[] };
      return { op: 'create-deployment', name: o.name, image: o.image, replicas: o.replicas ?? 1, ...(o.command ? { command: o.command } : {}) };
    }
    case 'apply':
      return convertApply(String(v), at, ctx);
    case 'scale': {
      const o = v as { deployment: string; replicas: number };
      return { op: 'scale', deployment: o.deployment, replicas: o.replicas };
    }
    case 'setImage': {
      const o = v as { deployment: string; image: string; container?: string };
      return { op: 'set-image', deployment: o.deployment, image: o.image, ...(o.container ? { container: o.container } : {}) };
    }
    case 'delete': {
      const o = v as { kind?: 'Deployment' | 'ReplicaSet' | 'Pod'; name: string; cascade?: 'background' | 'foreground' | 'orphan' };
      return { op: 'delete', kind: o.kind ?? 'Deployment', name: o.name, cascade: o.cascade ?? 'background' };
    }
    case 'cordon':
    case 'uncordon':
      node(String(v), at);
      return { op: action, node: String(v) };
    case 'rolloutStatus': {
      const o = v as { deployment: string; timeout?: string };
      return { op: 'rollout-status', deployment: o.deployment, timeoutMs: o.timeout ? parseDuration(o.timeout)! : DEFAULT_ROLLOUT_TIMEOUT_MS };
    }
    case 'fault':
      return convertFault(v as Json, at, ctx, node);
    case 'wait': {
      if (typeof v === 'string') return { op: 'sleep', ms: parseDuration(v)! };
      const r = convertCondition(v as Json, at, ctx, false);
      return r && { op: 'wait', until: r.condition };
    }
    case 'expect': {
      const r = convertCondition(v as Json, at, ctx, false);
      return r && { op: 'expect', condition: r.condition };
    }
    case 'always': {
      const r = convertCondition(v as Json, at, ctx, true);
      const forMs = (v as Json).for !== undefined ? parseDuration(String((v as Json).for)) : undefined;
      const name = (v as Json).as;
      if (typeof name === 'string') {
        if (forMs !== undefined) ctx.c.add([...at, 'as'], 'an `always` with "for" ends by itself; "as" names one that an `end` step ends');
        if (ctx.monitors.has(name)) ctx.c.add([...at, 'as'], `an earlier \`always\` is already named "${name}"`);
        ctx.monitors.add(name);
      }
      return r && { op: 'always', condition: r.condition, graceMs: r.graceMs, ...(forMs !== undefined ? { forMs } : {}), ...(typeof name === 'string' ? { name } : {}) };
    }
    case 'end': {
      const names = Array.isArray(v) ? (v as string[]) : [String(v)];
      for (const n of names) {
        if (!ctx.monitors.has(n)) ctx.c.add(at, `no earlier \`always\` is named "${n}" (give it \`as: ${n}\`)`);
        else if (ctx.ended.has(n)) ctx.c.add(at, `"${n}" has already ended`);
        ctx.ended.add(n);
      }
      return { op: 'end', names };
    }
  }
  return undefined;
}

function convertApply(text: string, path: Path, ctx: ConvertContext): Step | undefined {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  const manifests: Json[] = [];
  if (list.length === 0) ctx.c.add(path, 'the manifest is empty');
  list.forEach((d, i) => {
    const where = list.length > 1 ? `document ${i + 1}: ` : '';
    if (d.errors.length > 0) {
      ctx.c.add(path, `${where}the manifest is not valid YAML: ${yamlMessage(d.errors[0]!.message)}`);
      return;
    }
    const m: unknown = d.toJS();
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      ctx.c.add(path, `${where}a manifest must be a mapping with apiVersion, kind and metadata.name`);
      return;
    }
    const o = m as Json;
    const kind = typeof o.kind === 'string' ? o.kind : '';
    const apiVersion = APPLY_KINDS[kind];
    const meta = (o.metadata ?? {}) as Json;
    if (!apiVersion) ctx.c.add(path, `${where}kind ${JSON.stringify(o.kind)} cannot be applied (use one of: ${Object.keys(APPLY_KINDS).join(', ')})`);
    else if (o.apiVersion !== apiVersion) ctx.c.add(path, `${where}a ${kind} has apiVersion ${apiVersion}, not ${JSON.stringify(o.apiVersion)}`);
    if (typeof meta.name !== 'string' || meta.name === '') ctx.c.add(path, `${where}metadata.name is required`);
    if (meta.namespace !== undefined && meta.namespace !== ctx.namespace) {
      ctx.c.add(path, `${where}metadata.namespace is ${JSON.stringify(meta.namespace)} but the spec runs in namespace "${ctx.namespace}" (leave it out)`);
    }
    manifests.push(o);
  });
  return { op: 'apply', manifests, yaml: text };
}

function convertFault(o: Json, path: Path, ctx: ConvertContext, node: (name: string, p: Path) => void): Step | undefined {
  const kind = String(o.kind);
  if (!faultKindByName(kind)) {
    ctx.c.add([...path, 'kind'], `unknown fault kind "${kind}" (known: ${FAULT_KINDS.map((k) => k.kind).join(', ')})`);
  }
  const aims = ['target', 'node', 'component', 'pod'].filter((k) => o[k] !== undefined);
  if (aims.length > 1) ctx.c.add(path, `a fault aims at one thing: give one of target, node, component, pod (found ${aims.join(', ')})`);
  if (typeof o.node === 'string') node(o.node, [...path, 'node']);
  if (o.pod !== undefined && !kind.startsWith('container-')) ctx.c.add([...path, 'pod'], `only container faults (container-kill, container-crash) aim at a pod; ${kind} aims at a node or component`);
  const pod = o.pod !== undefined ? convertSelector(o.pod as Json, [...path, 'pod'], ctx) : undefined;
  if (o.as !== undefined) {
    if (!pod) ctx.c.add([...path, 'as'], '`as` names the pod a container fault hits; give `pod:` too');
    ctx.refs.add(String(o.as));
  }
  const fault: FaultStep = {
    kind,
    ...(typeof o.target === 'string' ? { target: o.target } : {}),
    ...(typeof o.node === 'string' ? { node: o.node } : {}),
    ...(typeof o.component === 'string' ? { component: o.component } : {}),
    ...(pod ? { pod } : {}),
    ...(typeof o.duration === 'string' ? { durationMs: parseDuration(o.duration)! } : {}),
    ...(o.params ? { params: o.params as Record<string, number | string | boolean> } : {}),
    ...(typeof o.as === 'string' ? { as: o.as } : {}),
  };
  return { op: 'fault', fault };
}

function convertSelector(o: Json, path: Path, ctx: ConvertContext): PodSelector {
  if (typeof o.ref === 'string' && !ctx.refs.has(o.ref)) {
    ctx.c.add([...path, 'ref'], `no earlier step names a pod "${o.ref}" (a container fault's \`as:\` does)`);
  }
  if (typeof o.node === 'string' && !ctx.nodes.has(o.node)) ctx.c.add([...path, 'node'], `no node "${o.node}" in the cluster`);
  return {
    ...(typeof o.name === 'string' ? { name: o.name } : {}),
    ...(o.labels ? { labels: o.labels as Record<string, string> } : {}),
    ...(typeof o.node === 'string' ? { node: o.node } : {}),
    ...(typeof o.ref === 'string' ? { ref: o.ref } : {}),
    ...(typeof o.terminating === 'boolean' ? { terminating: o.terminating } : {}),
  };
}

function regexOr(value: string, path: Path, ctx: ConvertContext): boolean {
  try {
    parseRegex(value);
    return true;
  } catch (e) {
    ctx.c.add(path, `not a valid regular expression: ${(e as Error).message}`);
    return false;
  }
}

function conditionText(o: Json): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'within' || k === 'grace' || k === 'for' || k === 'as') continue;
    parts.push(`${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return parts.join(', ');
}

/** A condition, and for `always` how long it may be false at a stretch. */
function convertCondition(o: Json, path: Path, ctx: ConvertContext, monitor: boolean): { condition: Condition; graceMs: number } | undefined {
  const c = ctx.c;
  const subjects = SUBJECT_KEYS.filter((k) => o[k] !== undefined);
  if (subjects.length !== 1) {
    c.add(path, subjects.length === 0 ? `a condition needs one subject: ${SUBJECT_KEYS.join(', ')}` : `a condition has exactly one subject, found ${subjects.join(' and ')}`);
    return undefined;
  }
  const key = subjects[0]!;
  const assertionKeys = Object.keys(o).filter((k) => k in ASSERTION_SUBJECTS);
  if (assertionKeys.length === 0) c.add(path, `a condition on ${key} needs at least one assertion (${Object.keys(ASSERTION_SUBJECTS).filter((a) => ASSERTION_SUBJECTS[a]!.includes(key)).join(', ')})`);
  for (const a of assertionKeys) {
    if (!ASSERTION_SUBJECTS[a]!.includes(key)) c.add([...path, a], `"${a}" does not apply to ${key} (it applies to ${ASSERTION_SUBJECTS[a]!.join(', ')})`);
  }
  if (o.grace !== undefined && !monitor) c.add([...path, 'grace'], '"grace" belongs to `always` conditions');
  if (o.for !== undefined && !monitor) c.add([...path, 'for'], '"for" belongs to `always` conditions (hold for this long)');
  if (o.as !== undefined && !monitor) c.add([...path, 'as'], '"as" names an `always` condition for a later `end` step');
  if (o.within !== undefined && monitor) c.add([...path, 'within'], '`always` holds from its step to the end (or for "for"); use "grace" for how long it may be false');

  const v = o[key];
  let subject: Subject;
  switch (key) {
    case 'pods':
      subject = { kind: 'pods', pods: convertSelector(v as Json, [...path, key], ctx) };
      break;
    case 'deployment':
      subject = { kind: 'deployment', name: String(v) };
      break;
    case 'replicasets': {
      const r = v as { deployment?: string; labels?: Record<string, string> };
      subject = { kind: 'replicasets', ...(r.deployment ? { deployment: r.deployment } : {}), ...(r.labels ? { labels: r.labels } : {}) };
      break;
    }
    case 'node':
      if (!ctx.nodes.has(String(v))) c.add([...path, key], `no node "${String(v)}" in the cluster`);
      subject = { kind: 'node', name: String(v) };
      break;
    case 'containers': {
      const r = v as { podPrefix?: string };
      subject = { kind: 'containers', ...(r.podPrefix !== undefined ? { podPrefix: r.podPrefix } : {}) };
      break;
    }
    case 'get': {
      const g = v as { resource: 'pods' | 'deployments' | 'replicasets' | 'nodes'; name?: string; labels?: Record<string, string>; pod?: Json; wide?: boolean };
      if (g.pod !== undefined && g.resource !== 'pods') c.add([...path, key, 'pod'], '`pod` selects rows of `get: {resource: pods}` only');
      if ([g.name, g.labels, g.pod].filter((x) => x !== undefined).length > 1) c.add([...path, key], 'give at most one of name, labels, pod');
      subject = {
        kind: 'get',
        resource: g.resource,
        wide: g.wide ?? false,
        ...(g.name ? { name: g.name } : {}),
        ...(g.labels ? { labels: g.labels } : {}),
        ...(g.pod ? { pod: convertSelector(g.pod, [...path, key, 'pod'], ctx) } : {}),
      };
      break;
    }
    case 'describe':
      subject = { kind: 'describe', pod: convertSelector(v as Json, [...path, key], ctx) };
      break;
    case 'logs': {
      const { container, ...selector } = v as Json & { container?: string };
      subject = { kind: 'logs', pod: convertSelector(selector, [...path, key], ctx), ...(container ? { container } : {}) };
      break;
    }
  }

  const a: { -readonly [K in keyof Assertions]: Assertions[K] } = {};
  const text = (k: string) => {
    const s = String(o[k]);
    return regexOr(s, [...path, k], ctx) ? parseTextMatch(s) : { exact: s };
  };
  const cmp = (k: string, numbersOnly: boolean) => {
    const parsed = parseComparison(o[k] as number | string);
    if (numbersOnly && parsed.op !== '~' && (parsed.field !== undefined || typeof parsed.value !== 'number')) {
      c.add([...path, k], `must compare with a number, like 3 or ">= 1"`);
    }
    return parsed;
  };
  if (o.exists !== undefined) a.exists = Boolean(o.exists);
  if (o.count !== undefined) a.count = cmp('count', true);
  if (o.phase !== undefined) a.phase = { exact: String(o.phase) };
  if (o.ready !== undefined) a.ready = Boolean(o.ready);
  if (o.distinctNodes !== undefined) a.distinctNodes = true;
  if (o.perNode !== undefined) {
    const counts = o.perNode as number[];
    if (counts.some((n, i) => i > 0 && n > counts[i - 1]!)) c.add([...path, 'perNode'], 'list the per-node counts largest first, like [2, 1, 1]');
    a.perNode = counts;
  }
  if (o.restarts !== undefined) a.restarts = cmp('restarts', true);
  if (o.waiting !== undefined) a.waiting = text('waiting');
  if (o.podIP !== undefined) a.podIP = Boolean(o.podIP);
  if (o.image !== undefined) a.image = text('image');
  if (o.condition !== undefined) {
    const m = o.condition as { type: string; status?: string; reason?: string; message?: string };
    const sub = (k: 'status' | 'reason' | 'message') => {
      const s = m[k];
      if (s === undefined) return {};
      return { [k]: regexOr(s, [...path, 'condition', k], ctx) ? parseTextMatch(s) : { exact: s } };
    };
    a.condition = { type: m.type, ...sub('status'), ...sub('reason'), ...sub('message') };
  }
  if (o.fields !== undefined) {
    a.fields = Object.entries(o.fields as Record<string, number | string | boolean>).map(([p, w]) => {
      if (typeof w === 'string' && w.trim().startsWith('~')) regexOr(w.trim().slice(1).trim(), [...path, 'fields', p], ctx);
      return { path: p, comparison: parseComparison(w) };
    });
  }
  if (o.rolloutComplete !== undefined) a.rolloutComplete = Boolean(o.rolloutComplete);
  if (o.running !== undefined) a.running = cmp('running', true);
  if (o.columns !== undefined) {
    a.columns = Object.entries(o.columns as Record<string, string>).map(([header, m]) => ({
      header: header.toUpperCase(),
      match: regexOr(m, [...path, 'columns', header], ctx) ? parseTextMatch(m) : { exact: m },
    }));
  }
  if (o.events !== undefined) a.events = o.events as string[];
  if (o.contains !== undefined) a.contains = String(o.contains);
  if (o.matches !== undefined) {
    const s = String(o.matches);
    if (regexOr(s, [...path, 'matches'], ctx)) a.matches = parseRegex(s) ?? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
  const condition: Condition = {
    subject,
    assertions: a,
    withinMs: o.within !== undefined ? parseDuration(String(o.within))! : 0,
    text: `${conditionText(o)}${o.within !== undefined ? ` within ${String(o.within)}` : ''}`,
  };
  return { condition, graceMs: o.grace !== undefined ? parseDuration(String(o.grace))! : 0 };
}
