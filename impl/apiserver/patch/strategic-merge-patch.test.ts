import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../../../specs/support/property.js';
import type { JsonObject, JsonValue } from './json.js';
import { applyMergePatch } from './merge-patch.js';
import { PatchError } from './patch-error.js';
import { patchSchemaFor, type PatchSchema } from './patch-schema.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const FILE = 'impl/apiserver/patch/strategic-merge-patch.test.ts';
const DEPLOYMENT = patchSchemaFor('Deployment')!;
const POD = patchSchemaFor('Pod')!;
const NODE = patchSchemaFor('Node')!;
const SERVICE = patchSchemaFor('Service')!;

function patchError(f: () => unknown): PatchError {
  try {
    f();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected a PatchError');
}

const at = (v: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined => {
  let cur = v;
  for (const p of path) cur = typeof p === 'number' ? (cur as JsonValue[])[p] : (cur as JsonObject)[p];
  return cur;
};

/** A Deployment as the server stores it after the first `kubectl apply`: defaulted, with status. */
function liveDeployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'd1',
      resourceVersion: '41',
      generation: 1,
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.24',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              imagePullPolicy: 'IfNotPresent',
              resources: {},
              terminationMessagePath: '/dev/termination-log',
            },
          ],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
          schedulerName: 'default-scheduler',
        },
      },
    },
    status: { observedGeneration: 1, replicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
  };
}

describe('strategic merge patch: what `kubectl apply` (client-side, 1.32) sends on a second apply', () => {
  it('image, replicas, a new label, env C added and env A removed, with $setElementOrder', () => {
    const live = liveDeployment();
    const patch = {
      metadata: {
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' },
        labels: { tier: 'frontend' },
      },
      spec: {
        replicas: 3,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'B' }, { name: 'C' }],
                env: [
                  { name: 'C', value: '3' },
                  { $patch: 'delete', name: 'A' },
                ],
                image: 'nginx:1.25',
                name: 'web',
              },
            ],
          },
        },
      },
    };
    const patchCopy = structuredClone(patch);
    const out = applyStrategicMergePatch(live, patch, DEPLOYMENT);

    const want = liveDeployment();
    const meta = want['metadata'] as JsonObject;
    meta['labels'] = { app: 'web', tier: 'frontend' };
    meta['annotations'] = { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' };
    const spec = want['spec'] as JsonObject;
    spec['replicas'] = 3;
    const container = at(want, 'spec', 'template', 'spec', 'containers', 0) as JsonObject;
    container['image'] = 'nginx:1.25';
    container['env'] = [
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ];
    expect(out).toEqual(want);
    expect(live).toEqual(liveDeployment());
    expect(patch).toEqual(patchCopy);
  });

  it('a container removed from the configuration', () => {
    const live = liveDeployment();
    const containers = at(live, 'spec', 'template', 'spec', 'containers') as JsonObject[];
    containers.push({ name: 'sidecar', image: 'busybox' });
    const out = applyStrategicMergePatch(
      live,
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ $patch: 'delete', name: 'sidecar' }] } } } },
      DEPLOYMENT,
    );
    expect((at(out, 'spec', 'template', 'spec', 'containers') as JsonObject[]).map((c) => c['name'])).toEqual(['web']);
  });

  it('a container added after the existing one keeps the configuration order', () => {
    const out = applyStrategicMergePatch(
      liveDeployment(),
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
              containers: [{ image: 'busybox', name: 'sidecar' }],
            },
          },
        },
      },
      DEPLOYMENT,
    );
    const containers = at(out, 'spec', 'template', 'spec', 'containers') as JsonObject[];
    expect(containers.map((c) => c['name'])).toEqual(['web', 'sidecar']);
    expect(containers[1]).toEqual({ name: 'sidecar', image: 'busybox' });
  });

  it('a field removed from the configuration arrives as null and is deleted', () => {
    const live = liveDeployment();
    (at(live, 'spec', 'template', 'metadata', 'labels') as JsonObject)['tier'] = 'fe';
    const out = applyStrategicMergePatch(live, { spec: { template: { metadata: { labels: { tier: null } } } } }, DEPLOYMENT);
    expect(at(out, 'spec', 'template', 'metadata', 'labels')).toEqual({ app: 'web' });
  });

  it('a changed strategy type clears rollingUpdate through $retainKeys', () => {
    const out = applyStrategicMergePatch(
      liveDeployment(),
      { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
      DEPLOYMENT,
    );
    expect(at(out, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
  });

  it('a volume switched from emptyDir to configMap through $retainKeys in the element', () => {
    const live = liveDeployment();
    (at(live, 'spec', 'template', 'spec') as JsonObject)['volumes'] = [
      { name: 'data', emptyDir: {} },
      { name: 'other', emptyDir: {} },
    ];
    const out = applyStrategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/volumes': [{ name: 'data' }, { name: 'other' }],
              volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, emptyDir: null, name: 'data' }],
            },
          },
        },
      },
      DEPLOYMENT,
    );
    expect(at(out, 'spec', 'template', 'spec', 'volumes')).toEqual([
      { name: 'data', configMap: { name: 'cm' } },
      { name: 'other', emptyDir: {} },
    ]);
  });

  it('$retainKeys rejects a patch that sets a field it does not list', () => {
    const err = patchError(() =>
      applyStrategicMergePatch(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 }, type: 'Recreate' } } }, DEPLOYMENT),
    );
    expect(err.message).toBe('the patch sets spec.strategy.rollingUpdate, which is not in $retainKeys ["type"]');
  });
});

