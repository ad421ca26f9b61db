// A horizontal time axis for the timeline that compresses idle stretches: a run's interesting
// moments (operations, faults, pod changes) often fill one second of a two-minute quiet
// period, and a linear axis would squeeze them into a few pixels. Gaps longer than a
// threshold become fixed-width "breaks", labelled with the time they skip.

export interface TimeBreak {
  readonly from: number;
  readonly to: number;
}

export interface TimeScale {
  readonly start: number;
  readonly end: number;
  /** The x coordinate of a time; monotonic, clamped to [start, end]. */
  x(time: number): number;
  /** Idle stretches drawn compressed. */
  readonly breaks: readonly TimeBreak[];
  /** Times worth a labelled tick, outside breaks, spaced at least `minTickPx` apart. */
  readonly ticks: readonly number[];
}

export interface TimeScaleOptions {
  readonly left: number;
  readonly width: number;
  /** Gaps longer than this many ms (and 5% of the span) become breaks. Default 2000. */
  readonly minBreakMs?: number;
  readonly minTickPx?: number;
}

const NICE_STEPS = [1, 2, 5];

/** The smallest 1, 2 or 5 × 10^k that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const s of NICE_STEPS) if (s * power >= raw) return s * power;
  return 10 * power;
}

/** Builds a scale through the given key times (every time something is drawn at). */
export function timeScale(keyTimes: Iterable<number>, options: TimeScaleOptions): TimeScale {
  const points = [...new Set([...keyTimes].filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  if (points.length === 0) points.push(0);
  const start = points[0]!;
  const end = points[points.length - 1]!;
  const span = end - start;
  const threshold = Math.max(options.minBreakMs ?? 2000, span * 0.05);
  const gaps = points.slice(1).map((p, i) => ({ from: points[i]!, to: p, isBreak: p - points[i]! > threshold }));
  const active = gaps.filter((g) => !g.isBreak).reduce((sum, g) => sum + (g.to - g.from), 0);
  // Each break is drawn as wide as 6% of the active time, so breaks stay visible but small.
  const breakUnits = active > 0 ? Math.max(active * 0.06, 1e-3) : 1;
  const units: number[] = [0];
  for (const g of gaps) units.push(units[units.length - 1]! + (g.isBreak ? breakUnits : g.to - g.from));
  const total = units[units.length - 1]!;

  const x = (time: number): number => {
    if (total <= 0) return options.left;
    const t = Math.min(end, Math.max(start, time));
    // Binary search for the gap holding t.
    let lo = 0;
    let hi = points.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (points[mid]! <= t) lo = mid;
      else hi = mid;
    }
    const from = points[lo]!;
    const to = points[hi]!;
    const u0 = units[lo]!;
    const u1 = units[hi]!;
    const u = to === from ? u0 : u0 + ((t - from) / (to - from)) * (u1 - u0);
    return options.left + (u / total) * options.width;
  };

  const breaks = gaps.filter((g) => g.isBreak).map((g) => ({ from: g.from, to: g.to }));
  const ticks: number[] = [];
  const minTickPx = options.minTickPx ?? 60;
  const step = niceStep(active / 8);
  let lastX = -Infinity;
  const tryTick = (t: number) => {
    const px = x(t);
    if (px - lastX >= minTickPx) {
      ticks.push(t);
      lastX = px;
    }
  };
  // Ticks at round offsets from the start inside each linear stretch; the ends of breaks too.
  let runFrom = start;
  const runs: TimeBreak[] = [];
  for (const b of breaks) {
    runs.push({ from: runFrom, to: b.from });
    runFrom = b.to;
  }
  runs.push({ from: runFrom, to: end });
  for (const r of runs) {
    tryTick(r.from);
    const first = start + Math.ceil((r.from - start) / step) * step;
    for (let t = first; t <= r.to && ticks.length < 200; t += step) if (t > r.from) tryTick(t);
  }
  return { start, end, x, breaks, ticks };
}
