// The kubelet's heartbeat: its Lease in kube-node-lease, renewed every renew interval (upstream
// 10 s of a 40 s lease). The node lifecycle controller reads renewTime to tell a live node
// from a lost one; the Lease is owned by the Node, so it goes when the Node does.

import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Env } from '../env/env.js';
import type { Millis } from '../env/clock.js';
import { isConflict, isNotFound, type ApiClient } from '../client/api-client.js';
import { LEASES } from '../client/resources.js';
import { microTime } from '../api/meta-time.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';


/** After a failed renewal, retry sooner than the renew interval (upstream backs off from 200 ms). */
const RETRY_MS = 1_000;

export class NodeLeaseRenewer {
  /** The Lease as last written, so a renewal is one update (no read) while nobody else writes it. */
  private lease: Lease | undefined;

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    private readonly nodeName: string,
    private readonly renewIntervalMs: Millis,
    private readonly durationSeconds: number,
    /** The Node's uid, for the Lease's ownerReference. */
    private readonly nodeUid: () => string | undefined,
    private readonly onError: (what: string, error: unknown) => void,
  ) {}

  start(): void {
    void (async () => {
      for (;;) {
        let wait = this.renewIntervalMs;
        try {
          await this.renew();
        } catch (e) {
          this.onError('renewing the node lease', e);
          wait = Math.min(this.renewIntervalMs, RETRY_MS);
        }
        await this.env.timers.sleep(wait);
      }
    })();
  }

  async renew(): Promise<void> {
    const renewTime = microTime(this.env.clock.now());
    const spec = { holderIdentity: this.nodeName, leaseDurationSeconds: this.durationSeconds, renewTime };
    if (!this.lease) {
      try {
        this.lease = await this.client.get<Lease>(LEASES, NODE_LEASE_NAMESPACE, this.nodeName);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        const uid = this.nodeUid();
        this.lease = await this.client.create<Lease>(LEASES, NODE_LEASE_NAMESPACE, {
          metadata: {
            name: this.nodeName,
            namespace: NODE_LEASE_NAMESPACE,
            ...(uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid }] } : {}),
          },
          spec,
        });
        return;
      }
    }
    try {
      this.lease = await this.client.update<Lease>(LEASES, { ...this.lease, spec: { ...this.lease.spec, ...spec } });
    } catch (e) {
      // Someone else wrote it (or deleted it): read it afresh next time.
      if (isConflict(e) || isNotFound(e)) this.lease = undefined;
      throw e;
    }
  }
}
