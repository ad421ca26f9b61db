// Carries out a scenario's user operations through the API (any target: the client's
// transport decides where they go) and records how each ended.

import { ApiClient, ApiStatusError, type ApiObject } from '../../impl/client/api-client.js';
import { DEPLOYMENTS, NODES, PODS, REPLICASETS, type ResourceRef } from '../../impl/client/resources.js';
import type { OperationRecord } from '../history/history.js';
import type { Manifest, Operation } from '../campaign/scenario.js';

const BY_KIND: Record<string, ResourceRef> = { Deployment: DEPLOYMENTS, ReplicaSet: REPLICASETS, Pod: PODS };

function refOf(manifest: Manifest): ResourceRef {
  const kind = String(manifest.kind);
  const r = BY_KIND[kind];
  if (!r) throw new Error(`operations cannot create kind ${kind}`);
  return r;
}

function nsName(target: string): { namespace: string; name: string } {
  const i = target.indexOf('/');
  return i < 0 ? { namespace: 'default', name: target } : { namespace: target.slice(0, i), name: target.slice(i + 1) };
}

function manifestTarget(m: Manifest): string {
  const meta = (m.metadata ?? {}) as { name?: string; namespace?: string };
  return `${meta.namespace ?? 'default'}/${meta.name ?? ''}`;
}

function codeOf(e: unknown): number {
  return e instanceof ApiStatusError ? e.code : 0;
}

function rvOf(o: ApiObject | undefined): number | undefined {
  const rv = o?.metadata?.resourceVersion;
  return rv ? Number(rv) : undefined;
}

export class OperationExecutor {
  private groups = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly now: () => number,
    private readonly record: (r: OperationRecord) => void,
  ) {}

  private done(index: number, op: string, target: string, code: number, extra: Partial<OperationRecord> = {}): void {
    this.record({ index, time: this.now(), op, target, code, ...extra });
  }

  private async attempt(index: number, op: string, target: string, call: () => Promise<ApiObject | void>, extra: Partial<OperationRecord> = {}): Promise<ApiObject | undefined> {
    try {
      const out = await call();
      const rv = rvOf(out ?? undefined);
      this.done(index, op, target, 200, { ...extra, ...(rv !== undefined ? { resourceVersion: rv } : {}) });
      return out ?? undefined;
    } catch (e) {
      this.done(index, op, target, codeOf(e), { ...extra, detail: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  }

  async execute(index: number, operation: Operation): Promise<void> {
    const c = this.client;
    switch (operation.op) {
      case 'create': {
        const m = operation.manifest;
        const { namespace } = nsName(manifestTarget(m));
        await this.attempt(index, 'create', manifestTarget(m), () => c.create(refOf(m), namespace, m as ApiObject));
        return;
      }
      case 'apply': {
        const m = operation.manifest;
        const { namespace, name } = nsName(manifestTarget(m));
        const r = refOf(m);
        await this.attempt(index, 'apply', manifestTarget(m), async () => {
          try {
            const live = await c.get(r, namespace, name);
            return await c.update(r, { ...(m as ApiObject), metadata: { ...(m.metadata as object), resourceVersion: live.metadata?.resourceVersion } } as ApiObject);
          } catch (e) {
            if (e instanceof ApiStatusError && e.code === 404) return await c.create(r, namespace, m as ApiObject);
            throw e;
          }
        });
        return;
      }
      case 'duplicate-create': {
        const m = operation.manifest;
        const { namespace } = nsName(manifestTarget(m));
        const group = `dup-${index}-${this.groups++}`;
        await Promise.all(
          Array.from({ length: operation.copies }, () => this.attempt(index, 'duplicate-create', manifestTarget(m), () => c.create(refOf(m), namespace, m as ApiObject), { group })),
        );
        return;
      }
      case 'scale': {
        const { namespace, name } = nsName(operation.target);
        await this.attempt(index, 'scale', operation.target, () =>
          c.patch(DEPLOYMENTS, namespace, name, 'merge', { spec: { replicas: operation.replicas } }, { subresource: 'scale' }),
        );
        return;
      }
      case 'set-image': {
        const { namespace, name } = nsName(operation.target);
        await this.attempt(index, 'set-image', operation.target, async () => {
          const d = await c.get<ApiObject & { spec: { template: { spec: { containers: { name: string }[] } } } }>(DEPLOYMENTS, namespace, name);
          const first = d.spec.template.spec.containers[0]?.name ?? 'main';
          return c.patch(DEPLOYMENTS, namespace, name, 'strategic', { spec: { template: { spec: { containers: [{ name: first, image: operation.image }] } } } });
        });
        return;
      }
      case 'delete': {
        const { namespace, name } = nsName(operation.target);
        const r = BY_KIND[operation.kind] ?? DEPLOYMENTS;
        await this.attempt(index, 'delete', operation.target, () => c.delete(r, namespace, name, operation.propagation ? { propagationPolicy: operation.propagation } : {}), {
          kind: operation.kind,
          ...(operation.propagation ? { propagation: operation.propagation } : {}),
        });
        return;
      }
      case 'stale-update': {
        // Read, let someone else write, then update from the old read: must be refused.
        const { namespace, name } = nsName(operation.target);
        let before: ApiObject & { spec?: { replicas?: number } };
        try {
          before = await c.get(DEPLOYMENTS, namespace, name);
        } catch (e) {
          this.done(index, 'stale-update', operation.target, codeOf(e), { detail: 'read failed' });
          return;
        }
        const basedOn = rvOf(before);
        const bump = await this.attempt(index, 'update', operation.target, () =>
          c.patch(DEPLOYMENTS, namespace, name, 'merge', { metadata: { annotations: { 'kubeprop.dev/touched': String(index) } } }),
        );
        if (!bump) return;
        await this.attempt(
          index,
          'stale-update',
          operation.target,
          () => c.update(DEPLOYMENTS, { ...before, spec: { ...before.spec, replicas: operation.replicas } }),
          basedOn !== undefined ? { basedOn } : {},
        );
        return;
      }
      case 'cordon':
      case 'uncordon':
        await this.attempt(index, operation.op, operation.node, () =>
          c.patch(NODES, undefined, operation.node, 'merge', { spec: { unschedulable: operation.op === 'cordon' } }),
        );
        return;
    }
  }
}
