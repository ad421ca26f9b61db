// Invalid manifests are refused by the reference API server with the status they are tagged
// with, and the answer names the tagged field: among the causes of a 422, in the message of a
// 400. Every kind of mutation is exercised.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertProperty } from '../../specs/support/property.js';
import { invalidManifestArbitrary, type InvalidManifest } from './invalid.js';
import { causesOf, startReferenceApi, type Answer, type ReferenceApi } from './reference-api.testing.js';

const FILE = 'harness/generators/invalid.test.ts';

function names(a: Answer, field: string): boolean {
  const message = String(a.body.message ?? '');
  if (a.status === 400) return message.includes(`"${field}"`) || message.includes(field);
  return causesOf(a).some((c) => c.field === field);
}

function explain(m: InvalidManifest, a: Answer): string {
  const causes = causesOf(a).map((c) => `  ${c.field}: ${c.message}`);
  return `${m.kind} with ${m.mutation}: expected ${m.status} naming ${m.field}, got ${a.status}: ${String(a.body.message)}${causes.length ? `\n${causes.join('\n')}` : ''}`;
}

describe('invalid manifests', () => {
  let api: ReferenceApi;
  beforeAll(async () => {
    api = await startReferenceApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('get the tagged 4xx naming the tagged field', async () => {
    await assertProperty(
      fc.asyncProperty(invalidManifestArbitrary(), async (m) => {
        const a = await api.create(m.manifest, m.query);
        if (a.status !== m.status || !names(a, m.field)) throw new Error(explain(m, a));
      }),
      { file: FILE, numRuns: 400 },
    );
  });

  it('cover every mutation', () => {
    const types = new Set(fc.sample(invalidManifestArbitrary(), { numRuns: 600, seed: 5 }).map((m) => (JSON.parse(m.mutation) as { type: string }).type));
    expect([...types].sort()).toEqual(
      [
        'bad-generate-name', 'bad-label-value', 'bad-name', 'bad-quantity', 'bad-restart-policy', 'bad-selector-operator', 'duplicate-container-name', 'empty-selector',
        'in-without-values', 'missing-image', 'missing-name', 'negative-replicas', 'requests-above-limits', 'selector-mismatch', 'unknown-field', 'zero-surge-and-unavailable',
      ].sort(),
    );
  });
});
