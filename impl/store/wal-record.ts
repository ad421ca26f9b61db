// The embedded store's write-ahead log records: one per committed revision (its changes,
// and the lease it revoked, if any), one per lease grant, per revoke that deleted nothing,
// and per compaction. Replaying them in order rebuilds the keyspace and its leases.
// Encoded as compact JSON arrays: easy to read in a hex dump, and fast enough next to fsync.

import type { ReplayedChange } from './mvcc.js';
import { NO_LEASE, type KeyValue, type LeaseId, type Revision } from './store.js';

export type WalRecord =
  | {
      readonly kind: 'revision';
      readonly revision: Revision;
      readonly changes: readonly ReplayedChange[];
      /** Set when the revision is a lease revoke (or expiry) deleting the lease's keys. */
      readonly revokedLease?: LeaseId;
    }
  | { readonly kind: 'lease-grant'; readonly id: LeaseId; readonly ttl: number }
  /** A revoke or expiry of a lease that held no keys (it writes no revision). */
  | { readonly kind: 'lease-revoke'; readonly id: LeaseId }
  | { readonly kind: 'compact'; readonly revision: Revision };

/** A revision's changes as the log keeps them: a put keeps key, value and lease; a delete its key. */
export function changesOf(kvs: readonly KeyValue[]): ReplayedChange[] {
  return kvs.map((kv) =>
    kv.version === 0 ? { type: 'delete', key: kv.key } : { type: 'put', key: kv.key, value: kv.value, lease: kv.lease },
  );
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeWalRecord(record: WalRecord): Uint8Array {
  let json: unknown[];
  switch (record.kind) {
    case 'revision': {
      const changes = record.changes.map((change) =>
        change.type === 'delete'
          ? [change.key]
          : change.lease === NO_LEASE
            ? [change.key, change.value]
            : [change.key, change.value, change.lease],
      );
      json = record.revokedLease === undefined ? ['r', record.revision, changes] : ['r', record.revision, changes, record.revokedLease];
      break;
    }
    case 'lease-grant':
      json = ['g', record.id, record.ttl];
      break;
    case 'lease-revoke':
      json = ['x', record.id];
      break;
    case 'compact':
      json = ['c', record.revision];
      break;
  }
  return encoder.encode(JSON.stringify(json));
}

/** Decodes a record; throws on anything this module did not write (the checksum matched, so that is a bug). */
export function decodeWalRecord(bytes: Uint8Array): WalRecord {
  const json: unknown = JSON.parse(decoder.decode(bytes));
  const bad = (): Error => new Error(`write-ahead log: malformed record ${decoder.decode(bytes).slice(0, 200)}`);
  if (!Array.isArray(json)) throw bad();
  const [tag, a, b, c] = json as unknown[];
  switch (tag) {
    case 'r': {
      if (!isRevision(a) || !Array.isArray(b) || !(c === undefined || typeof c === 'string')) throw bad();
      const changes = b.map((entry: unknown): ReplayedChange => {
        if (!Array.isArray(entry) || !entry.every((part) => typeof part === 'string')) throw bad();
        const [key, value, lease] = entry as string[];
        if (key === undefined || entry.length > 3) throw bad();
        return value === undefined ? { type: 'delete', key } : { type: 'put', key, value, lease: lease ?? NO_LEASE };
      });
      return c === undefined ? { kind: 'revision', revision: a, changes } : { kind: 'revision', revision: a, changes, revokedLease: c };
    }
    case 'g':
      if (typeof a !== 'string' || !isRevision(b)) throw bad();
      return { kind: 'lease-grant', id: a, ttl: b };
    case 'x':
      if (typeof a !== 'string') throw bad();
      return { kind: 'lease-revoke', id: a };
    case 'c':
      if (!Number.isSafeInteger(a)) throw bad();
      return { kind: 'compact', revision: a as number };
    default:
      throw bad();
  }
}

function isRevision(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