describe('strategic merge patch: other kubectl commands', () => {
  it('kubectl set image', () => {
    const out = applyStrategicMergePatch(
      liveDeployment(),
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ image: 'nginx:1.26', name: 'web' }] } } } },
      DEPLOYMENT,
    );
    const c = at(out, 'spec', 'template', 'spec', 'containers', 0) as JsonObject;
    expect(c['image']).toBe('nginx:1.26');
    expect(c['env']).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
  });

  it('kubectl cordon and uncordon', () => {
    const node: JsonObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { podCIDR: '10.0.1.0/24' } };
    const cordoned = applyStrategicMergePatch(node, { spec: { unschedulable: true } }, NODE);
    expect(cordoned['spec']).toEqual({ podCIDR: '10.0.1.0/24', unschedulable: true });
    const uncordoned = applyStrategicMergePatch(cordoned, { spec: { unschedulable: null } }, NODE);
    expect(uncordoned['spec']).toEqual({ podCIDR: '10.0.1.0/24' });
  });

  it('kubectl scale and label through SMP, should a client choose it', () => {
    const out = applyStrategicMergePatch(liveDeployment(), { spec: { replicas: 0 }, metadata: { labels: { app: null, x: 'y' } } }, DEPLOYMENT);
    expect(at(out, 'spec', 'replicas')).toBe(0);
    expect(at(out, 'metadata', 'labels')).toEqual({ x: 'y' });
  });
});

