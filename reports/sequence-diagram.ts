// The requests that led to a violation, as a sequence diagram (SVG) along the seeds' path:
// kubectl and the controller-manager call the API server, which writes the store; the
// scheduler binds; the kubelet reports status and drives its node's container runtime.
// Built from the audit log, the store's writes and the runtime's records, followed from the
// objects, revisions and audit ids the violations name (and their owners and dependents),
// up to the moment of the violation. A pure function of the history and the violations.

import type { AuditEntry, History, ObjectSummary, Time } from '../harness/history/history.js';
import type { Violation } from '../harness/invariants/invariant.js';
import { coord, escapeXml, relativeSeconds, runStart, truncate } from './markup.js';

export type Lane = 'kubectl' | 'controller-manager' | 'apiserver' | 'store' | 'scheduler' | 'kubelet' | 'runtime';

/** The participants, left to right, in the order a request travels in the seed walkthroughs. */
export const LANES: readonly { readonly id: Lane; readonly title: string }[] = [
  { id: 'kubectl', title: 'kubectl / user' },
  { id: 'controller-manager', title: 'controller-manager' },
  { id: 'apiserver', title: 'API server' },
  { id: 'store', title: 'store (etcd)' },
  { id: 'scheduler', title: 'scheduler' },
  { id: 'kubelet', title: 'kubelet' },
  { id: 'runtime', title: 'container runtime' },
];

export type SequenceStep =
  | {
      readonly kind: 'message';
      readonly time: Time;
      readonly from: Lane;
      readonly to: Lane;
      readonly label: string;
      readonly detail: string;
      readonly style: 'request' | 'error' | 'write' | 'unaudited' | 'runtime' | 'watch';
    }
  | { readonly kind: 'note'; readonly time: Time; readonly label: string; readonly detail: string; readonly style: 'fault' | 'heal' | 'violation' };

export interface SequenceModel {
  readonly start: Time;
  readonly steps: readonly SequenceStep[];
  /** Earlier steps left out to keep the diagram readable. */
  readonly omitted: number;
  /** What the diagram followed, for its caption: "pod default/web-1, revision 36". */
  readonly followed: readonly string[];
  /** The diagram ends here (the first violation's time), when the violations have times. */
  readonly until?: Time;
  /** Violations after the first, not drawn (the diagram tells how the first came about). */
  readonly laterViolations: number;
}

export interface SequenceOptions {
  readonly violations?: readonly Violation[];
  /** At most this many steps before the violation (default 60). */
  readonly maxSteps?: number;
  readonly title?: string;
}

/** Which participant an audited user is. */
export function laneOfUser(user: string): Lane {
  if (user === 'system:kube-controller-manager' || user.startsWith('system:serviceaccount:kube-system:')) return 'controller-manager';
  if (user === 'system:kube-scheduler') return 'scheduler';
  if (user.startsWith('system:node:')) return 'kubelet';
  if (user === 'system:apiserver') return 'apiserver';
  return 'kubectl';
}

/** Which participant a watch observer is; the harness's own observer watches like kubectl -w. */
export function laneOfObserver(observer: string): Lane {
  if (/scheduler/.test(observer)) return 'scheduler';
  if (/kubelet|node/.test(observer)) return 'kubelet';
  if (/controller/.test(observer)) return 'controller-manager';
  return 'kubectl';
}

/** Store keys are /registry/<resource>/<namespace>/<name> or /registry/<resource>/<name>. */
function keyName(key: string): { resource: string; name: string } | undefined {
  const parts = key.split('/');
  if (parts[1] !== 'registry' || parts.length < 4) return undefined;
  return { resource: parts[2]!, name: parts.slice(3).join('/') };
}

const READS = new Set(['get', 'list', 'watch']);
/** Chatty resources a diagram never follows unless a violation names their revision. */
const NOISE = new Set(['leases', 'events']);

