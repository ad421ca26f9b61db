// Object names as users write them: valid DNS-1123 subdomains (the rule for Pods,
// ReplicaSets, Deployments and Nodes), mostly short words people pick ("web", "api-v2"),
// sometimes odd but legal ones (digits first, dots, 63 characters), and sometimes a
// metadata.generateName prefix instead of a name.

import fc from 'fast-check';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** How an object is named: exactly one of name and generateName. */
export type ObjectIdentity = { readonly name: string; readonly generateName?: undefined } | { readonly name?: undefined; readonly generateName: string };

const WORDS = ['web', 'api', 'db', 'cache', 'worker', 'frontend', 'backend', 'payments', 'nginx', 'queue', 'auth', 'search', 'metrics', 'batch', 'gateway', 'redis'];
const SUFFIXES = ['v2', 'prod', 'canary', 'blue', 'green', '1', '2', 'a', 'east'];

const ALNUM = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const INNER = [...ALNUM, '-'];

/** A DNS-1123 label drawn character by character: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most `maxLength`. */
function rawLabel(maxLength: number): fc.Arbitrary<string> {
  const edge = fc.constantFrom(...ALNUM);
  return fc.oneof(
    edge,
    fc
      .tuple(edge, fc.array(fc.constantFrom(...INNER), { maxLength: Math.max(0, maxLength - 2) }), edge)
      .map(([a, middle, b]) => `${a}${middle.join('')}${b}`),
  );
}

/** Names people type: a word, or word-suffix, or word-word. */
const wordName: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SUFFIXES)).map(([w, s]) => `${w}-${s}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => `${a}-${b}`) },
);

export interface NameOptions {
  /** Longest name (default 63, so a name is also a valid label value). */
  readonly maxLength?: number;
}

/** Trims a candidate to `maxLength` and to a legal end (no trailing '-' or '.'). */
function fit(name: string, maxLength: number): string {
  const cut = name.slice(0, maxLength).replace(/[-.]+$/, '');
  return cut === '' ? 'x' : cut;
}

/** A valid DNS-1123 label (no dots): container names, node names, namespace-like names. */
export function dnsLabelArbitrary(options: NameOptions = {}): fc.Arbitrary<string> {
  const max = Math.min(63, options.maxLength ?? 63);
  return fc.oneof({ weight: 5, arbitrary: wordName }, { weight: 2, arbitrary: rawLabel(max) }).map((n) => fit(n, max));
}

/**
 * A valid DNS-1123 subdomain for metadata.name: usually a word-like label, sometimes random
 * characters (digits first is legal), dotted ("web.v2"), or exactly as long as allowed.
 */
export function objectNameArbitrary(options: NameOptions = {}): fc.Arbitrary<string> {
  const max = Math.min(253, options.maxLength ?? 63);
  const longest = fc.tuple(fc.constantFrom(...WORDS), rawLabel(max)).map(([w, r]) => `${w}-${r.repeat(Math.ceil(max / r.length))}`);
  return fc
    .oneof(
      { weight: 12, arbitrary: wordName },
      { weight: 3, arbitrary: rawLabel(Math.min(max, 63)) },
      { weight: 2, arbitrary: fc.tuple(wordName, fc.constantFrom(...WORDS, ...SUFFIXES)).map(([a, b]) => `${a}.${b}`) },
      { weight: 1, arbitrary: longest },
    )
    .map((n) => fit(n, max));
}

export interface IdentityOptions extends NameOptions {
  /** How often (0..1) the object gets metadata.generateName instead of a name (default 0.15). */
  readonly generateNameFrequency?: number;
}

/** The prefix form of a name as kubectl users write it: "web-", for "web-x7k2p". */
export function generateNameFor(name: string): string {
  // The server appends 5 characters and truncates the base to 58; keep the whole within 63.
  return `${fit(name, 57)}-`;
}

/** A name, or (sometimes) a generateName prefix. */
export function identityArbitrary(options: IdentityOptions = {}): fc.Arbitrary<ObjectIdentity> {
  const frequency = options.generateNameFrequency ?? 0.15;
  const names = objectNameArbitrary(options);
  if (frequency <= 0) return names.map((name) => ({ name }));
  const weight = Math.max(1, Math.round(frequency * 100));
  return fc.oneof(
    { weight: 100 - weight, arbitrary: names.map((name): ObjectIdentity => ({ name })) },
    { weight, arbitrary: names.map((name): ObjectIdentity => ({ generateName: generateNameFor(name) })) },
  );
}

/** A label value standing for the object (the `app` label): its name, shortened to 63. */
export function appLabelFor(identity: ObjectIdentity): string {
  return fit(identity.name !== undefined ? identity.name : identity.generateName, 63);
}

/** The k-th variant of a taken name ("web" → "web-2"), still valid and within `maxLength`. */
export function withSuffix(name: string, k: number, maxLength = 63): string {
  const suffix = `-${k}`;
  return `${fit(name, maxLength - suffix.length)}${suffix}`;
}

/** metadata for a manifest: the identity, its namespace and labels. */
export function objectMeta(identity: ObjectIdentity, namespace: string, labels: Readonly<Record<string, string>>): ObjectMeta {
  return {
    ...(identity.name !== undefined ? { name: identity.name } : { generateName: identity.generateName }),
    namespace,
    labels: { ...labels },
  };
}
