// Generated resources are well-formed quantities in their various spellings, limits are never
// below requests, and what the scheduler will count (requests, defaulted from limits) is what
// the draft says.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Quantity } from '../../impl/api/quantity.js';
import { checkProperty } from '../../specs/support/property.js';
import { buildResources, effectiveRequests, requestsOf, resourcesDraftArbitrary } from './resources.js';

const FILE = 'harness/generators/resources.test.ts';

describe('generated resources', () => {
  it('parse, keep limits ≥ requests, and add up as drafted', () => {
    checkProperty(
      FILE,
      'resources',
      fc.property(resourcesDraftArbitrary(), (d) => {
        const r = buildResources(d);
        for (const [name, v] of Object.entries(r?.requests ?? {})) {
          const limit = r?.limits?.[name];
          if (limit !== undefined && Quantity.fromJSON(v).cmp(Quantity.fromJSON(limit)) > 0) return false;
        }
        for (const v of [...Object.values(r?.requests ?? {}), ...Object.values(r?.limits ?? {})]) Quantity.fromJSON(v);
        const a = effectiveRequests(d);
        const b = requestsOf(r);
        return a.cpuMilli === b.cpuMilli && a.memoryBytes === b.memoryBytes;
      }),
      500,
    );
  });
});
