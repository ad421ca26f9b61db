// The timeline of a run as an SVG: each pod's phases over time (as the watch streams saw
// them) with its containers underneath (as the node's runtime recorded them), each fault
// from injection to heal, each user operation, and the moments that matter for judging
// (violations, faults healed, the convergence deadline). A pure function of the history,
// so a counterexample's report shows exactly what the checker read.

import type { History, ObjectSummary, RuntimeRecord, Time } from '../harness/history/history.js';
import type { Violation } from '../harness/invariants/invariant.js';
import { coord, escapeXml, relativeSeconds, runStart, truncate } from './markup.js';
import { timeScale } from './time-scale.js';

export interface TimelineOptions {
  /** Drawn as red lines at their times; the pods they name are always shown. */
  readonly violations?: readonly Violation[];
  readonly title?: string;
  /** SVG width in pixels (default 1200). */
  readonly width?: number;
  /** At most this many pod rows (default 40); pods a violation names come first. */
  readonly maxPods?: number;
  /** At most this many operation rows (default 15). */
  readonly maxOperations?: number;
}

export interface PodSegment {
  readonly from: Time;
  readonly to: Time;
  readonly phase: string;
  readonly deleting: boolean;
  readonly nodeName?: string;
  readonly ready?: boolean;
  readonly resourceVersion: number;
  readonly containerStates?: Readonly<Record<string, string>>;
}

export interface ContainerRun {
  readonly container: string;
  readonly containerId: string;
  readonly node: string;
  readonly from: Time;
  readonly to: Time;
  /** How the run ended: a runtime record type, or 'running' when it still ran at the end. */
  readonly ended: 'exited' | 'killed' | 'removed' | 'running';
  readonly exitCode?: number;
}

export interface PodRow {
  readonly uid: string;
  readonly name: string;
  readonly nodeName?: string;
  readonly segments: readonly PodSegment[];
  readonly containers: readonly ContainerRun[];
  /** When the pod's DELETED event arrived, if it did. */
  readonly deletedAt?: Time;
  /** A violation names this pod. */
  readonly focus: boolean;
}

export interface FaultBar {
  readonly kind: string;
  readonly target: string;
  readonly from: Time;
  readonly to: Time;
  readonly healed: boolean;
  readonly detail?: string;
}

export interface OperationMark {
  readonly time: Time;
  readonly label: string;
  readonly ok: boolean;
}

export interface Marker {
  readonly time: Time;
  /** Empty for a line drawn without a label (further violations). */
  readonly label: string;
  readonly kind: 'violation' | 'healed' | 'deadline';
  readonly detail?: string;
}

export interface TimelineModel {
  readonly start: Time;
  readonly end: Time;
  readonly pods: readonly PodRow[];
  /** Pods left out to keep the picture readable. */
  readonly hiddenPods: number;
  readonly faults: readonly FaultBar[];
  readonly operations: readonly OperationMark[];
  readonly hiddenOperations: number;
  readonly markers: readonly Marker[];
}

/** "default/web-7d9" from a violation's objects ("pod default/web-7d9"), or undefined. */
function podNamesIn(violations: readonly Violation[]): Set<string> {
  const names = new Set<string>();
  for (const v of violations) {
    for (const o of v.objects ?? []) {
      const m = /^pod ([^ ]+)$/i.exec(o);
      if (m) names.add(m[1]!);
    }
    for (const m of v.message.matchAll(/\bpod ([a-z0-9.-]+\/[a-z0-9.-]+)/g)) names.add(m[1]!);
  }
  return names;
}

const qualifiedName = (o: Pick<ObjectSummary, 'namespace' | 'name'>) => (o.namespace ? `${o.namespace}/${o.name}` : o.name);

