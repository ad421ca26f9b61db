// Labels and label selectors as k8s.io/apimachinery/pkg/labels has them (Kubernetes 1.32):
// key and value validation, the selector string language ("app=web,tier in (a,b),!canary"),
// metav1.LabelSelector conversion and validation, matching and printing — with upstream's
// error texts, which clients show verbatim.

import { byteLength, emptyError, isDNS1123Subdomain, maxLenError, regexError } from './names.js';

/** A label map (metadata.labels). */
export type Labels = Readonly<Record<string, string>>;

/** selection.Operator, by upstream's spelling. */
export type SelectionOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** One term of a selector: key, operator and values (as given; In/NotIn print them sorted). */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectionOperator;
  readonly values: readonly string[];
}

/**
 * A parsed selector. Requirements are ANDed and sorted by key; no requirements selects
 * everything. `nothing` is what a null metav1.LabelSelector means: it selects no object.
 */
export type Selector =
  | { readonly kind: 'requirements'; readonly requirements: readonly Requirement[] }
  | { readonly kind: 'nothing' };

/** labels.Everything(): matches every label set; prints as "". */
export const EVERYTHING_SELECTOR: Selector = Object.freeze({ kind: 'requirements', requirements: Object.freeze([]) });
/** labels.Nothing(): matches no label set; prints as "". */
export const NOTHING_SELECTOR: Selector = Object.freeze({ kind: 'nothing' });

/** metav1.LabelSelectorRequirement; the operator is a string because it arrives unchecked. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[] | null;
}

/** metav1.LabelSelector, as it appears in Deployment, ReplicaSet and affinity specs. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>> | null;
  readonly matchExpressions?: readonly LabelSelectorRequirement[] | null;
}

/** A bad selector; the message is upstream's ("unable to parse requirement: ..."). */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

/**
 * One field error in the shape of a metav1 StatusCause: `message` is upstream's ErrorBody
 * ('Invalid value: "x": ...'), `field` its path ("spec.selector.matchLabels").
 */
export interface FieldCause {
  readonly reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden';
  readonly field: string;
  readonly message: string;
}

// ---------------------------------------------------------------------------------------
// Keys and values

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX_LENGTH = 63;
const qualifiedNameRe = new RegExp(`^${QUALIFIED_NAME_FMT}$`);

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX_LENGTH = 63;
const labelValueRe = new RegExp(`^${LABEL_VALUE_FMT}$`);

/**
 * IsQualifiedName: a label key, annotation key or finalizer — a name of at most 63
 * characters with an optional DNS-subdomain prefix and '/' ("example.com/MyName").
 * Returns upstream's messages; [] when valid.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = value;
  } else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!qualifiedNameRe.test(name)) {
    errs.push(`name part ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** IsValidLabelValue: empty, or a name of at most 63 characters. [] when valid. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRe.test(value)) errs.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/**
 * ValidateLabels (metav1 validation) for a label map at `fieldPath` ("metadata.labels").
 * Keys are visited in sorted order so the causes come out the same every time.
 */
export function validateLabels(labels: Labels, fieldPath: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const key of Object.keys(labels).sort(compareGoStrings)) {
    for (const msg of isQualifiedName(key)) causes.push(invalid(fieldPath, key, msg));
    const value: unknown = labels[key];
    // A JSON null (or any non-string) from a client body: a cause, not a crash in the checks below.
    if (typeof value !== 'string') {
      causes.push(invalid(fieldPath, String(value), 'a label value must be a string'));
      continue;
    }
    for (const msg of isValidLabelValue(value)) causes.push(invalid(fieldPath, value, msg));
  }
  return causes;
}

/**
 * ValidateLabelSelector (metav1 validation) for a LabelSelector at `fieldPath`: In and NotIn
 * need values, Exists and DoesNotExist may have none, keys and values must be valid.
 * A null selector is valid here; whether the field is required is the caller's rule.
 */
