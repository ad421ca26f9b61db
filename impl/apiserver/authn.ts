// Authentication by static bearer tokens (the format of kube-apiserver's --token-auth-file:
// token,user,uid,"group1,group2"). Plain-http serving turns authentication off: every
// request is the cluster admin, as `kubeprop apiserver --insecure-http` documents.

import { ApiError } from './status.js';

export interface UserInfo {
  readonly name: string;
  readonly uid: string;
  readonly groups: readonly string[];
}

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', uid: '', groups: ['system:unauthenticated'] };
export const INSECURE_ADMIN: UserInfo = { name: 'system:admin', uid: '', groups: ['system:masters', 'system:authenticated'] };

export interface TokenEntry {
  readonly token: string;
  readonly user: UserInfo;
}

/** Parses a token file; throws with the line number on a malformed line. */
export function parseTokenFile(text: string): TokenEntry[] {
  const out: TokenEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = splitCsv(line);
    const [token, name, uid, groups] = fields;
    if (!token || !name) throw new Error(`token file line ${i + 1}: want token,user,uid[,"groups"]`);
    const groupList = (groups ?? '').split(',').map((g) => g.trim()).filter((g) => g);
    out.push({ token, user: { name, uid: uid ?? '', groups: [...groupList, 'system:authenticated'] } });
  });
  return out;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

export function formatTokenFile(entries: readonly TokenEntry[]): string {
  return entries
    .map((e) => `${e.token},${e.user.name},${e.user.uid},"${e.user.groups.filter((g) => g !== 'system:authenticated').join(',')}"`)
    .join('\n') + '\n';
}

/** Paths anyone may read without credentials (upstream's system:public-info-viewer). */
const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

export interface Authenticator {
  /** The user of a request, or ANONYMOUS for a public path without credentials; throws 401 otherwise. */
  authenticate(path: string, authorization: string | undefined): UserInfo;
}

export class TokenAuthenticator implements Authenticator {
  private readonly tokens: Map<string, UserInfo>;

  constructor(entries: readonly TokenEntry[]) {
    this.tokens = new Map(entries.map((e) => [e.token, e.user]));
  }

  authenticate(path: string, authorization: string | undefined): UserInfo {
    if (!authorization) {
      if (PUBLIC_PATHS.has(path)) return ANONYMOUS;
      throw ApiError.unauthorized();
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const user = m ? this.tokens.get(m[1]!) : undefined;
    if (!user) throw ApiError.unauthorized();
    return user;
  }
}

/** No authentication: every request is the admin (plain http on request only). */
export class InsecureAuthenticator implements Authenticator {
  authenticate(): UserInfo {
    return INSECURE_ADMIN;
  }
}