/** "pods/default/web-1" from "/registry/pods/default/web-1". */
const shortKey = (key: string) => key.replace(/^\/registry\//, '');

const qualifiedName = (o: Pick<ObjectSummary, 'namespace' | 'name'>) => (o.namespace ? `${o.namespace}/${o.name}` : o.name);

interface Focus {
  names: Set<string>;
  revisions: Set<number>;
  audits: Set<string>;
  nodes: Set<string>;
  followed: string[];
}

function focusOf(violations: readonly Violation[]): Focus {
  const focus: Focus = { names: new Set(), revisions: new Set(), audits: new Set(), nodes: new Set(), followed: [] };
  for (const v of violations) {
    for (const o of v.objects ?? []) {
      let m: RegExpExecArray | null;
      if ((m = /^(?:revision|resourceVersion) (\d+)$/.exec(o))) focus.revisions.add(Number(m[1]));
      else if ((m = /^audit (\S+)$/.exec(o))) focus.audits.add(m[1]!);
      else if ((m = /^node (\S+)$/i.exec(o))) {
        focus.nodes.add(m[1]!);
        focus.names.add(m[1]!);
      } else if ((m = /^operation #\d+$/.exec(o))) continue;
      else if ((m = /^(?:\S+ )?(\S+)$/.exec(o))) focus.names.add(m[1]!);
      else continue;
      if (!focus.followed.includes(o)) focus.followed.push(o);
    }
  }
  return focus;
}

/** Adds the owners (up) and dependents (down) of the focused objects, as the watches showed them. */
function expandOwnership(history: History, names: Set<string>): void {
  const byUid = new Map<string, ObjectSummary>();
  for (const w of history.watches) byUid.set(w.object.uid, w.object);
  for (const o of history.final?.objects ?? []) byUid.set(o.uid, o);
  const objects = [...byUid.values()];
  const focused = objects.filter((o) => names.has(qualifiedName(o)));
  const up = (o: ObjectSummary, depth: number) => {
    if (depth > 3) return;
    for (const uid of o.ownerUids ?? []) {
      const owner = byUid.get(uid);
      if (!owner) continue;
      names.add(qualifiedName(owner));
      up(owner, depth + 1);
    }
  };
  const down = (o: ObjectSummary, depth: number) => {
    if (depth > 3) return;
    for (const d of objects) {
      if (!d.ownerUids?.includes(o.uid)) continue;
      names.add(qualifiedName(d));
      down(d, depth + 1);
    }
  };
  for (const o of focused) {
    up(o, 0);
    down(o, 0);
  }
}

/** What the diagram shows, computed from the history alone. */
export function sequenceModel(history: History, options: SequenceOptions = {}): SequenceModel {
  const violations = options.violations ?? [];
  const audit = history.audit ?? [];
  const writes = history.storeWrites ?? [];
  const runtime = history.runtime ?? [];
  const start = runStart([...audit.map((a) => a.time), ...writes.map((w) => w.time), ...history.watches.map((w) => w.time), ...history.operations.map((o) => o.time), ...history.faults.map((f) => f.time)]);
  const focus = focusOf(violations);
  const writeByRevision = new Map(writes.map((w) => [w.revision, w]));
  // Revisions name objects too: follow what they wrote.
  for (const rev of focus.revisions) {
    for (const c of writeByRevision.get(rev)?.changes ?? []) {
      const k = keyName(c.key);
      if (k && !NOISE.has(k.resource)) focus.names.add(k.name);
    }
  }
  expandOwnership(history, focus.names);
  const followAll = focus.names.size === 0 && focus.revisions.size === 0 && focus.audits.size === 0;

  // Up to the first violation: what led to it is the story; later ones repeat it.
  const times = violations.flatMap((v) => (v.time !== undefined ? [v.time] : []));
  const until = times.length > 0 ? Math.min(...times) : undefined;
  const inWindow = (t: Time) => until === undefined || t <= until;

  const touches = (a: AuditEntry): boolean => {
    if (focus.audits.has(a.auditID) || a.revisions.some((r) => focus.revisions.has(r))) return true;
    if (READS.has(a.verb) || (a.resource !== undefined && NOISE.has(a.resource))) return false;
    if (followAll) return true;
    if (a.name !== undefined && focus.names.has(a.namespace ? `${a.namespace}/${a.name}` : a.name)) return true;
    return a.revisions.some((r) => (writeByRevision.get(r)?.changes ?? []).some((c) => focus.names.has(keyName(c.key)?.name ?? '')));
  };

  const steps: { step: SequenceStep; order: number }[] = [];
  let order = 0;
  const push = (step: SequenceStep) => steps.push({ step, order: order++ });
  const audited = new Set<number>();
  for (const a of audit) for (const r of a.revisions) audited.add(r);

  for (const a of audit) {
    if (!inWindow(a.time) || !touches(a)) continue;
    const from = laneOfUser(a.user);
    // A create's audit entry has no name yet; the key it wrote has.
    const written = a.revisions.flatMap((r) => writeByRevision.get(r)?.changes ?? []).map((c) => keyName(c.key)?.name)[0];
    const object = a.name !== undefined ? (a.namespace ? `${a.namespace}/${a.name}` : a.name) : (written ?? a.namespace ?? '');
    const what = `${a.verb} ${a.resource ?? ''}${a.subresource ? `/${a.subresource}` : ''} ${object}`.replace(/\s+/g, ' ').trim();
    const failed = a.code === 0 || a.code >= 400;
    push({
      kind: 'message',
      time: a.time,
      from,
      to: 'apiserver',
      label: `${what} → ${a.code}`,
      detail: `${relativeSeconds(a.time - start)} ${a.user}: ${what} answered ${a.code}${a.revisions.length ? `, wrote revision ${a.revisions.join(', ')}` : ''} (audit ${a.auditID})`,
      style: failed ? 'error' : 'request',
    });
    for (const rev of a.revisions) {
      const w = writeByRevision.get(rev);
      for (const c of w?.changes ?? [{ key: '?', type: 'put' as const }]) {
        push({ kind: 'message', time: a.time, from: 'apiserver', to: 'store', label: `${c.type} ${shortKey(c.key)} @${rev}`, detail: `revision ${rev}: ${c.type} ${c.key}, for audit ${a.auditID}`, style: 'write' });
      }
    }
  }
  // Writes no audited request made: exactly what store-only-via-apiserver is about.
  for (const w of writes) {
    if (audited.has(w.revision) || !inWindow(w.time)) continue;
    const named = focus.revisions.has(w.revision) || w.changes.some((c) => focus.names.has(keyName(c.key)?.name ?? ''));
    if (!named && !followAll) continue;
    for (const c of w.changes) {
      push({ kind: 'message', time: w.time, from: 'apiserver', to: 'store', label: `unaudited ${c.type} ${shortKey(c.key)} @${w.revision}`, detail: `revision ${w.revision}: ${c.type} ${c.key}, written by no audited API request`, style: 'unaudited' });
    }
  }
  for (const r of runtime) {
    if (!inWindow(r.time)) continue;
    const pod = r.pod ? `${r.pod.namespace}/${r.pod.name}` : undefined;
    if (!followAll && !(pod && focus.names.has(pod)) && !(pod === undefined && focus.nodes.has(r.node))) continue;
    const container = `${r.container ?? r.containerId}${r.pod ? ` of ${r.pod.name}` : ''}`;
    const toRuntime = r.type === 'created' || r.type === 'started' || r.type === 'removed';
    const verb = { created: 'create', started: 'start', removed: 'remove', exited: 'exited', killed: 'killed' }[r.type];
    const label = toRuntime ? `${r.node}: ${verb} ${container}` : `${r.node}: ${container} ${verb}${r.exitCode !== undefined ? ` (code ${r.exitCode})` : ''}`;
    push({ kind: 'message', time: r.time, from: toRuntime ? 'kubelet' : 'runtime', to: toRuntime ? 'runtime' : 'kubelet', label, detail: `${relativeSeconds(r.time - start)} runtime of ${r.node}: ${r.type} ${r.containerId}${pod ? ` (pod ${pod})` : ''}`, style: 'runtime' });
  }
  // What the watchers saw of the followed objects: a missed or repeated event shows here.
  if (!followAll) {
    for (const w of history.watches) {
      if (!inWindow(w.time) || !focus.names.has(qualifiedName(w.object))) continue;
      const what = `${w.type} ${w.object.kind.toLowerCase()} ${qualifiedName(w.object)} rv ${w.object.resourceVersion}`;
      push({ kind: 'message', time: w.time, from: 'apiserver', to: laneOfObserver(w.observer), label: `watch: ${what}`, detail: `${relativeSeconds(w.time - start)} ${w.observer} saw ${what} on stream ${w.stream}${w.initial ? ' (initial state)' : ''}`, style: 'watch' });
    }
  }
  for (const f of history.faults) {
    if (!inWindow(f.time)) continue;
    const label = `${f.phase === 'inject' ? '⚡ fault' : '✓ healed'}: ${f.kind} → ${f.target}${f.detail ? ` (${f.detail})` : ''}`;
    push({ kind: 'note', time: f.time, label, detail: `${relativeSeconds(f.time - start)} ${label}`, style: f.phase === 'inject' ? 'fault' : 'heal' });
  }

  const ordered = steps.sort((a, b) => a.step.time - b.step.time || a.order - b.order).map((s) => s.step);
  const maxSteps = options.maxSteps ?? 60;
  const kept = ordered.slice(Math.max(0, ordered.length - maxSteps));
  // The violations end the diagram: those at the first violation's time, or all untimed ones.
  const shown = violations.filter((v) => v.time === undefined || v.time === until);
  const violationNotes: SequenceStep[] = shown.map((v) => ({
    kind: 'note',
    time: v.time ?? kept[kept.length - 1]?.time ?? start,
    label: `✗ ${v.invariant}: ${v.message}`,
    detail: v.message,
    style: 'violation',
  }));
  const later = violations.length - shown.length;
  return {
    start,
    steps: [...kept, ...violationNotes],
    laterViolations: later,
    omitted: ordered.length - kept.length,
    followed: followAll ? ['every write'] : focus.followed,
    ...(until !== undefined ? { until } : {}),
  };
}

/** Shortens a label to `max` characters, keeping a request's answer ("→ 409") in view. */
function fit(label: string, max: number): string {
  const arrow = label.lastIndexOf(' → ');
  if (label.length <= max || arrow < 0) return truncate(label, max);
  const answer = label.slice(arrow);
  return `${truncate(label.slice(0, arrow), Math.max(8, max - answer.length))}${answer}`;
}

const TIME_COLUMN = 84;
const LANE_WIDTH = 165;
const HEADER = 92;
const ROW = 24;

/** Renders the sequence diagram of the requests that led to the violations as a standalone SVG. */
export function renderSequenceDiagram(history: History, options: SequenceOptions = {}): string {
  const model = sequenceModel(history, options);
  const width = TIME_COLUMN + LANE_WIDTH * LANES.length + 12;
  const laneX = (lane: Lane) => TIME_COLUMN + LANE_WIDTH * (LANES.findIndex((l) => l.id === lane) + 0.5);
  const height = HEADER + Math.max(1, model.steps.length) * ROW + 30;
  const out: string[] = [];
  const title = options.title ?? 'Requests that led to the violation';
  const caption =
    `following ${model.followed.length ? model.followed.join(', ') : 'nothing the violations name'}, their owners and dependents` +
    `${model.until !== undefined ? `, up to ${model.laterViolations > 0 ? 'the first violation at ' : ''}${relativeSeconds(model.until - model.start)}` : ''}` +
    `${model.laterViolations > 0 ? ` (${model.laterViolations} later violations not drawn)` : ''}` +
    `${model.omitted > 0 ? `; ${model.omitted} earlier steps not shown` : ''}`;

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" data-kubeprop="sequence-diagram">`,
    '<defs>' +
      Object.entries({ '': '#37474f', red: '#d50000', grey: '#78909c', green: '#2e7d32', blue: '#1e88e5' })
        .map(([c, fill]) => `<marker id="kp-sd-arrow${c ? `-${c}` : ''}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${fill}"/></marker>`)
        .join('') +
      '</defs>',
    '<style>.lane{font-size:12px;font-weight:600;fill:#263238;text-anchor:middle}.lifeline{stroke:#b0bec5;stroke-dasharray:4 4}.box{fill:#eceff1;stroke:#90a4ae}' +
      '.msg{font-size:10.5px;fill:#263238;text-anchor:middle}.msg.error,.msg.unaudited{fill:#c62828}.time{font-size:10px;fill:#78909c}' +
      '.request{stroke:#37474f}.error{stroke:#d50000}.write{stroke:#78909c;stroke-dasharray:3 2}.unaudited{stroke:#d50000;stroke-dasharray:3 2}.runtime{stroke:#2e7d32}.watch{stroke:#1e88e5;stroke-dasharray:1 2}.msg.watch{fill:#1565c0}' +
      '.note-fault{fill:#f3e5f5;stroke:#8e24aa}.note-heal{fill:#e3f2fd;stroke:#1e88e5}.note-violation{fill:#ffebee;stroke:#d50000}.note{font-size:11px;fill:#212121}.note.violation{fill:#b71c1c;font-weight:700}</style>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="18" style="font-size:15px;font-weight:700;fill:#111">${escapeXml(title)}</text>`,
    `<text x="8" y="34" style="font-size:11px;fill:#666">${escapeXml(truncate(caption, 190))}<title>${escapeXml(caption)}</title></text>`,
  );
  for (const lane of LANES) {
    const x = laneX(lane.id);
    out.push(`<rect x="${coord(x - LANE_WIDTH / 2 + 8)}" y="46" width="${LANE_WIDTH - 16}" height="26" rx="4" class="box"/>`);
    out.push(`<text x="${coord(x)}" y="63" class="lane">${escapeXml(lane.title)}</text>`);
    out.push(`<path d="M${coord(x)},72 L${coord(x)},${height - 12}" class="lifeline"/>`);
  }
  const arrowFor = { request: 'kp-sd-arrow', error: 'kp-sd-arrow-red', write: 'kp-sd-arrow-grey', unaudited: 'kp-sd-arrow-red', runtime: 'kp-sd-arrow-green', watch: 'kp-sd-arrow-blue' } as const;
  model.steps.forEach((s, i) => {
    const y = HEADER + i * ROW;
    out.push(`<text x="6" y="${y + 4}" class="time">${escapeXml(relativeSeconds(s.time - model.start))}</text>`);
    if (s.kind === 'note') {
      const x0 = TIME_COLUMN + 4;
      const w = LANE_WIDTH * LANES.length - 8;
      out.push(`<rect x="${x0}" y="${y - 11}" width="${w}" height="18" rx="3" class="note-${s.style}"><title>${escapeXml(s.detail)}</title></rect>`);
      out.push(`<text x="${x0 + 8}" y="${y + 2}" class="note${s.style === 'violation' ? ' violation' : ''}">${escapeXml(truncate(s.label, Math.floor(w / 7)))}<title>${escapeXml(s.detail)}</title></text>`);
      return;
    }
    const x1 = laneX(s.from);
    const x2 = laneX(s.to);
    if (x1 === x2) {
      out.push(`<path d="M${coord(x1)},${y - 4} h24 v10 h-22" fill="none" class="${s.style}" marker-end="url(#${arrowFor[s.style]})"><title>${escapeXml(s.detail)}</title></path>`);
      out.push(`<text x="${coord(x1 + 30)}" y="${y + 3}" class="msg ${s.style}" style="text-anchor:start">${escapeXml(truncate(s.label, 40))}<title>${escapeXml(s.detail)}</title></text>`);
      return;
    }
    const span = Math.abs(x2 - x1);
    // A label may run past its arrow's ends by half a lane on each side.
    const maxChars = Math.max(16, Math.floor((span + LANE_WIDTH * 0.9) / 6));
    out.push(`<path d="M${coord(x1)},${y + 2} L${coord(x2 + (x2 > x1 ? -2 : 2))},${y + 2}" class="${s.style}" marker-end="url(#${arrowFor[s.style]})"><title>${escapeXml(s.detail)}</title></path>`);
    out.push(`<text x="${coord((x1 + x2) / 2)}" y="${y - 3}" class="msg ${s.style}">${escapeXml(fit(s.label, maxChars))}<title>${escapeXml(s.detail)}</title></text>`);
  });
  if (model.steps.length === 0) out.push(`<text x="${TIME_COLUMN + 8}" y="${HEADER + 4}" class="note">no requests recorded</text>`);
  out.push('</svg>');
  return out.join('\n');
}
