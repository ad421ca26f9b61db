// Generated manifests are ones the reference API server accepts (201 Created through handle()),
// and they cover the variety they claim: generateName, percent and absolute rollout bounds,
// Recreate, missing images, each container behaviour, placement rules, quantities in every
// spelling.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertProperty } from '../../specs/support/property.js';
import type { Manifest } from '../campaign/scenario.js';
import { deploymentArbitrary } from './deployments.js';
import { toManifest } from './operations.js';
import { podArbitrary } from './pods.js';
import { replicaSetArbitrary } from './replicasets.js';
import { causesOf, startReferenceApi, type ReferenceApi } from './reference-api.testing.js';

const FILE = 'harness/generators/manifests.test.ts';

const manifests: fc.Arbitrary<Manifest> = fc.oneof(
  deploymentArbitrary({ minReadySeconds: true }).map(toManifest),
  replicaSetArbitrary().map(toManifest),
  podArbitrary().map(toManifest),
);

describe('generated manifests', () => {
  let api: ReferenceApi;
  beforeAll(async () => {
    api = await startReferenceApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('are created by the reference API server (201)', async () => {
    await assertProperty(
      fc.asyncProperty(manifests, async (m) => {
        const a = await api.create(m);
        if (a.status !== 201) {
          const causes = causesOf(a).map((c) => `${c.field}: ${c.message}`);
          throw new Error(`${String(m.kind)} refused with ${a.status}: ${String(a.body.message)}${causes.length ? `\n  ${causes.join('\n  ')}` : ''}\n${JSON.stringify(m, null, 1)}`);
        }
        const meta = a.body.metadata as { name?: string; generateName?: string } | undefined;
        const sent = m.metadata as { name?: string; generateName?: string };
        if (sent.name !== undefined) expect(meta?.name).toBe(sent.name);
        else expect(meta?.name?.startsWith(sent.generateName ?? '')).toBe(true);
      }),
      { file: FILE, numRuns: 300 },
    );
  });

  it('cover the variety they are meant to', () => {
    const seen = new Set<string>();
    const note = (cond: boolean, what: string) => {
      if (cond) seen.add(what);
    };
    for (const m of fc.sample(manifests, { numRuns: 1500, seed: 42 })) {
      const text = JSON.stringify(m);
      const meta = m.metadata as { generateName?: string };
      note(meta.generateName !== undefined, 'generateName');
      note(text.includes('"type":"Recreate"'), 'Recreate');
      note(/"maxSurge":"\d+%"/.test(text), 'percent maxSurge');
      note(/"maxUnavailable":\d/.test(text), 'absolute maxUnavailable');
      note(text.includes('does-not-exist') || text.includes('example.invalid') || text.includes('typo') || text.includes('no-such-image'), 'missing image');
      note(text.includes('exit 0') || text.includes('"true"'), 'exit 0');
      note(/exit (?!0)\d+/.test(text) || text.includes('"false"'), 'exit non-zero');
      note(text.includes('crashing'), 'crash after a while');
      note(text.includes('infinity') || text.includes('86400') || text.includes('while true'), 'runs forever');
      note(text.includes('"nodeSelector"'), 'nodeSelector');
      note(text.includes('requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms"'), 'required node affinity');
      note(text.includes('"podAntiAffinity"') && text.includes('kubernetes.io/hostname'), 'pod anti-affinity');
      note(text.includes('"tolerations"'), 'tolerations');
      note(/"cpu":"\d+m"/.test(text), 'cpu 100m');
      note(/"cpu":"\d+(\.\d+)?"/.test(text), 'cpu "0.5"');
      note(/"cpu":\d/.test(text), 'cpu as a number');
      note(/"memory":"\d+Mi"/.test(text), 'memory Mi');
      note(/"memory":"\d+Gi"/.test(text), 'memory Gi');
      note(text.includes('"limits"'), 'limits');
      note(text.includes('"matchExpressions"'), 'matchExpressions in a selector');
      note(text.includes('"restartPolicy":"Never"'), 'restartPolicy Never');
      note(text.includes('"restartPolicy":"OnFailure"'), 'restartPolicy OnFailure');
      note(/"replicas":0[,}]/.test(text), 'zero replicas');
    }
    const wanted = [
      'generateName', 'Recreate', 'percent maxSurge', 'absolute maxUnavailable', 'missing image', 'exit 0', 'exit non-zero', 'crash after a while', 'runs forever',
      'nodeSelector', 'required node affinity', 'pod anti-affinity', 'tolerations', 'cpu 100m', 'cpu "0.5"', 'cpu as a number', 'memory Mi', 'memory Gi', 'limits',
      'matchExpressions in a selector', 'restartPolicy Never', 'restartPolicy OnFailure', 'zero replicas',
    ];
    expect(wanted.filter((w) => !seen.has(w))).toEqual([]);
  });
});
