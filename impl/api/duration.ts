// Ages as kubectl and server-side Tables print them ("5s", "2m3s", "3h4m", "2d3h", "5d"):
// k8s.io/apimachinery/pkg/util/duration, from a span in milliseconds.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's integer division of durations: truncation toward zero. */
function div(a: number, b: number): number {
  return Math.trunc(a / b);
}

function checked(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`duration ${ms} ms is not finite`);
  return Math.trunc(ms);
}

/**
 * HumanDuration: two to three significant figures, the AGE column's form. Spans down to
 * -1.999s print "0s" (clock skew between machines); further in the future is "<invalid>".
 */
export function humanDuration(ms: number): string {
  const d = checked(ms);
  const seconds = div(d, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = div(d, MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = div(d, HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${div(hours, 24)}d` : `${div(hours, 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${div(hours, 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = div(hours, 24) % 365;
    return dy === 0 ? `${div(hours, 24 * 365)}y` : `${div(hours, 24 * 365)}y${dy}d`;
  }
  return `${div(hours, 24 * 365)}y`;
}

/** ShortHumanDuration: one unit only ("90s" is "1m"), as some kubectl columns use. */
export function shortHumanDuration(ms: number): string {
  const d = checked(ms);
  const seconds = div(d, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = div(d, MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = div(d, HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${div(hours, 24)}d`;
  return `${div(hours, 24 * 365)}y`;
}

/**
 * translateTimestampSince of kubectl's printers: the age of a timestamp at `nowMs`, or
 * "<unknown>" when the object has none.
 */
export function translateTimestampSince(timestampMs: number | undefined, nowMs: number): string {
  if (timestampMs === undefined) return '<unknown>';
  return humanDuration(nowMs - timestampMs);
}
