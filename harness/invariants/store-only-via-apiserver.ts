// store-only-via-apiserver: the API server is the one door to the store. Every store
// revision was written on behalf of exactly one audited API request (the audit entry lists
// it in `revisions`), every revision an audit entry claims exists in the store's log, and a
// request the server refused with a 4xx wrote nothing. A component that writes around the
// API server leaves a revision no audit entry claims; a server that writes twice for one
// request, or audits a write it never made, breaks the one-to-one match.

import { at, count } from './describe.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';
import type { AuditEntry } from '../history/history.js';

const NAME = 'store-only-via-apiserver';

function request(a: AuditEntry): string {
  const what = [a.resource, a.subresource].filter(Boolean).join('/');
  const obj = a.name ? ` ${a.namespace ? `${a.namespace}/` : ''}${a.name}` : a.namespace ? ` in ${a.namespace}` : '';
  return `${a.verb} ${what || 'request'}${obj} by ${a.user || 'anonymous'} (audit ${a.auditID}, ${a.code}, ${at(a.time)})`;
}

export const storeOnlyViaApiserver: Invariant = {
  name: NAME,
  description: 'every store revision maps to exactly one audited API request, and every audited revision exists in the store',
  check(history) {
    if (!history.storeWrites) return notChecked('the target exposes no store revisions');
    if (!history.audit) return notChecked('the target exposes no audit log');
    const violations: Violation[] = [];
    let checks = 0;
    const claims = new Map<number, AuditEntry[]>();
    for (const a of history.audit) {
      for (const rev of new Set(a.revisions)) {
        const list = claims.get(rev) ?? [];
        list.push(a);
        claims.set(rev, list);
      }
      if (a.code >= 400 && a.code < 500 && a.revisions.length > 0) {
        checks++;
        violations.push({
          invariant: NAME,
          message: `${request(a)} was refused but wrote ${count(a.revisions.length, 'revision')} (${a.revisions.join(', ')})`,
          time: a.time,
          objects: a.revisions.map((r) => `revision ${r}`),
        });
      }
    }
    const written = new Map<number, number>();
    for (const w of history.storeWrites) {
      written.set(w.revision, (written.get(w.revision) ?? 0) + 1);
      checks++;
      const by = claims.get(w.revision) ?? [];
      const keys = w.changes.map((c) => `${c.type} ${c.key}`).join(', ');
      if (by.length === 0) {
        violations.push({
          invariant: NAME,
          message: `store revision ${w.revision} at ${at(w.time)} (${keys}) was written by no audited API request`,
          time: w.time,
          objects: [`revision ${w.revision}`],
        });
      } else if (by.length > 1) {
        violations.push({
          invariant: NAME,
          message: `store revision ${w.revision} at ${at(w.time)} (${keys}) is claimed by ${by.length} audited requests: ${by.map(request).join('; ')}`,
          time: w.time,
          objects: [`revision ${w.revision}`, ...by.map((a) => `audit ${a.auditID}`)],
        });
      }
    }
    for (const [rev, n] of written) {
      if (n > 1) {
        violations.push({ invariant: NAME, message: `the store's log holds revision ${rev} ${n} times`, objects: [`revision ${rev}`] });
      }
    }
    for (const [rev, by] of claims) {
      checks++;
      if (!written.has(rev)) {
        for (const a of by) {
          violations.push({
            invariant: NAME,
            message: `${request(a)} claims store revision ${rev}, which the store never wrote`,
            time: a.time,
            objects: [`revision ${rev}`, `audit ${a.auditID}`],
          });
        }
      }
    }
    return result(violations, checks);
  },
};
