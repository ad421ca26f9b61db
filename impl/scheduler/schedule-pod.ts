// One scheduling decision, as a pure function of the pod, the snapshot, the plugins and a
// random source: filter every node (a node's check stops at its first failing filter, as
// upstream's RunFilterPlugins does), score the feasible ones, pick the best, and break ties
// at random. The loop in scheduler.ts does everything that touches the API around this.

import type { Random } from '../env/random.js';
import { fitErrorMessage } from './fit-error.js';
import type { Profile } from './framework.js';
import type { NodeInfo, PodInfo, Snapshot } from './snapshot.js';

export type ScheduleResult =
  | { readonly kind: 'scheduled'; readonly node: string; readonly feasible: number; readonly scores: ReadonlyMap<string, number> }
  | { readonly kind: 'unschedulable'; readonly message: string; readonly reasons: ReadonlyMap<string, readonly string[]> };

export function schedulePod(pod: PodInfo, snapshot: Snapshot, profile: Profile, random: Random): ScheduleResult {
  const feasible: NodeInfo[] = [];
  const reasons = new Map<string, readonly string[]>();
  for (const node of snapshot.nodes) {
    let failed: readonly string[] = [];
    for (const f of profile.filters) {
      failed = f.filter(pod, node, snapshot);
      if (failed.length > 0) break;
    }
    if (failed.length > 0) reasons.set(node.name, failed);
    else feasible.push(node);
  }
  if (feasible.length === 0) return { kind: 'unschedulable', message: fitErrorMessage(snapshot.nodes.length, reasons), reasons };
  // One feasible node needs no ranking (upstream skips scoring too).
  if (feasible.length === 1) {
    const only = feasible[0] as NodeInfo;
    return { kind: 'scheduled', node: only.name, feasible: 1, scores: new Map([[only.name, 0]]) };
  }
  const totals = feasible.map(() => 0);
  for (const plugin of profile.scores) {
    const raw = feasible.map((n) => plugin.score(pod, n, snapshot));
    const normalized = plugin.normalize ? plugin.normalize(raw) : raw;
    normalized.forEach((s, i) => (totals[i] = (totals[i] as number) + s * plugin.weight));
  }
  const best = Math.max(...totals);
  const top = feasible.filter((_, i) => totals[i] === best);
  const chosen = top.length === 1 ? (top[0] as NodeInfo) : random.pick(top);
  return { kind: 'scheduled', node: chosen.name, feasible: feasible.length, scores: new Map(feasible.map((n, i) => [n.name, totals[i] as number])) };
}