export function validateLabelSelector(selector: LabelSelector | null | undefined, fieldPath: string): FieldCause[] {
  if (selector == null) return [];
  const causes = validateLabels(selector.matchLabels ?? {}, child(fieldPath, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((expr, i) => {
    const path = `${child(fieldPath, 'matchExpressions')}[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          causes.push(required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          causes.push(forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        break;
      default:
        causes.push(invalid(child(path, 'operator'), expr.operator, 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(expr.key)) causes.push(invalid(child(path, 'key'), expr.key, msg));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) causes.push(invalid(`${child(path, 'values')}[${j}]`, v, msg));
    });
  });
  return causes;
}

// ---------------------------------------------------------------------------------------
// Requirements and selectors

/**
 * NewRequirement: checks the key, the value count the operator needs and every value.
 * Throws LabelSelectorError with upstream's aggregated field errors.
 */
export function newRequirement(key: string, operator: SelectionOperator, values: readonly string[]): Requirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(`key: ${invalidBody(goQuote(key), keyErrs.join('; '))}`);
  const badCount = (detail: string): void => {
    errs.push(`values: ${invalidBody(goStringSlice(values), detail)}`);
  };
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) badCount("for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) badCount('exact-match compatibility requires one single value');
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) badCount('values set must be empty for exists and does not exist');
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) badCount("for 'Gt', 'Lt' operators, exactly one value is required");
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(`values[${i}]: ${invalidBody(goQuote(v), "for 'Gt', 'Lt' operators, the value must be an integer")}`);
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0) errs.push(`values[${i}][${key}]: ${invalidBody(goQuote(v), valueErrs.join('; '))}`);
  });
  if (errs.length > 0) throw new LabelSelectorError(aggregate(errs));
  return { key, operator, values: [...values] };
}

/** Requirement.Matches. */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value as string);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const actual = parseInt64(value as string);
      const bound = parseInt64(r.values[0] as string);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** Selector.Matches: every requirement holds. An empty selector matches everything, NOTHING nothing. */
export function selectorMatches(selector: Selector, labels: Labels): boolean {
  if (selector.kind === 'nothing') return false;
  return selector.requirements.every((r) => requirementMatches(r, labels));
}

/** Selector.Empty: true only for a selector that does not restrict (not for NOTHING). */
export function isEmptySelector(selector: Selector): boolean {
  return selector.kind === 'requirements' && selector.requirements.length === 0;
}

/** Requirement.String: "a=b", "a in (x,y)", "!a", "a>5". */
export function requirementToString(r: Requirement): string {
  let out = r.operator === '!' ? `!${r.key}` : r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return out;
    case 'in':
    case 'notin':
      out += ` ${r.operator} (`;
      break;
    case 'gt':
      out += '>';
      break;
    case 'lt':
      out += '<';
      break;
    default:
      out += r.operator;
  }
  out += r.values.length === 1 ? r.values[0] : [...r.values].sort(compareGoStrings).join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${out})` : out;
}

/** Selector.String: requirements joined by ","; "" for EVERYTHING and for NOTHING alike. */
export function selectorToString(selector: Selector): string {
  return selector.kind === 'nothing' ? '' : selector.requirements.map(requirementToString).join(',');
}

/**
 * RequiresExactMatch: the single value the selector demands for `label` (via =, == or an
 * In of one value), judged by the first requirement on that key; undefined otherwise.
 */
export function requiresExactMatch(selector: Selector, label: string): string | undefined {
  if (selector.kind === 'nothing') return undefined;
  const r = selector.requirements.find((x) => x.key === label);
  if (r === undefined) return undefined;
  const exact = r.operator === '=' || r.operator === '==' || r.operator === 'in';
  return exact && r.values.length === 1 ? r.values[0] : undefined;
}

/**
 * SelectorFromSet: a selector matching exactly the given labels (Service spec.selector,
 * ReplicationController selectors). Not validated, as upstream; {} selects everything.
 */
export function selectorFromSet(labels: Labels): Selector {
  const keys = Object.keys(labels).sort(compareGoStrings);
  return { kind: 'requirements', requirements: keys.map((k) => ({ key: k, operator: '=', values: [labels[k] as string] })) };
}

const LABEL_SELECTOR_OPERATORS: ReadonlyMap<string, SelectionOperator> = new Map([
  ['In', 'in'],
  ['NotIn', 'notin'],
  ['Exists', 'exists'],
  ['DoesNotExist', '!'],
]);

/**
 * LabelSelectorAsSelector. Note the asymmetry upstream keeps: a null or undefined
 * LabelSelector selects NOTHING, while `{}` (no matchLabels, no matchExpressions) selects
 * EVERYTHING. Throws LabelSelectorError for an unknown operator or an invalid requirement
 * (In/NotIn without values, Exists/DoesNotExist with values, bad keys or values).
 */
export function labelSelectorAsSelector(selector: LabelSelector | null | undefined): Selector {
  if (selector == null) return NOTHING_SELECTOR;
  const matchLabels = selector.matchLabels ?? {};
  const matchExpressions = selector.matchExpressions ?? [];
  const keys = Object.keys(matchLabels).sort(compareGoStrings);
  if (keys.length + matchExpressions.length === 0) return EVERYTHING_SELECTOR;
  // Upstream walks matchLabels in Go's random map order; sorted keys make the first
  // reported error deterministic.
  const requirements = keys.map((k) => newRequirement(k, '=', [matchLabels[k] as string]));
  for (const expr of matchExpressions) {
    const op = LABEL_SELECTOR_OPERATORS.get(expr.operator);
    if (op === undefined) throw new LabelSelectorError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    requirements.push(newRequirement(expr.key, op, expr.values ?? []));
  }
  return { kind: 'requirements', requirements: sortByKey(requirements) };
}

/** labelSelectorAsSelector then selectorMatches: does a LabelSelector select these labels? */
export function labelSelectorMatches(selector: LabelSelector | null | undefined, labels: Labels): boolean {
  return selectorMatches(labelSelectorAsSelector(selector), labels);
}

// ---------------------------------------------------------------------------------------
// The selector language: lexer and parser in upstream's shape, so the same inputs fail
// with the same messages.

type TokenType = 'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'identifier' | 'in' | '<' | '!=' | 'notin' | '(';

interface Token {
  readonly type: TokenType;
  readonly literal: string;
}

const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  [')', ')'], [',', ','], ['!', '!'], ['==', '=='], ['=', '='], ['>', '>'],
  ['in', 'in'], ['<', '<'], ['!=', '!='], ['notin', 'notin'], ['(', '('],
]);

/** Upstream's lexer reads bytes and takes a 0 byte for the end of input; so do we. */
const END = '\0';

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecialSymbol = (c: string): boolean => c.length === 1 && '=!(),><'.includes(c);

class Lexer {
  private pos = 0;
  constructor(private readonly s: string) {}

  private read(): string {
    if (this.pos < this.s.length) return this.s[this.pos++] as string;
    return END;
  }

  private unread(): void {
    this.pos--;
  }

  lex(): Token {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === END) return { type: 'end', literal: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIdOrKeyword();
  }

  private scanIdOrKeyword(): Token {
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === END) break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
    }
    return { type: KEYWORDS.get(buffer) ?? 'identifier', literal: buffer };
  }

  /** The longest run of symbols that is an operator: "!=" rather than "!", "=" then "(". */
  private scanSpecialSymbol(): Token {
    let last: Token | undefined;
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === END) break;
      if (!isSpecialSymbol(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
      const type = KEYWORDS.get(buffer);
      if (type !== undefined) {
        last = { type, literal: buffer };
      } else if (last !== undefined) {
        this.unread();
        break;
      }
    }
    return last ?? { type: 'error', literal: `error expected: keyword found '${buffer}'` };
  }
}

/** Whether "in"/"notin" are operators (after a key) or plain identifiers (as keys and values). */
type ParserContext = 'keyAndOperator' | 'values';

class Parser {
  private readonly items: Token[] = [];
  private position = 0;

  constructor(input: string) {
    const lexer = new Lexer(input);
    for (;;) {
      const t = lexer.lex();
      this.items.push(t);
      if (t.type === 'end') break;
    }
  }

  private lookahead(context: ParserContext): Token {
    return this.inContext(this.items[Math.min(this.position, this.items.length - 1)] as Token, context);
  }

  private consume(context: ParserContext): Token {
    const t = this.items[Math.min(this.position, this.items.length - 1)] as Token;
    this.position++;
    return this.inContext(t, context);
  }

  private inContext(t: Token, context: ParserContext): Token {
    return context === 'values' && (t.type === 'in' || t.type === 'notin') ? { type: 'identifier', literal: t.literal } : t;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const t = this.lookahead('values');
      switch (t.type) {
        case 'identifier':
        case '!': {
          try {
            requirements.push(this.parseRequirement());
          } catch (e) {
            if (!(e instanceof LabelSelectorError)) throw e;
            throw new LabelSelectorError(`unable to parse requirement: ${e.message}`);
          }
          const next = this.consume('values');
          if (next.type === 'end') return requirements;
          if (next.type === ',') {
            const t2 = this.lookahead('values');
            if (t2.type !== 'identifier' && t2.type !== '!') {
              throw new LabelSelectorError(`found '${t2.literal}', expected: identifier after ','`);
            }
            break;
          }
          throw new LabelSelectorError(`found '${next.literal}', expected: ',' or 'end of string'`);
        }
        case 'end':
          return requirements;
        default:
          throw new LabelSelectorError(`found '${t.literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort(compareGoStrings));
  }

  private parseKeyAndInferOperator(): { key: string; operator: 'exists' | '!' | undefined } {
    let operator: 'exists' | '!' | undefined;
    let t = this.consume('values');
    if (t.type === '!') {
      operator = '!';
      t = this.consume('values');
    }
    if (t.type !== 'identifier') throw new LabelSelectorError(`found '${t.literal}', expected: identifier`);
    const errs = isQualifiedName(t.literal);
    // Upstream validates the key against a nil field path, which prints as "<nil>".
    if (errs.length > 0) throw new LabelSelectorError(`<nil>: ${invalidBody(goQuote(t.literal), errs.join('; '))}`);
    const next = this.lookahead('values').type;
    if ((next === 'end' || next === ',') && operator !== '!') operator = 'exists';
    return { key: t.literal, operator };
  }

  private parseOperator(): SelectionOperator {
    const t = this.consume('keyAndOperator');
    switch (t.type) {
      case 'in':
        return 'in';
      case '=':
        return '=';
      case '==':
        return '==';
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      case 'notin':
        return 'notin';
      case '!=':
        return '!=';
      default:
        throw new LabelSelectorError(`found '${t.literal}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  /** "(x,y)", where "()" and empty members mean the empty value. */
  private parseValues(): Set<string> {
    const open = this.consume('values');
    if (open.type !== '(') throw new LabelSelectorError(`found '${open.literal}' expected: '('`);
    const t = this.lookahead('values');
    switch (t.type) {
      case 'identifier':
      case ',': {
        const values = this.parseIdentifiersList();
        // Upstream names the token after '(' here, not the offending one.
        if (this.consume('values').type !== ')') throw new LabelSelectorError(`found '${t.literal}', expected: ')'`);
        return values;
      }
      case ')':
        this.consume('values');
        return new Set(['']);
      default:
        throw new LabelSelectorError(`found '${t.literal}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const t = this.consume('values');
      switch (t.type) {
        case 'identifier': {
          values.add(t.literal);
          const t2 = this.lookahead('values');
          if (t2.type === ',') continue;
          if (t2.type === ')') return values;
          throw new LabelSelectorError(`found '${t2.literal}', expected: ',' or ')'`);
        }
        case ',': {
          if (values.size === 0) values.add(''); // "(,"
          const t2 = this.lookahead('values').type;
          if (t2 === ')') {
            values.add(''); // ",)"
            return values;
          }
          if (t2 === ',') {
            this.consume('values');
            values.add(''); // ",,"
          }
          break;
        }
        default:
          throw new LabelSelectorError(`found '${t.literal}', expected: ',', or identifier`);
      }
    }
  }

  /** The value after =, ==, !=, > or <; nothing before "," or the end is the empty value. */
  private parseExactValue(): Set<string> {
    const next = this.lookahead('values').type;
    if (next === 'end' || next === ',') return new Set(['']);
    const t = this.consume('values');
    if (t.type === 'identifier') return new Set([t.literal]);
    throw new LabelSelectorError(`found '${t.literal}', expected: identifier`);
  }
}

/**
 * labels.Parse: the selector language of `-l` and `?labelSelector=`.
 *   a=b  a==b  a!=b  a in (x,y)  a notin (x)  a  !a  a>1  a<1, comma-joined, spaces allowed.
 * Requirements come back sorted by key (stably). "" parses to EVERYTHING. Throws
 * LabelSelectorError with upstream's message.
 */
export function parseSelector(input: string): Selector {
  const requirements = new Parser(input).parse();
  return { kind: 'requirements', requirements: sortByKey(requirements) };
}

// ---------------------------------------------------------------------------------------
// Helpers

function sortByKey(requirements: Requirement[]): Requirement[] {
  return requirements.sort((a, b) => compareGoStrings(a.key, b.key));
}

/**
 * Go's string order, which upstream sorts by: byte-wise UTF-8, that is code-point order
 * (JavaScript's < compares UTF-16 units and disagrees above U+FFFF).
 */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) as number;
    const cy = y.value.codePointAt(0) as number;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v >= -(1n << 63n) && v < 1n << 63n ? v : undefined;
}

function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function invalidBody(renderedValue: string, detail: string): string {
  return `Invalid value: ${renderedValue}: ${detail}`;
}

function invalid(field: string, value: string, detail: string): FieldCause {
  return { reason: 'FieldValueInvalid', field, message: invalidBody(goQuote(value), detail) };
}

function required(field: string, detail: string): FieldCause {
  return { reason: 'FieldValueRequired', field, message: `Required value: ${detail}` };
}

function forbidden(field: string, detail: string): FieldCause {
  return { reason: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` };
}

/**
 * utilerrors.NewAggregate(...).Error(): one message alone, several as "[a, b]", repeats
 * dropped.
 */
function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}

/**
 * A []string as Go's %#v prints it in 1.32's field errors. Empty lists print as nil
 * because that is what LabelSelectorAsSelector hands over (it copies values with append).
 */
function goStringSlice(values: readonly string[]): string {
  return values.length === 0 ? '[]string(nil)' : `[]string{${values.map(goQuote).join(', ')}}`;
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const GO_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '\\"'], ['\\', '\\\\'], ['\x07', '\\a'], ['\b', '\\b'], ['\f', '\\f'],
  ['\n', '\\n'], ['\r', '\\r'], ['\t', '\\t'], ['\v', '\\v'],
]);

/** Go's %q (strconv.Quote): the quoting of bad values in every field error message. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const escaped = GO_ESCAPES.get(ch);
    if (escaped !== undefined) {
      out += escaped;
      continue;
    }
    if (printable.test(ch)) {
      out += ch;
      continue;
    }
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