function containerRuns(records: readonly RuntimeRecord[], end: Time): Map<string, ContainerRun[]> {
  const byPod = new Map<string, ContainerRun[]>();
  const open = new Map<string, { record: RuntimeRecord; podUid: string }>();
  const close = (id: string, to: Time, ended: ContainerRun['ended'], exitCode?: number) => {
    const o = open.get(id);
    if (!o) return;
    open.delete(id);
    const run: ContainerRun = {
      container: o.record.container ?? id,
      containerId: id,
      node: o.record.node,
      from: o.record.time,
      to,
      ended,
      ...(exitCode !== undefined ? { exitCode } : {}),
    };
    const list = byPod.get(o.podUid) ?? [];
    list.push(run);
    byPod.set(o.podUid, list);
  };
  for (const r of [...records].sort((a, b) => a.time - b.time)) {
    if (!r.pod) continue;
    if (r.type === 'started') open.set(r.containerId, { record: r, podUid: r.pod.uid });
    else if (r.type === 'exited' || r.type === 'killed' || r.type === 'removed') close(r.containerId, r.time, r.type, r.exitCode);
  }
  for (const id of [...open.keys()]) close(id, end, 'running');
  return byPod;
}

function faultBars(history: History, end: Time): FaultBar[] {
  const bars: FaultBar[] = [];
  const open: { kind: string; target: string; from: Time; detail?: string }[] = [];
  for (const f of [...history.faults].sort((a, b) => a.time - b.time)) {
    if (f.phase === 'inject') open.push({ kind: f.kind, target: f.target, from: f.time, ...(f.detail ? { detail: f.detail } : {}) });
    else {
      const i = open.findIndex((o) => o.kind === f.kind && o.target === f.target);
      if (i < 0) continue;
      const [o] = open.splice(i, 1);
      bars.push({ ...o!, to: f.time, healed: true });
    }
  }
  for (const o of open) bars.push({ ...o, to: end, healed: false });
  return bars.sort((a, b) => a.from - b.from);
}

