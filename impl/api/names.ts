// Object-name rules of the API machinery: DNS-1123 labels and subdomains, DNS-1035 labels,
// path-segment names and metadata.generateName, with upstream's exact error texts
// (k8s.io/apimachinery util/validation, api/validation, storage/names; Kubernetes 1.32).

/** Upstream's message for a value over a byte limit ("must be no more than 63 characters"). */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** Upstream's message for an empty value that must not be. */
export function emptyError(): string {
  return 'must be non-empty';
}

/**
 * Upstream's message for a failed regular expression, examples quoted as upstream does it
 * (its odd "'a',  or 'b'," double space included: clients compare these texts).
 */
export function regexError(message: string, regex: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${regex}')`;
  let out = `${message} (e.g. `;
  examples.forEach((example, i) => {
    if (i > 0) out += ' or ';
    out += `'${example}', `;
  });
  return `${out}regex used for validation is '${regex}')`;
}

/**
 * Length in bytes of the UTF-8 encoding, as Go's len() counts it. Names that are not ASCII
 * fail the regular expressions anyway, but the length message must agree with upstream.
 */
export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_ERR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX_LENGTH = 63;
const dns1123LabelRe = new RegExp(`^${DNS1123_LABEL_FMT}$`);

const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const dns1123SubdomainRe = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_ERR =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const DNS1035_LABEL_MAX_LENGTH = 63;
const dns1035LabelRe = new RegExp(`^${DNS1035_LABEL_FMT}$`);

/** IsDNS1123Label: a namespace name, a container name, a label-like name (≤ 63). [] when valid. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a valid label can only be wrong by its dots.
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** IsDNS1123Subdomain: most object names and label-key prefixes (≤ 253). [] when valid. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** IsDNS1035Label: Service names (must start with a letter, ≤ 63). [] when valid. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/**
 * A name validator as ObjectMeta validation calls it: `prefix` is true when the value is a
 * generateName, which may end in '-' because a suffix will follow.
 */
export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * Upstream's maskTrailingDash, off-by-one included: "abc-" becomes "aba" (two characters
 * dropped, one added). Reproduced as is because it decides which prefixes validate.
 */
function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return `${name.slice(0, -2)}a`;
  return name;
}

/** NameIsDNSSubdomain: the rule for Pods, Deployments, ReplicaSets, Nodes, ConfigMaps… */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** NameIsDNSLabel: the rule for Namespaces. */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** NameIsDNS1035Label: the rule for Services. */
export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** ValidateNamespaceName: a namespace is a DNS-1123 label. */
export const validateNamespaceName: NameValidator = nameIsDNSLabel;

const PATH_SEGMENT_MAY_NOT_BE = ['.', '..'];
const PATH_SEGMENT_MAY_NOT_CONTAIN = ['/', '%'];

/**
 * IsValidPathSegmentName: every object name becomes a URL path segment and a store key, so
 * it may not be "." or "..", nor contain "/" or "%". Like upstream it says nothing about
 * empty names or length; the per-resource validators do.
 */
export function isValidPathSegmentName(name: string): string[] {
  for (const illegal of PATH_SEGMENT_MAY_NOT_BE) {
    if (name === illegal) return [`may not be '${illegal}'`];
  }
  return isValidPathSegmentPrefix(name);
}

/** IsValidPathSegmentPrefix: the same for a generateName, where "." may still be completed. */
export function isValidPathSegmentPrefix(name: string): string[] {
  return PATH_SEGMENT_MAY_NOT_CONTAIN.filter((s) => name.includes(s)).map((s) => `may not contain '${s}'`);
}

/** The characters upstream's utilrand.String draws from: no vowels, no confusable 0/1/3. */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** How many random characters generateName appends. */
export const NAME_SUFFIX_LENGTH = 5;
/** Upstream truncates the base to this so the whole name is at most 63 characters. */
export const MAX_GENERATED_NAME_BASE_LENGTH = 63 - NAME_SUFFIX_LENGTH;

/**
 * SimpleNameGenerator.GenerateName: the base (metadata.generateName), truncated to 58
 * characters, followed by 5 characters of NAME_SUFFIX_ALPHABET. `random` returns one
 * character of that alphabet per call (e.g. `() => env.random.pick([...NAME_SUFFIX_ALPHABET])`);
 * it is called 5 times, so one seed gives one name.
 */
export function generateName(base: string, random: () => string): string {
  let suffix = '';
  for (let i = 0; i < NAME_SUFFIX_LENGTH; i++) {
    const c = random();
    if (c.length !== 1 || !NAME_SUFFIX_ALPHABET.includes(c)) {
      throw new RangeError(`generateName: random() returned ${JSON.stringify(c)}, not one character of "${NAME_SUFFIX_ALPHABET}"`);
    }
    suffix += c;
  }
  // Upstream slices bytes; bases are validated as DNS names first, so they are ASCII.
  const truncated = base.length > MAX_GENERATED_NAME_BASE_LENGTH ? base.slice(0, MAX_GENERATED_NAME_BASE_LENGTH) : base;
  return truncated + suffix;
}
