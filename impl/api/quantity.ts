// resource.Quantity: the fixed-point numbers of requests, limits, capacity and allocatable
// ("100m", "256Mi", "1e3"), parsed, compared, added and printed exactly as
// k8s.io/apimachinery/pkg/api/resource does it, with bigint arithmetic and never a float.

/** How a quantity prints: "12e6", "12Mi" (12 × 2^20) or "12M" (12 × 10^6). */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** Upstream's ErrFormatWrong text. */
export const ERR_QUANTITY_FORMAT =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** Upstream's ErrNumeric text. */
export const ERR_QUANTITY_NUMERIC = 'unable to parse numeric part of quantity';
/** Upstream's ErrSuffix text. */
export const ERR_QUANTITY_SUFFIX = "unable to parse quantity's suffix";

/** A string that is not a quantity; the message is upstream's. */
export class QuantityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

const INT64_MAX = (1n << 63n) - 1n;
/** Parsed quantities are rounded up to nano units (10^-9), so no exponent is below this. */
const NANO = -9;

const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['n', -9], ['u', -6], ['m', -3], ['', 0], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18],
]);
const DECIMAL_SUFFIX_BY_EXPONENT: ReadonlyMap<number, string> = new Map([...DECIMAL_SUFFIXES].map(([s, e]) => [e, s]));
const BINARY_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60],
]);
const BINARY_SUFFIX_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SUFFIX_CHARS = 'eEinumkKMGTP';

/**
 * An immutable quantity. The amount is mantissa × 10^exponent, normalised so the mantissa
 * has no trailing zero digits (zero is 0 × 10^0) and the exponent is at least -9; equal
 * amounts therefore have equal fields. `format` only decides how the amount prints.
 * Amounts are unbounded: value() of "1e2000000000" throws RangeError (too large for a
 * bigint) where upstream's int64 would silently wrap.
 */
export class Quantity {
  private constructor(
    private readonly mantissa: bigint,
    private readonly exponent: number,
    readonly format: QuantityFormat,
    /**
     * The text it was parsed from, when upstream keeps it: ParseQuantity reuses the input
     * when it judges it canonical, and that judgement lets "+1", "1E3" and "01Ki" through
     * unchanged. Serialising them back as given is what a real API server does.
     */
    private readonly parsedText?: string,
  ) {}

  private static of(mantissa: bigint, exponent: number, format: QuantityFormat, parsedText?: string): Quantity {
    if (mantissa === 0n) return new Quantity(0n, 0, format, parsedText);
    const digits = abs(mantissa).toString();
    let zeros = 0;
    while (digits[digits.length - 1 - zeros] === '0') zeros++;
    const m = zeros === 0 ? mantissa : mantissa / 10n ** BigInt(zeros);
    return new Quantity(m, exponent + zeros, format, parsedText);
  }

  /** ParseQuantity. Throws QuantityParseError with upstream's message. */
  static parse(text: string): Quantity {
    const p = parseAmount(text);
    return Quantity.of(p.mantissa, p.exponent, p.format, p.parsedText);
  }

  /**
   * A quantity as JSON decoding gives it (Quantity.UnmarshalJSON): a string, trimmed; a
   * number, through JavaScript's text for it; null, zero. JSON.parse has already lost the
   * number's own text, so `1e3` arrives as 1000 and prints "1k" where upstream keeps "1e3".
   */
  static fromJSON(value: unknown): Quantity {
    if (value === null) return Quantity.fromValue(0);
    if (typeof value === 'string') return Quantity.parse(value.trim());
    if (typeof value === 'number' && Number.isFinite(value)) return Quantity.parse(String(value));
    throw new QuantityParseError(ERR_QUANTITY_FORMAT);
  }

  /** NewQuantity: a whole number of units. */
  static fromValue(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return Quantity.of(toBigInt(value), 0, format);
  }

  /** NewMilliQuantity: thousandths of a unit (cpu millicores). */
  static fromMilli(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return Quantity.of(toBigInt(milli), -3, format);
  }

