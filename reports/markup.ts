// Small helpers the report renderers share for writing SVG and HTML as strings: escaping,
// truncation and number formatting. Kept dependency-free so renderers stay pure functions.

/** Escapes text for XML/HTML element content and double-quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Shortens text to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A coordinate with at most one decimal, so SVG output stays small and stable. */
export function coord(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/**
 * "+10.075s": milliseconds since the start of the run, as the timeline and sequence diagram
 * label times (the history's absolute virtual clock starts at an arbitrary epoch).
 */
export function relativeSeconds(ms: number): string {
  return `+${Number((ms / 1000).toFixed(3))}s`;
}

/** The earliest time anything in a run was recorded at; renderers measure from it. */
export function runStart(times: Iterable<number>): number {
  let min = Infinity;
  for (const t of times) if (t < min) min = t;
  return Number.isFinite(min) ? min : 0;
}
