// Property: for generated objects of every supported kind, encoding them as Kubernetes' Go
// clients do (or sparsely, as a minimal encoder would) and decoding gives back the same object.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.js';
import { decodeKubernetesProtobuf } from './decode-kubernetes-protobuf.js';
import * as arb from './testing/arbitraries.js';
import { checkProperty } from '../../../specs/support/property.js';
import { encodeKubernetesProtobuf, type EncodeStyle } from './testing/encode-message.js';

const FILE = 'impl/apiserver/protobuf/roundtrip.property.test.ts';

const kinds: ReadonlyArray<[string, fc.Arbitrary<JsonObject>]> = [
  ['Deployment', arb.deployment],
  ['Pod', arb.pod],
  ['ReplicaSet', arb.replicaSet],
  ['Namespace', arb.namespace],
  ['Service', arb.service],
  ['ConfigMap', arb.configMap],
  ['Secret', arb.secret],
];

describe('decode(encode(object)) = object', () => {
  for (const style of ['gogo', 'sparse'] as const satisfies readonly EncodeStyle[]) {
    for (const [kind, objects] of kinds) {
      const name = `${kind}, encoded ${style}`;
      it(name, () => {
        checkProperty(
          FILE,
          name,
          fc.property(objects, (object) => {
            const unknown: number[] = [];
            const decoded = decodeKubernetesProtobuf(encodeKubernetesProtobuf(object, style), {
              onUnknownField: (u) => unknown.push(u.field),
            });
            expect(decoded.apiVersion).toBe(object['apiVersion']);
            expect(decoded.kind).toBe(object['kind']);
            expect(decoded.object).toEqual(object);
            expect(unknown).toEqual([]);
          }),
          kind === 'Deployment' || kind === 'Pod' ? 300 : 100,
        );
      });
    }
  }
});
