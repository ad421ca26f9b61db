import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../../specs/support/property.js';
import { emptyHistory, HistoryBuilder } from './history-builder.testing.js';
import { storeOnlyViaApiserver } from './store-only-via-apiserver.js';

const FILE = 'harness/invariants/store-only-via-apiserver.test.ts';

function cluster(): HistoryBuilder {
  const b = new HistoryBuilder();
  b.at(10).put('Pod', 'web-1', { phase: 'Pending' });
  b.at(20).put('Pod', 'web-1', { phase: 'Pending', nodeName: 'node-1' });
  b.at(30).put('Pod', 'web-1', { phase: 'Running', nodeName: 'node-1' });
  return b;
}

describe('store-only-via-apiserver', () => {
  it('holds when every revision has exactly one audited request', () => {
    const r = storeOnlyViaApiserver.check(cluster().build());
    expect(r.violations).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks).toBeGreaterThan(0);
  });

  it('catches a write around the API server (a revision no audit entry claims)', () => {
    const b = cluster();
    b.at(40).put('Pod', 'web-1', { phase: 'Running', nodeName: 'node-1', ready: true });
    const rogue = b.audit.pop();
    const r = storeOnlyViaApiserver.check(b.build());
    expect(r.ok).toBe(false);
    expect(r.violations.map((v) => v.message)).toEqual([
      `store revision ${rogue?.revisions[0]} at t=0.04s (put /registry/pods/default/web-1) was written by no audited API request`,
    ]);
  });

  it('catches a revision claimed by two requests and an audited write the store never made', () => {
    const h = cluster().build();
    const [a, b, c] = h.audit ?? [];
    if (!a || !b || !c) throw new Error('fixture');
    const broken = { ...h, audit: [a, { ...b, revisions: [...b.revisions, ...a.revisions] }, c, { ...c, auditID: 'ghost', revisions: [99] }] };
    const r = storeOnlyViaApiserver.check(broken);
    expect(r.ok).toBe(false);
    const messages = r.violations.map((v) => v.message).join('\n');
    expect(messages).toMatch(/store revision 2 .* is claimed by 2 audited requests/);
    expect(messages).toMatch(/audit ghost.*claims store revision 99, which the store never wrote/);
  });

  it('catches a refused request that wrote anyway', () => {
    const h = cluster().build();
    const audit = (h.audit ?? []).map((a, i) => (i === 2 ? { ...a, code: 409 } : a));
    const r = storeOnlyViaApiserver.check({ ...h, audit });
    expect(r.ok).toBe(false);
    expect(r.violations[0]?.message).toMatch(/update pods default\/web-1 by system:test \(audit audit-4, 409, t=0.03s\) was refused but wrote 1 revision \(4\)/);
  });

  it('is not checked without store revisions or without an audit log', () => {
    expect(storeOnlyViaApiserver.check(emptyHistory()).notChecked).toMatch(/no store revisions/);
    expect(storeOnlyViaApiserver.check({ ...cluster().build(), audit: undefined }).notChecked).toMatch(/no audit log/);
    expect(storeOnlyViaApiserver.check(emptyHistory()).ok).toBe(true);
  });

  it('property: a faithful log passes; dropping any audit claim fails', () => {
    checkProperty(
      FILE,
      'property: a faithful log passes; dropping any audit claim fails',
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.boolean()), { minLength: 1, maxLength: 20 }), fc.nat(), (steps, pick) => {
        const b = new HistoryBuilder();
        for (const [i, [name, remove]] of steps.entries()) {
          b.at(i * 10);
          if (remove && b.current.has(`Pod/default/${name}`)) b.delete('Pod', name);
          else b.put('Pod', name, { phase: 'Pending' });
        }
        const h = b.build();
        if (!storeOnlyViaApiserver.check(h).ok) return false;
        const audit = [...(h.audit ?? [])];
        audit.splice(pick % audit.length, 1);
        return !storeOnlyViaApiserver.check({ ...h, audit }).ok;
      }),
    );
  });
});
