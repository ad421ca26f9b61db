import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { JsonObject, JsonValue } from './json.js';
import { PatchError } from './patch-error.js';
import { patchSchemaFor } from './patch-schema.js';
import { applyServerSide, conflictCauses, conflictMessage, recordUpdate, type ApplyResult, type ManagedFieldsEntry } from './server-side-apply.js';

const schema = patchSchemaFor('Deployment')!;
const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:01:00Z';

function config(overrides: { replicas?: number; image?: string; labels?: JsonObject; env?: JsonValue[] } = {}): JsonObject {
  const container: JsonObject = { name: 'web', image: overrides.image ?? 'nginx:1.24' };
  if (overrides.env) container['env'] = overrides.env;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: overrides.labels ?? { app: 'web' } },
    spec: {
      replicas: overrides.replicas ?? 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } },
    },
  };
}

function applied(result: ApplyResult): JsonObject {
  if (!result.ok) throw new Error(`unexpected conflict: ${result.message}`);
  return result.object;
}

function managedFields(obj: JsonObject): ManagedFieldsEntry[] {
  return ((obj['metadata'] as JsonObject)['managedFields'] ?? []) as unknown as ManagedFieldsEntry[];
}

const get = (v: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined => {
  let cur = v;
  for (const p of path) cur = cur === undefined ? undefined : typeof p === 'number' ? (cur as JsonValue[])[p] : (cur as JsonObject)[p];
  return cur;
};

const kubectl = { fieldManager: 'kubectl', force: false, schema, time: T0 };

describe('applyServerSide: create', () => {
  it('makes the applied configuration the object, owned by the applier', () => {
    const obj = applied(applyServerSide(undefined, config(), kubectl));
    const { managedFields: _mf, ...metadata } = obj['metadata'] as JsonObject;
    expect(metadata).toEqual(config()['metadata']);
    expect(obj['spec']).toEqual(config()['spec']);
    expect(managedFields(obj)).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': { 'f:matchLabels': { 'f:app': {} } },
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  it('takes a YAML body as well as JSON (what kubectl sends is JSON, which is YAML)', () => {
    const yamlBody = parseYaml(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.24
`) as unknown;
    expect(applied(applyServerSide(undefined, yamlBody, kubectl))).toEqual(applied(applyServerSide(undefined, config(), kubectl)));
  });

  it('rejects what is not an apply configuration', () => {
    const err = (f: () => unknown): PatchError => {
      try {
        f();
      } catch (e) {
        if (e instanceof PatchError) return e;
        throw e;
      }
      throw new Error('expected a PatchError');
    };
    expect(err(() => applyServerSide(undefined, [config()], kubectl)).message).toBe('an apply configuration must be an object, not an array');
    expect(err(() => applyServerSide(undefined, { spec: { $patch: 'replace' } }, kubectl)).message).toBe(
      'an apply configuration cannot hold the strategic merge patch directive $patch (at .spec)',
    );
    expect(err(() => applyServerSide(undefined, config(), { ...kubectl, fieldManager: '' })).code).toBe(400);
  });
});

describe('applyServerSide: a second apply', () => {
  const live = (): JsonObject => {
    const obj = applied(applyServerSide(undefined, config({ labels: { app: 'web', tier: 'fe' }, env: [{ name: 'A', value: '1' }] }), kubectl));
    // What the server adds: identity, defaults and status, owned by nobody or by controllers.
    (obj['metadata'] as JsonObject)['uid'] = 'u1';
    (obj['spec'] as JsonObject)['revisionHistoryLimit'] = 10;
    obj['status'] = { replicas: 2 };
    return obj;
  };

  it('changes what the applier owns and keeps everything else', () => {
    const before = live();
    const out = applied(applyServerSide(before, config({ replicas: 3, image: 'nginx:1.25', labels: { app: 'web', tier: 'fe' }, env: [{ name: 'A', value: '1' }] }), { ...kubectl, time: T1 }));
    expect(get(out, 'spec', 'replicas')).toBe(3);
    expect(get(out, 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe('nginx:1.25');
    expect(get(out, 'spec', 'revisionHistoryLimit')).toBe(10);
    expect(get(out, 'status')).toEqual({ replicas: 2 });
    expect(get(out, 'metadata', 'uid')).toBe('u1');
    expect(managedFields(out).map((m) => [m.manager, m.operation, m.time])).toEqual([['kubectl', 'Apply', T1]]);
    expect(before).toEqual(live());
  });

  it('removes fields the applier no longer applies, empty maps and lists with them', () => {
    const out = applied(applyServerSide(live(), config(), kubectl));
    expect(get(out, 'metadata', 'labels')).toEqual({ app: 'web' });
    expect(get(out, 'spec', 'template', 'spec', 'containers', 0)).toEqual({ name: 'web', image: 'nginx:1.24' });
    expect(JSON.stringify(managedFields(out)[0]!.fieldsV1)).not.toContain('tier');
  });

  it('keeps a field it no longer applies when another manager owns it too', () => {
    // `kubectl label --overwrite tier=fe` later: the value does not change, so kubectl-label owns nothing new...
    const labelled = recordUpdate(live(), live(), { fieldManager: 'kubectl-label', schema });
    expect(managedFields(labelled).map((m) => m.manager)).toEqual(['kubectl']);
    // ...but a changed value moves ownership to the label manager, and the apply without it keeps it.
    const relabelled = live();
    (get(relabelled, 'metadata', 'labels') as JsonObject)['tier'] = 'be';
    const owned = recordUpdate(live(), relabelled, { fieldManager: 'kubectl-label', schema, apiVersion: 'apps/v1', time: T1 });
    expect(managedFields(owned).map((m) => [m.manager, m.operation])).toEqual([
      ['kubectl', 'Apply'],
      ['kubectl-label', 'Update'],
    ]);
    const out = applied(applyServerSide(owned, config(), kubectl));
    expect(get(out, 'metadata', 'labels')).toEqual({ app: 'web', tier: 'be' });
  });
});

describe('applyServerSide: conflicts', () => {
  // `kubectl apply` (client-side) created it: kubectl-client-side-apply owns every field.
  const created = (): JsonObject =>
    recordUpdate(undefined, config(), { fieldManager: 'kubectl-client-side-apply', schema, apiVersion: 'apps/v1', time: T0 });

  it('another manager owning a field with a different value is a conflict', () => {
    const result = applyServerSide(created(), config({ replicas: 5 }), kubectl);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.conflicts).toEqual([{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', field: '.spec.replicas' }]);
    expect(result.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(conflictCauses(result.conflicts)).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
    ]);
  });

  it('the same values are shared, not conflicts', () => {
    const out = applied(applyServerSide(created(), config(), kubectl));
    expect(managedFields(out).map((m) => m.manager)).toEqual(['kubectl-client-side-apply', 'kubectl']);
  });

  it('force takes the conflicting fields over', () => {
    const out = applied(applyServerSide(created(), config({ replicas: 5 }), { ...kubectl, force: true }));
    expect(get(out, 'spec', 'replicas')).toBe(5);
    const [csa, mine] = managedFields(out);
    expect(csa!.manager).toBe('kubectl-client-side-apply');
    expect(JSON.stringify(csa!.fieldsV1)).not.toContain('f:replicas');
    expect(JSON.stringify(csa!.fieldsV1)).toContain('f:image');
    expect(mine!.manager).toBe('kubectl');
    expect(JSON.stringify(mine!.fieldsV1)).toContain('f:replicas');
  });

  it('several conflicts, grouped by manager; appliers are named without an apiVersion', () => {
    const other = applied(applyServerSide(created(), config(), { ...kubectl, fieldManager: 'helm' }));
    const result = applyServerSide(other, config({ replicas: 5, image: 'nginx:2' }), kubectl);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe(
      [
        'Apply failed with 4 conflicts: conflicts with "helm":',
        '- .spec.replicas',
        '- .spec.template.spec.containers[name="web"].image',
        'conflicts with "kubectl-client-side-apply" using apps/v1:',
        '- .spec.replicas',
        '- .spec.template.spec.containers[name="web"].image',
      ].join('\n'),
    );
  });

  it('a field changed by an update after an apply conflicts with re-applying the old value', () => {
    const live = applied(applyServerSide(undefined, config(), kubectl));
    const scaled = structuredClone(live);
    (scaled['spec'] as JsonObject)['replicas'] = 7;
    const afterScale = recordUpdate(live, scaled, { fieldManager: 'kube-controller-manager', schema, apiVersion: 'apps/v1', subresource: 'scale' });
    const result = applyServerSide(afterScale, config(), kubectl);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toBe('Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "scale" using apps/v1: .spec.replicas');
    }
  });
});

describe('recordUpdate', () => {
  it('gives a creator every field it set and an updater the fields it changed', () => {
    const created = recordUpdate(undefined, config(), { fieldManager: 'kubectl-create', schema, time: T0 });
    expect(managedFields(created)).toHaveLength(1);
    expect(managedFields(created)[0]).toMatchObject({ manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', time: T0 });

    const changed = structuredClone(created);
    (get(changed, 'spec', 'template', 'spec', 'containers', 0) as JsonObject)['image'] = 'nginx:2';
    const updated = recordUpdate(created, changed, { fieldManager: 'kubectl-set', schema, time: T1 });
    const [create, set] = managedFields(updated);
    expect(JSON.stringify(create!.fieldsV1)).not.toContain('f:image');
    expect(set!.fieldsV1).toEqual({ 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } } });
  });

  it('drops managers left with nothing and ignores managedFields the client sent', () => {
    const created = recordUpdate(undefined, { apiVersion: 'v1', kind: 'Lease', metadata: { name: 'l' }, spec: { holderIdentity: 'a' } }, { fieldManager: 'a', schema: {} });
    const forged = structuredClone(created);
    (forged['spec'] as JsonObject)['holderIdentity'] = 'b';
    (forged['metadata'] as JsonObject)['managedFields'] = [{ manager: 'forged', operation: 'Update' }];
    const out = recordUpdate(created, forged, { fieldManager: 'b', schema: {} });
    expect(managedFields(out).map((m) => m.manager)).toEqual(['b']);
  });
});

describe('conflictMessage', () => {
  it('words one conflict of an applier', () => {
    expect(conflictMessage([{ manager: 'helm', operation: 'Apply', apiVersion: 'apps/v1', field: '.spec.replicas' }])).toBe(
      'Apply failed with 1 conflict: conflict with "helm": .spec.replicas',
    );
  });
});