describe('strategic merge patch: merge keys of the core kinds', () => {
  const pod = (): JsonObject => ({
    metadata: { name: 'p', finalizers: ['a', 'b'], ownerReferences: [{ uid: 'u1', name: 'rs', kind: 'ReplicaSet', apiVersion: 'apps/v1' }] },
    spec: {
      containers: [
        {
          name: 'c',
          ports: [
            { containerPort: 80, name: 'http' },
            { containerPort: 443, name: 'https' },
          ],
          volumeMounts: [
            { name: 'data', mountPath: '/a' },
            { name: 'data', mountPath: '/b' },
          ],
        },
      ],
      tolerations: [{ key: 'k1', operator: 'Exists' }],
      imagePullSecrets: [{ name: 's1' }],
    },
    status: {
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: 'False' },
      ],
    },
  });

  it('ports merge by containerPort', () => {
    const out = applyStrategicMergePatch(pod(), { spec: { containers: [{ name: 'c', ports: [{ containerPort: 443, name: 'tls' }] }] } }, POD);
    expect(at(out, 'spec', 'containers', 0, 'ports')).toEqual([
      { containerPort: 80, name: 'http' },
      { containerPort: 443, name: 'tls' },
    ]);
  });

  it('volumeMounts merge by mountPath, not by name', () => {
    const out = applyStrategicMergePatch(pod(), { spec: { containers: [{ name: 'c', volumeMounts: [{ mountPath: '/b', readOnly: true }] }] } }, POD);
    expect(at(out, 'spec', 'containers', 0, 'volumeMounts')).toEqual([
      { name: 'data', mountPath: '/a' },
      { name: 'data', mountPath: '/b', readOnly: true },
    ]);
  });

  it('conditions merge by type (a kubelet status patch)', () => {
    const out = applyStrategicMergePatch(
      pod(),
      {
        status: {
          '$setElementOrder/conditions': [{ type: 'Initialized' }, { type: 'PodScheduled' }, { type: 'Ready' }],
          conditions: [
            { type: 'Initialized', status: 'True' },
            { type: 'Ready', status: 'True' },
          ],
        },
      },
      POD,
    );
    expect(at(out, 'status', 'conditions')).toEqual([
      { type: 'Initialized', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'True' },
    ]);
  });

  it('tolerations have no merge strategy and are replaced', () => {
    const out = applyStrategicMergePatch(pod(), { spec: { tolerations: [{ key: 'k2', operator: 'Exists' }] } }, POD);
    expect(at(out, 'spec', 'tolerations')).toEqual([{ key: 'k2', operator: 'Exists' }]);
  });

  it('imagePullSecrets merge by name, ownerReferences by uid', () => {
    const out = applyStrategicMergePatch(
      pod(),
      {
        metadata: { ownerReferences: [{ uid: 'u1', controller: true }] },
        spec: { imagePullSecrets: [{ name: 's2' }] },
      },
      POD,
    );
    expect(at(out, 'metadata', 'ownerReferences')).toEqual([{ uid: 'u1', name: 'rs', kind: 'ReplicaSet', apiVersion: 'apps/v1', controller: true }]);
    expect(at(out, 'spec', 'imagePullSecrets')).toEqual([{ name: 's2' }, { name: 's1' }]);
  });

  it('finalizers merge as a set, $deleteFromPrimitiveList removes, $setElementOrder orders', () => {
    const out = applyStrategicMergePatch(
      pod(),
      { metadata: { '$setElementOrder/finalizers': ['b', 'c'], '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c'] } },
      POD,
    );
    expect(at(out, 'metadata', 'finalizers')).toEqual(['b', 'c']);
    const added = applyStrategicMergePatch(pod(), { metadata: { finalizers: ['b', 'z'] } }, POD);
    expect(at(added, 'metadata', 'finalizers')).toEqual(['a', 'b', 'z']);
  });

  it('Service ports merge by port', () => {
    const svc: JsonObject = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }], clusterIPs: ['10.0.0.1'] } };
    const out = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }], clusterIPs: ['10.0.0.2'] } }, SERVICE);
    expect(out['spec']).toEqual({ ports: [{ port: 80, targetPort: 9090 }, { port: 443 }], clusterIPs: ['10.0.0.2'] });
  });
});