/** What the timeline draws, computed from the history alone. */
export function timelineModel(history: History, options: TimelineOptions = {}): TimelineModel {
  const violations = options.violations ?? [];
  const recorded: Time[] = [
    ...(history.audit ?? []).map((a) => a.time),
    ...(history.storeWrites ?? []).map((w) => w.time),
    ...history.watches.map((w) => w.time),
    ...history.operations.map((o) => o.time),
    ...history.faults.map((f) => f.time),
    ...(history.runtime ?? []).map((r) => r.time),
  ];
  const start = runStart(recorded);
  const end = Math.max(start, ...recorded, history.final?.time ?? start, history.convergedAt ?? start, ...violations.flatMap((v) => (v.time !== undefined ? [v.time] : [])));

  // Pods as the watch streams saw them; several observers may report one version.
  const events = history.watches.filter((w) => w.object.kind === 'Pod').sort((a, b) => a.time - b.time);
  const byUid = new Map<string, typeof events>();
  for (const e of events) {
    const list = byUid.get(e.object.uid) ?? [];
    const last = list[list.length - 1];
    if (!last || last.object.resourceVersion !== e.object.resourceVersion || last.type !== e.type) list.push(e);
    byUid.set(e.object.uid, list);
  }
  const runs = containerRuns(history.runtime ?? [], end);
  const focusNames = podNamesIn(violations);
  const finalUids = new Set((history.final?.objects ?? []).filter((o) => o.kind === 'Pod').map((o) => o.uid));
  const rows: PodRow[] = [];
  for (const [uid, list] of byUid) {
    const segments: PodSegment[] = [];
    let deletedAt: Time | undefined;
    list.forEach((e, i) => {
      if (e.type === 'DELETED') {
        deletedAt = e.time;
        return;
      }
      const next = list[i + 1];
      const o = e.object;
      const segment: PodSegment = {
        from: e.time,
        to: next ? next.time : end,
        phase: o.phase ?? 'Unknown',
        deleting: o.deleting === true,
        resourceVersion: o.resourceVersion,
        ...(o.nodeName ? { nodeName: o.nodeName } : {}),
        ...(o.ready !== undefined ? { ready: o.ready } : {}),
        ...(o.containerStates ? { containerStates: o.containerStates } : {}),
      };
      // Merge versions that look the same on the picture; the tooltip keeps the first.
      const prev = segments[segments.length - 1];
      if (prev && prev.to === segment.from && prev.phase === segment.phase && prev.deleting === segment.deleting && prev.nodeName === segment.nodeName && prev.ready === segment.ready) {
        segments[segments.length - 1] = { ...prev, to: segment.to };
      } else segments.push(segment);
    });
    // A pod whose stream ended without a DELETED event and that the final state lacks is
    // unknown after its last event: stop its bar there rather than invent a state.
    if (deletedAt === undefined && history.final && !finalUids.has(uid) && segments.length > 0) {
      const lastEvent = list[list.length - 1]!;
      const lastSegment = segments[segments.length - 1]!;
      segments[segments.length - 1] = { ...lastSegment, to: Math.max(lastSegment.from, lastEvent.time) };
    }
    const first = list[0]!.object;
    const nodeName = [...list].reverse().find((e) => e.object.nodeName)?.object.nodeName;
    const name = qualifiedName(first);
    rows.push({ uid, name, ...(nodeName ? { nodeName } : {}), segments, containers: runs.get(uid) ?? [], ...(deletedAt !== undefined ? { deletedAt } : {}), focus: focusNames.has(name) });
  }
  // Containers of pods no watch event showed (orphans of pods created and deleted unseen).
  for (const [uid, list] of runs) {
    if (byUid.has(uid)) continue;
    const record = (history.runtime ?? []).find((r) => r.pod?.uid === uid);
    const name = record?.pod ? `${record.pod.namespace}/${record.pod.name}` : uid;
    rows.push({ uid, name, ...(record ? { nodeName: record.node } : {}), segments: [], containers: list, focus: focusNames.has(name) });
  }
  const firstSeen = (r: PodRow) => Math.min(r.segments[0]?.from ?? Infinity, r.containers[0]?.from ?? Infinity);
  rows.sort((a, b) => firstSeen(a) - firstSeen(b) || a.name.localeCompare(b.name));
  const maxPods = options.maxPods ?? 40;
  const focus = rows.filter((r) => r.focus);
  const kept = new Set([...focus, ...rows.filter((r) => !r.focus).slice(0, Math.max(0, maxPods - focus.length))]);
  const pods = rows.filter((r) => kept.has(r));

  const maxOperations = options.maxOperations ?? 15;
  const operations = history.operations.map((o) => ({
    time: o.time,
    label: `#${o.index} ${o.op}${o.kind ? ` ${o.kind}` : ''} ${o.target} → ${o.code === 0 ? 'no answer' : o.code}`,
    ok: o.code > 0 && o.code < 400,
  }));

  const markers: Marker[] = [];
  // One labelled line for the first violation; the rest are lines whose tooltips name them.
  const timed = violations.filter((v) => v.time !== undefined);
  timed.forEach((v, i) =>
    markers.push({ time: v.time!, label: i === 0 ? `violation: ${v.invariant}${timed.length > 1 ? ` (×${timed.length})` : ''}` : '', kind: 'violation', detail: v.message }),
  );
  if (history.faults.length > 0) markers.push({ time: history.healedAt, label: 'faults healed', kind: 'healed' });
  const deadline = history.healedAt + history.convergenceBoundMs;
  if (deadline <= end && deadline >= start) markers.push({ time: deadline, label: 'convergence deadline', kind: 'deadline' });

  return {
    start,
    end,
    pods,
    hiddenPods: rows.length - pods.length,
    faults: faultBars(history, end),
    operations: operations.slice(0, maxOperations),
    hiddenOperations: Math.max(0, operations.length - maxOperations),
    markers,
  };
}

export const PHASE_COLORS: Readonly<Record<string, string>> = {
  Pending: '#f0ad4e',
  Running: '#4caf50',
  Succeeded: '#42a5f5',
  Failed: '#e53935',
  Unknown: '#9e9e9e',
};

const LABEL_WIDTH = 300;
const ROW = 18;
const POD_ROW = 26;
const SECTION = 22;

