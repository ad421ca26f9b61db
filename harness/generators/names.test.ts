// Generated names are valid DNS-1123 subdomains (labels where asked), generateName prefixes
// make valid names, suffixed variants stay valid, and the `app` label derived from any of them
// is a valid label value.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { isValidLabelValue } from '../../impl/api/labels.js';
import { generateName, isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain } from '../../impl/api/names.js';
import { checkProperty } from '../../specs/support/property.js';
import { appLabelFor, dnsLabelArbitrary, identityArbitrary, objectNameArbitrary, withSuffix } from './names.js';

const FILE = 'harness/generators/names.test.ts';

describe('generated names', () => {
  it('are valid DNS-1123 subdomains, up to 253 characters when allowed', () => {
    checkProperty(FILE, 'subdomains', fc.property(fc.constantFrom(40, 63, 253).chain((max) => objectNameArbitrary({ maxLength: max }).map((n) => [n, max] as const)), ([n, max]) => isDNS1123Subdomain(n).length === 0 && n.length <= max));
  });

  it('are valid DNS-1123 labels where labels are asked for', () => {
    checkProperty(FILE, 'labels', fc.property(dnsLabelArbitrary(), (n) => isDNS1123Label(n).length === 0));
  });

  it('or generateName prefixes that make valid names, with an app label that is a valid label value', () => {
    checkProperty(
      FILE,
      'identities',
      fc.property(identityArbitrary({ generateNameFrequency: 0.5 }), fc.string({ unit: fc.constantFrom(...'bcdfghjklmnpqrstvwxz2456789'), minLength: 5, maxLength: 5 }), (id, suffix) => {
        let i = 0;
        const name = id.name !== undefined ? id.name : generateName(id.generateName, () => suffix[i++]!);
        const prefixOk = id.generateName === undefined || nameIsDNSSubdomain(id.generateName, true).length === 0;
        return prefixOk && isDNS1123Subdomain(name).length === 0 && isValidLabelValue(appLabelFor(id)).length === 0;
      }),
    );
  });

  it('stay valid with a numbered suffix', () => {
    checkProperty(FILE, 'suffix', fc.property(objectNameArbitrary({ maxLength: 40 }), fc.integer({ min: 2, max: 999 }), (n, k) => {
      const s = withSuffix(n, k, 40);
      return isDNS1123Subdomain(s).length === 0 && s.length <= 40 && s !== n;
    }));
  });
});