describe('strategic merge patch: directives and order, as upstream', () => {
  const schema: PatchSchema = { list: { strategy: 'merge', mergeKey: 'name' }, ints: { strategy: 'merge' } };

  it('keeps the patch order; elements only the server has keep their place relative to it', () => {
    const original: JsonObject = { list: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] };
    const out = applyStrategicMergePatch(
      original,
      {
        list: [
          { name: 3, value: 'c' },
          { name: 1, value: 'a' },
        ],
      },
      schema,
    );
    expect(out['list']).toEqual([{ name: 2, value: 'b' }, { name: 3, value: 'c' }, { name: 1, value: 'a' }]);
    expect(applyStrategicMergePatch({ ints: [1, 2, 3] }, { ints: [3, 1] }, schema)['ints']).toEqual([2, 3, 1]);
  });

  it('without $setElementOrder a new element lands before the server-only ones (as upstream)', () => {
    const out = applyStrategicMergePatch({ list: [{ name: 'a' }, { name: 'b' }] }, { list: [{ name: 'c' }] }, schema);
    expect(out['list']).toEqual([{ name: 'c' }, { name: 'a' }, { name: 'b' }]);
  });

  it('$setElementOrder alone reorders, ignoring names the list lacks', () => {
    expect(applyStrategicMergePatch({ ints: [1, 3] }, { '$setElementOrder/ints': [3, 2, 1] }, schema)['ints']).toEqual([3, 1]);
    const out = applyStrategicMergePatch(
      { list: [{ name: 1 }, { name: 3 }] },
      { '$setElementOrder/list': [{ name: 3 }, { name: 2 }, { name: 1 }], list: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
      schema,
    );
    expect(out['list']).toEqual([{ name: 3, value: 3 }, { name: 1, value: 1 }]);
  });

  it('rejects a patch list whose order contradicts $setElementOrder', () => {
    const err = patchError(() =>
      applyStrategicMergePatch(
        { list: [{ name: 1 }, { name: 3 }, { name: 2 }] },
        { '$setElementOrder/list': [{ name: 1 }, { name: 2 }, { name: 3 }], list: [{ name: 3 }, { name: 1 }] },
        schema,
      ),
    );
    expect(err.message).toMatch(/doesn't match \$setElementOrder\/list/);
  });

  it('$patch: delete on a map empties it; on list elements deletes every match', () => {
    expect(applyStrategicMergePatch({ m: { a: 1 }, k: 1 }, { m: { $patch: 'delete' } }, schema)).toEqual({ m: {}, k: 1 });
    const out = applyStrategicMergePatch(
      { list: [{ name: 1 }, { name: 1 }, { name: 2, value: 'a' }, { name: 3 }] },
      { list: [{ name: 1, $patch: 'delete' }, { name: 3, $patch: 'delete' }] },
      schema,
    );
    expect(out['list']).toEqual([{ name: 2, value: 'a' }]);
  });

  it('$patch: replace on a map and in a list', () => {
    expect(applyStrategicMergePatch({ name: 1, value: 1 }, { other: 'a', $patch: 'replace' }, schema)).toEqual({ other: 'a' });
    expect(applyStrategicMergePatch({ list: [{ name: 1 }, { name: 2 }] }, { list: [{ $patch: 'replace' }] }, schema)).toEqual({ list: [] });
    expect(applyStrategicMergePatch({ list: [{ name: 1, v: 1 }] }, { list: [{ name: 2 }, { $patch: 'replace' }] }, schema)).toEqual({
      list: [{ name: 2 }],
    });
  });

  it('$patch: merge is the default for a map, but lists cannot ask for it', () => {
    expect(applyStrategicMergePatch({ m: { a: 1 } }, { m: { $patch: 'merge', b: 2 } }, schema)).toEqual({ m: { a: 1, b: 2 } });
    expect(() => applyStrategicMergePatch({ list: [] }, { list: [{ $patch: 'merge' }] }, schema)).toThrow(/merging lists cannot yet be specified/);
    expect(() => applyStrategicMergePatch({}, { $patch: 'explode' }, schema)).toThrow('unknown patch type: "explode" in map at the object');
  });

  it('an empty merging list in a patch changes nothing; lists without a strategy replace', () => {
    expect(applyStrategicMergePatch({ list: [{ name: 1 }] }, { list: [] }, schema)).toEqual({ list: [{ name: 1 }] });
    expect(applyStrategicMergePatch({ other: [1, 2] }, { other: [3] }, schema)).toEqual({ other: [3] });
  });

  it('nulls and directives inside new values are resolved, not stored', () => {
    const out = applyStrategicMergePatch({}, { m: { a: null, b: { $patch: 'delete' }, c: 1 }, list: [{ name: 1, x: null }] }, schema);
    expect(out).toEqual({ m: { b: {}, c: 1 }, list: [{ name: 1 }] });
  });

  it('errors that upstream reports', () => {
    expect(patchError(() => applyStrategicMergePatch({}, [], schema)).code).toBe(400);
    expect(patchError(() => applyStrategicMergePatch({}, 'x', schema)).message).toBe('a strategic merge patch must be a JSON object, not a string');
    expect(patchError(() => applyStrategicMergePatch({ list: [{ name: 1 }] }, { list: [{ value: 2 }] }, schema)).message).toBe(
      'map: {"value":2} does not contain declared merge key: name (in list)',
    );
    expect(() => applyStrategicMergePatch({}, { ints: [[1]] }, schema)).toThrow('lists of lists are not supported (ints)');
    expect(() => applyStrategicMergePatch({ ints: [1] }, { ints: ['1'] }, schema)).toThrow('list element types are not identical in ints: number and string');
    expect(() => applyStrategicMergePatch({}, { '$setElementOrder/list': 'x' }, schema)).toThrow(/setElementOrder/);
    expect(patchError(() => applyStrategicMergePatch({}, { $retainKeys: 'x' }, schema)).code).toBe(400);
    expect(() => applyStrategicMergePatch({ m: [{ a: 1 }] }, { m: [{ a: 2 }] }, { m: { strategy: 'merge' } })).toThrow(
      'cannot merge lists without merge key for m',
    );
  });
});

describe('strategic merge patch: properties', () => {
  const key = fc.constantFrom('a', 'b', 'name', 'spec');
  const scalar = fc.oneof(fc.string({ maxLength: 2 }), fc.integer({ min: 0, max: 3 }), fc.boolean());
  // A well-typed keyed list: what the schemas below say "list" holds.
  const element = fc.record({ name: fc.constantFrom('x', 'y', 'z'), v: scalar }, { requiredKeys: ['name'] });
  const keyedList = fc.uniqueArray(element, { selector: (e) => e.name, maxLength: 3 });
  // Plain objects: no nulls and no "$" keys; arrays hold scalars, except "list".
  const { object } = fc.letrec<{ object: JsonObject; value: JsonValue }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalar, tie('object'), fc.array(scalar, { maxLength: 3 })),
    object: fc
      .tuple(fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }), fc.option(keyedList, { nil: undefined }))
      .map(([o, list]) => (list === undefined ? o : { ...o, list })),
  }));
  const schemas: PatchSchema[] = [{}, { list: { strategy: 'merge', mergeKey: 'name' }, 'spec.list': { strategy: 'merge', mergeKey: 'name' } }];

  it('property: $patch: replace equals a plain replacement', () => {
    checkProperty(
      FILE,
      'property: $patch: replace equals a plain replacement',
      fc.property(object, object, fc.constantFrom(...schemas), (a, b, schema) => {
        expect(applyStrategicMergePatch(a, { ...b, $patch: 'replace' }, schema)).toEqual(b);
        expect(applyStrategicMergePatch({ spec: a, k: 1 }, { spec: { ...b, $patch: 'replace' } }, schema)).toEqual({ spec: b, k: 1 });
      }),
    );
  });

  it('property: a list with {$patch: replace} becomes exactly the patch elements', () => {
    const list = keyedList;
    checkProperty(
      FILE,
      'property: a list with {$patch: replace} becomes exactly the patch elements',
      fc.property(list, list, (a, b) => {
        const schema = schemas[1]!;
        expect(applyStrategicMergePatch({ list: a }, { list: [...b, { $patch: 'replace' }] }, schema)).toEqual({ list: b });
      }),
    );
  });

  it('property: with no merging lists, a strategic merge patch is a JSON merge patch', () => {
    const { patch } = fc.letrec<{ patch: JsonObject; value: JsonValue }>((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, fc.constant(null), tie('patch'), fc.array(scalar, { maxLength: 3 })),
      patch: fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
    }));
    checkProperty(
      FILE,
      'property: with no merging lists, a strategic merge patch is a JSON merge patch',
      fc.property(object, patch, (a, p) => {
        expect(applyStrategicMergePatch(a, p, {})).toEqual(applyMergePatch(a, p));
      }),
    );
  });
});
