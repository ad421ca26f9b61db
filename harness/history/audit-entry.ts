// An API server audit record as a history's audit entry: the fields the checkers read, with
// absent optional fields left out (histories are compared and hashed as JSON).

import type { AuditRecord } from '../../impl/apiserver/audit.js';
import type { AuditEntry } from './history.js';

export function auditEntry(r: AuditRecord): AuditEntry {
  return {
    auditID: r.auditID,
    time: r.time,
    user: r.user,
    verb: r.verb,
    ...(r.resource !== undefined ? { resource: r.resource } : {}),
    ...(r.subresource !== undefined ? { subresource: r.subresource } : {}),
    ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
    ...(r.name !== undefined ? { name: r.name } : {}),
    code: r.code,
    revisions: [...r.revisions],
  };
}
