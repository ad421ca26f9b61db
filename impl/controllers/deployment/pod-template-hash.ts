// The pod-template-hash: a short stable name for a pod template, which the Deployment
// controller puts on each ReplicaSet's name, selector and template label so that the
// ReplicaSets of different templates never select each other's pods. Upstream hashes Go's
// printed form of the template (FNV-32a) and adds collisionCount; here the printed form is
// canonical JSON (keys sorted), so hashes are stable across runs and processes but differ
// from a real cluster's. The hash is encoded with upstream's SafeEncodeString alphabet.

import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** JSON with object keys sorted at every level: equal values print equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each character mapped into an alphabet without vowels or look-alikes. */
function safeEncode(s: string): string {
  return [...s].map((c) => SAFE_ALPHANUMS[c.charCodeAt(0) % SAFE_ALPHANUMS.length]).join('');
}

export function computePodTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let text = canonicalJson(template ?? {});
  if (collisionCount !== undefined) text += String(collisionCount);
  return safeEncode(String(fnv32a(text)));
}