/** Renders the timeline of a run as a standalone SVG document. */
export function renderTimeline(history: History, options: TimelineOptions = {}): string {
  const model = timelineModel(history, options);
  const width = options.width ?? 1200;
  const plotLeft = LABEL_WIDTH + 10;
  const plotWidth = width - plotLeft - 24;
  const keyTimes: Time[] = [model.start, model.end];
  for (const p of model.pods) {
    for (const s of p.segments) keyTimes.push(s.from, s.to);
    for (const c of p.containers) keyTimes.push(c.from, c.to);
    if (p.deletedAt !== undefined) keyTimes.push(p.deletedAt);
  }
  for (const f of model.faults) keyTimes.push(f.from, f.to);
  for (const o of model.operations) keyTimes.push(o.time);
  for (const m of model.markers) keyTimes.push(m.time);
  const scale = timeScale(keyTimes, { left: plotLeft, width: plotWidth });
  const rel = (t: Time) => relativeSeconds(t - model.start);

  const body: string[] = [];
  let y = 74;
  const section = (title: string, note?: string) => {
    body.push(`<text x="8" y="${y + 15}" class="section">${escapeXml(title)}</text>`);
    if (note) body.push(`<text x="${plotLeft}" y="${y + 15}" class="note">${escapeXml(note)}</text>`);
    y += SECTION;
  };
  const rowLabel = (text: string, rowY: number, cls = 'label') => body.push(`<text x="14" y="${rowY}" class="${cls}">${escapeXml(truncate(text, 46))}<title>${escapeXml(text)}</title></text>`);
  const bar = (from: Time, to: Time, barY: number, height: number, attrs: string, tooltip: string) => {
    const x0 = scale.x(from);
    const w = Math.max(2, scale.x(to) - x0);
    body.push(`<rect x="${coord(x0)}" y="${coord(barY)}" width="${coord(w)}" height="${height}" ${attrs}><title>${escapeXml(tooltip)}</title></rect>`);
  };
  const plotTop = y;

  section('Operations', model.operations.length === 0 ? 'none' : model.hiddenOperations > 0 ? `${model.hiddenOperations} more not shown` : undefined);
  for (const o of model.operations) {
    rowLabel(o.label, y + 13, o.ok ? 'label' : 'label bad');
    const x = scale.x(o.time);
    body.push(`<path d="M${coord(x - 5)},${y + 3} L${coord(x + 5)},${y + 3} L${coord(x)},${y + 13} Z" class="${o.ok ? 'op' : 'op bad'}"><title>${escapeXml(`${rel(o.time)} ${o.label}`)}</title></path>`);
    y += ROW;
  }

  section('Faults', model.faults.length === 0 ? 'none injected' : undefined);
  for (const f of model.faults) {
    const label = `${f.kind} → ${f.target}`;
    rowLabel(label, y + 13);
    const what = `${label}${f.detail ? ` (${f.detail})` : ''}`;
    if (f.healed) bar(f.from, f.to, y + 3, 11, 'class="fault"', `${what}: injected ${rel(f.from)}, healed ${rel(f.to)}`);
    else {
      // No heal recorded: an instantaneous fault (a kill, a stale update), drawn as a point.
      const x = scale.x(f.from);
      body.push(`<path d="M${coord(x)},${y + 2} L${coord(x + 6)},${y + 8.5} L${coord(x)},${y + 15} L${coord(x - 6)},${y + 8.5} Z" class="fault"><title>${escapeXml(`${what}: at ${rel(f.from)}, no heal recorded`)}</title></path>`);
    }
    y += ROW;
  }

  section('Pods', model.pods.length === 0 ? 'no pod was observed' : `phase as the watch streams saw it; thin bar: its containers as the node's runtime ran them${model.hiddenPods > 0 ? `; ${model.hiddenPods} more pods not shown` : ''}`);
  for (const p of model.pods) {
    rowLabel(`${p.name}${p.nodeName ? ` @${p.nodeName}` : ''}`, y + 14, p.focus ? 'label focus' : 'label');
    for (const s of p.segments) {
      const color = PHASE_COLORS[s.phase] ?? PHASE_COLORS.Unknown!;
      const states = s.containerStates ? Object.entries(s.containerStates).map(([c, st]) => `${c}=${st}`).join(', ') : '';
      const tooltip = `pod ${p.name}: ${s.phase}${s.deleting ? ' (deleting)' : ''}${s.ready ? ', ready' : ''}${s.nodeName ? ` on ${s.nodeName}` : ', unscheduled'}${states ? `; containers ${states}` : ''}; ${rel(s.from)} – ${rel(s.to)} (resourceVersion ${s.resourceVersion})`;
      bar(s.from, s.to, y + 4, 12, `fill="${color}"${s.deleting ? ' class="deleting"' : ''}`, tooltip);
      if (s.deleting) bar(s.from, s.to, y + 4, 12, 'fill="url(#kp-tl-hatch)"', tooltip);
    }
    if (p.deletedAt !== undefined) {
      const x = scale.x(p.deletedAt);
      body.push(`<path d="M${coord(x)},${y + 2} L${coord(x)},${y + 18}" class="deleted"><title>${escapeXml(`pod ${p.name} deleted ${rel(p.deletedAt)}`)}</title></path>`);
    }
    for (const c of p.containers) {
      // The part of a container's life after its pod was deleted is drawn red: an orphan.
      const orphanFrom = p.deletedAt !== undefined && c.to > p.deletedAt ? Math.max(c.from, p.deletedAt) : undefined;
      const tooltip = `container ${c.container} (${c.containerId}) on ${c.node}: started ${rel(c.from)}, ${c.ended === 'running' ? 'still running at the end' : `${c.ended} ${rel(c.to)}${c.exitCode !== undefined ? ` with code ${c.exitCode}` : ''}`}${orphanFrom !== undefined ? `; outlived its pod (deleted ${rel(orphanFrom)})` : ''}`;
      if (orphanFrom === undefined || orphanFrom > c.from) bar(c.from, orphanFrom ?? c.to, y + 18, 5, 'class="container"', tooltip);
      if (orphanFrom !== undefined) bar(orphanFrom, c.to, y + 18, 5, 'class="container orphan"', tooltip);
    }
    y += POD_ROW;
  }
  const plotBottom = y + 4;

  // Axis, breaks and markers span every section.
  const axis: string[] = [];
  axis.push(`<path d="M${plotLeft},${plotBottom} L${plotLeft + plotWidth},${plotBottom}" class="axis"/>`);
  for (const t of scale.ticks) {
    const x = coord(scale.x(t));
    axis.push(`<path d="M${x},${plotTop} L${x},${plotBottom}" class="grid"/>`);
    axis.push(`<text x="${x}" y="${plotBottom + 14}" class="tick">${escapeXml(rel(t))}</text>`);
  }
  for (const b of scale.breaks) {
    const x0 = scale.x(b.from);
    const x1 = scale.x(b.to);
    const mid = (x0 + x1) / 2;
    axis.push(`<rect x="${coord(x0)}" y="${plotTop}" width="${coord(Math.max(1, x1 - x0))}" height="${plotBottom - plotTop}" class="break"><title>${escapeXml(`${((b.to - b.from) / 1000).toFixed(1)} s without events, drawn compressed`)}</title></rect>`);
    axis.push(`<text x="${coord(mid)}" y="${plotBottom + 26}" class="tick">${escapeXml(`≈${((b.to - b.from) / 1000).toFixed(1)}s`)}</text>`);
  }
  const markers: string[] = [];
  // Each label takes the lowest of three lines where it does not overlap an earlier one.
  const lineEnds = [-Infinity, -Infinity, -Infinity];
  for (const m of model.markers) {
    const px = scale.x(m.time);
    const x = coord(px);
    markers.push(`<path d="M${x},${plotTop - 6} L${x},${plotBottom}" class="marker ${m.kind}"><title>${escapeXml(`${m.detail ?? m.label} at ${rel(m.time)}`)}</title></path>`);
    if (!m.label) continue;
    const textWidth = m.label.length * 6;
    // Labels near the right edge end at their line instead of running off the picture.
    const atEnd = px + textWidth / 2 > width - 8;
    const from = atEnd ? px - textWidth : px - textWidth / 2;
    const line = Math.max(0, lineEnds.findIndex((end) => end < from));
    lineEnds[line] = from + textWidth + 6;
    markers.push(`<text x="${x}" y="${plotTop - 8 - line * 10}" class="marker-label ${m.kind}"${atEnd ? ' style="text-anchor:end"' : ''}>${escapeXml(m.label)}</text>`);
  }

  const legendY = plotBottom + 44;
  const legend: string[] = [];
  let lx = 14;
  const legendItem = (swatch: string, text: string) => {
    legend.push(`${swatch.replace('LX', String(lx))}<text x="${lx + 18}" y="${legendY + 10}" class="legend">${escapeXml(text)}</text>`);
    lx += 26 + text.length * 6.5;
  };
  for (const [phase, color] of Object.entries(PHASE_COLORS)) legendItem(`<rect x="LX" y="${legendY}" width="14" height="11" fill="${color}"/>`, phase);
  legendItem(`<rect x="LX" y="${legendY}" width="14" height="11" fill="#4caf50"/><rect x="LX" y="${legendY}" width="14" height="11" fill="url(#kp-tl-hatch)"/>`, 'deleting');
  legendItem(`<rect x="LX" y="${legendY + 4}" width="14" height="5" class="container"/>`, 'container running');
  legendItem(`<rect x="LX" y="${legendY + 4}" width="14" height="5" class="container orphan"/>`, 'container outliving its pod');
  legendItem(`<rect x="LX" y="${legendY}" width="14" height="11" class="fault"/>`, 'fault');
  legendItem(`<path d="M${lx + 7},${legendY - 2} L${lx + 7},${legendY + 13}" class="marker violation"/>`, 'violation');

  const height = legendY + 28;
  const title = options.title ?? `Timeline of run${history.seed !== undefined ? ` seed ${history.seed}` : ''} on ${history.target}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" data-kubeprop="timeline">`,
    '<defs><pattern id="kp-tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><path d="M0,0 L0,6" stroke="#ffffff" stroke-width="3" stroke-opacity="0.7"/></pattern></defs>',
    '<style>.section{font-size:13px;font-weight:600;fill:#222}.note{font-size:11px;fill:#777}.label{font-size:11.5px;fill:#333}.label.bad{fill:#c62828}.label.focus{font-weight:700;fill:#b71c1c}' +
      '.op{fill:#3949ab}.op.bad{fill:#c62828}.fault{fill:#8e24aa;fill-opacity:.75}.container{fill:#1b5e20}.container.orphan{fill:#d32f2f}.deleted{stroke:#212121;stroke-width:2}' +
      '.axis{stroke:#555}.grid{stroke:#e3e3e3}.tick{font-size:10px;fill:#555;text-anchor:middle}.break{fill:#f2f2f2}.legend{font-size:11px;fill:#333}' +
      '.marker{stroke-width:2}.marker.violation{stroke:#d50000}.marker.healed{stroke:#1e88e5;stroke-dasharray:5 3}.marker.deadline{stroke:#757575;stroke-dasharray:2 3}' +
      '.marker-label{font-size:10.5px;text-anchor:middle}.marker-label.violation{fill:#d50000;font-weight:700}.marker-label.healed{fill:#1e88e5}.marker-label.deadline{fill:#616161}</style>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="18" style="font-size:15px;font-weight:700;fill:#111">${escapeXml(title)}</text>`,
    `<text x="8" y="34" class="note">times are seconds since the run began (${escapeXml(String(model.start / 1000))}s on the target's clock); idle stretches are compressed</text>`,
    ...axis,
    ...body,
    ...markers,
    ...legend,
    '</svg>',
  ].join('\n');
}