  sign(): -1 | 0 | 1 {
    return this.mantissa > 0n ? 1 : this.mantissa < 0n ? -1 : 0;
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  /** -1, 0 or 1 as this amount is less than, equal to or greater than the other's. */
  cmp(other: Quantity): -1 | 0 | 1 {
    return compareAmounts(this.mantissa, this.exponent, other.mantissa, other.exponent);
  }

  /** Equal amounts, whatever their formats ("1Ki" equals "1024"). */
  equals(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** The sum, in this quantity's format, or the other's when this one is zero (as upstream). */
  add(other: Quantity): Quantity {
    const e = Math.min(this.exponent, other.exponent);
    const sum = shift(this.mantissa, this.exponent - e) + shift(other.mantissa, other.exponent - e);
    return Quantity.of(sum, e, this.isZero() ? other.format : this.format);
  }

  /** The difference, in this quantity's format, or the other's when this one is zero. */
  sub(other: Quantity): Quantity {
    return this.add(other.neg());
  }

  neg(): Quantity {
    return Quantity.of(-this.mantissa, this.exponent, this.format);
  }

  /** Value(): whole units, rounded away from zero ("100m" → 1n, "-1.5" → -2n). */
  value(): bigint {
    return roundAwayFromZero(this.mantissa, this.exponent, 0);
  }

  /** MilliValue(): thousandths, rounded away from zero ("1n" → 1n). */
  milliValue(): bigint {
    return roundAwayFromZero(this.mantissa, this.exponent, -3);
  }

  /** The form upstream serialises: the parsed text when it kept it, otherwise canonical. */
  toString(): string {
    return this.parsedText ?? canonical(this.mantissa, this.exponent, this.format);
  }

  toJSON(): string {
    return this.toString();
  }
}

/** ParseQuantity as a function; see Quantity.parse. */
export function parseQuantity(text: string): Quantity {
  return Quantity.parse(text);
}

interface ParsedAmount {
  readonly mantissa: bigint;
  readonly exponent: number;
  readonly format: QuantityFormat;
  readonly parsedText?: string;
}

interface Scanned {
  readonly positive: boolean;
  /** The numeric text as written, sign included: what upstream hands inf.Dec on its slow path. */
  readonly value: string;
  /** Integer digits without leading zeros ("0" when there are none). */
  readonly num: string;
  /** Fraction digits as written. */
  readonly denom: string;
  readonly suffix: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** parseQuantityString: splits sign, digits and suffix the way upstream's scanner does. */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };

  let i = pos;
  while (isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  const num = i === pos ? '0' : str.slice(pos, i);
  pos = i;

  let denom = '';
  if (str[pos] === '.') {
    pos++;
    let j = pos;
    while (isDigit(str[j])) j++;
    if (j >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
    denom = str.slice(pos, j);
    pos = j;
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos] as string)) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityParseError(ERR_QUANTITY_FORMAT);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

interface Suffix {
  readonly base: 2 | 10;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

function interpretSuffix(suffix: string): Suffix {
  const dec = DECIMAL_SUFFIXES.get(suffix);
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES.get(suffix);
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const parsed = parseInt64(suffix.slice(1));
    // Upstream keeps the exponent as int32(parsed): out-of-range exponents wrap.
    if (parsed !== undefined) return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  throw new QuantityParseError(ERR_QUANTITY_SUFFIX);
}

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, in int64 range. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > INT64_MAX || v < -INT64_MAX - 1n ? undefined : v;
}

function parseAmount(str: string): ParsedAmount {
  if (str.length === 0) throw new QuantityParseError(ERR_QUANTITY_FORMAT);
  if (str === '0') return { mantissa: 0n, exponent: 0, format: 'DecimalSI', parsedText: '0' };

  const { positive, value, num, denom, suffix } = scan(str);
  const { base, exponent, format } = interpretSuffix(suffix);

  // Upstream's int64 fast path. Its result equals the exact path below; what it adds is the
  // decision whether the input text is kept as the quantity's string.
  let precision: number;
  let scale: number;
  let multiplier = 1n;
  if (format === 'BinarySI') {
    scale = 0;
    if (exponent >= 0 && denom === '') {
      multiplier = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= NANO) {
      const shifted = num + denom;
      const digits = BigInt(shifted);
      const result = digits * multiplier;
      if (result <= INT64_MAX) {
        const keep =
          format === 'BinarySI'
            ? exponent % 10 === 0 && (digits & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return { mantissa: positive ? result : -result, exponent: scale, format, ...(keep ? { parsedText: str } : {}) };
      }
    }
  }

  // Exact path (upstream's inf.Dec): it needs at least one digit, so "+.e-10" fails here.
  if (!/[0-9]/.test(value)) throw new QuantityParseError(ERR_QUANTITY_NUMERIC);
  const digits = BigInt(num + denom);
  const magnitude =
    base === 10 ? roundUpToNano(digits, exponent - denom.length) : roundUpToNano(digits << BigInt(exponent), -denom.length);
  let { mantissa } = magnitude;
  let exp = magnitude.exponent;
  let fmt = format;
  // Non-zero values are rounded up to 1n (asking for a little must give a little); binary
  // amounts are capped at 2^63-1 and below 1 they print as decimal.
  if (fmt === 'BinarySI' && compareAmounts(mantissa, exp, INT64_MAX, 0) > 0) {
    mantissa = INT64_MAX;
    exp = 0;
  }
  if (fmt === 'BinarySI' && mantissa !== 0n && compareAmounts(mantissa, exp, 1n, 0) < 0) fmt = 'DecimalSI';
  return { mantissa: positive ? mantissa : -mantissa, exponent: exp, format: fmt };
}

/** digits × 10^exponent rounded up to a multiple of 10^-9 (digits ≥ 0). */
function roundUpToNano(digits: bigint, exponent: number): { mantissa: bigint; exponent: number } {
  if (digits === 0n) return { mantissa: 0n, exponent: 0 };
  if (exponent >= NANO) return { mantissa: digits, exponent };
  const drop = NANO - exponent;
  // Beyond its digit count the division is below one nano: it rounds up to exactly 1n,
  // and 10^drop (drop may be ~2^31) is never built.
  if (drop > digits.toString().length) return { mantissa: 1n, exponent: NANO };
  const div = 10n ** BigInt(drop);
  const q = digits / div;
  return { mantissa: digits % div === 0n ? q : q + 1n, exponent: NANO };
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function shift(mantissa: bigint, by: number): bigint {
  return by === 0 ? mantissa : mantissa * 10n ** BigInt(by);
}

function toBigInt(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`quantity amount ${value} is not a safe integer`);
  return BigInt(value);
}

function compareAmounts(m1: bigint, e1: number, m2: bigint, e2: number): -1 | 0 | 1 {
  const s1 = m1 > 0n ? 1 : m1 < 0n ? -1 : 0;
  const s2 = m2 > 0n ? 1 : m2 < 0n ? -1 : 0;
  if (s1 !== s2) return s1 < s2 ? -1 : 1;
  if (s1 === 0) return 0;
  const a1 = abs(m1);
  const a2 = abs(m2);
  // Compare orders of magnitude first so "1e100000" vs "1" never builds 10^100000.
  const mag1 = a1.toString().length + e1;
  const mag2 = a2.toString().length + e2;
  let c: -1 | 0 | 1;
  if (mag1 !== mag2) {
    c = mag1 < mag2 ? -1 : 1;
  } else {
    const e = Math.min(e1, e2);
    const x = shift(a1, e1 - e);
    const y = shift(a2, e2 - e);
    c = x < y ? -1 : x > y ? 1 : 0;
  }
  return s1 > 0 ? c : c === 0 ? 0 : c === 1 ? -1 : 1;
}

/** mantissa × 10^exponent in units of 10^scale, rounded away from zero. */
function roundAwayFromZero(mantissa: bigint, exponent: number, scale: number): bigint {
  if (exponent >= scale) return shift(mantissa, exponent - scale);
  const div = 10n ** BigInt(scale - exponent);
  const q = abs(mantissa) / div;
  const up = abs(mantissa) % div === 0n ? q : q + 1n;
  return mantissa < 0n ? -up : up;
}

/** CanonicalizeBytes: the largest suffix that loses nothing and leaves no fraction. */
function canonical(mantissa: bigint, exponent: number, format: QuantityFormat): string {
  if (mantissa === 0n) return '0';
  if (format === 'BinarySI') {
    // Below 1024 in magnitude, or fractional, a binary quantity prints as decimal SI.
    if (compareAmounts(abs(mantissa), exponent, 1024n, 0) >= 0 && exponent >= 0) {
      let v = shift(mantissa, exponent);
      let power = 0;
      // Upstream strips every factor of 1024 and then finds no suffix beyond Ei, printing
      // 2^70 as "1"; stopping at Ei keeps the amount.
      while (power < BINARY_SUFFIX_BY_POWER.length - 1 && v % 1024n === 0n) {
        v /= 1024n;
        power++;
      }
      return `${v}${BINARY_SUFFIX_BY_POWER[power]}`;
    }
    format = 'DecimalSI';
  }
  // The normalised mantissa already has every factor of ten moved into the exponent;
  // lower the exponent to a multiple of three.
  const e3 = Math.floor(exponent / 3) * 3;
  const number = shift(mantissa, exponent - e3);
  if (format === 'DecimalSI') {
    const suffix = DECIMAL_SUFFIX_BY_EXPONENT.get(e3);
    // Beyond "E" there is no SI suffix; current upstream falls back to "1e21" (1.32 printed
    // "1", silently losing 10^21), and so do we.
    if (suffix !== undefined) return `${number}${suffix}`;
  }
  return e3 === 0 ? `${number}` : `${number}e${e3}`;
}
