// One informer per resource for the whole controller-manager, as client-go's shared
// informer factory: every controller registers its handlers on the same caches, so two
// controllers never disagree because each watched at its own pace, and the API server
// serves one watch per resource rather than one per controller.

import type { ApiObject } from '../client/api-client.js';
import type { ApiClient } from '../client/api-client.js';
import { Informer, type InformerOptions } from '../client/informer.js';
import { apiVersionOf, type ResourceRef } from '../client/resources.js';
import type { Env } from '../env/env.js';

export class SharedInformers {
  private readonly informers = new Map<string, Informer<ApiObject>>();
  private started = false;

  constructor(
    private readonly env: Env,
    private readonly client: ApiClient,
    private readonly defaults: Pick<InformerOptions, 'resyncMs' | 'retryMs'> = {},
  ) {}

  /** The informer of a resource (in one namespace, or all), created on first use. */
  informer<T extends ApiObject>(resource: ResourceRef, namespace?: string): Informer<T> {
    const key = `${apiVersionOf(resource)}/${resource.plural}@${namespace ?? ''}`;
    let informer = this.informers.get(key);
    if (!informer) {
      if (this.started) throw new Error(`informer for ${key} requested after start: controllers must ask for their informers before the manager starts`);
      informer = new Informer<ApiObject>(this.env, this.client, resource, { ...this.defaults, ...(namespace !== undefined ? { namespace } : {}) });
      this.informers.set(key, informer);
    }
    return informer as unknown as Informer<T>;
  }

  start(): void {
    this.started = true;
    for (const i of this.informers.values()) i.start();
  }

  stop(): void {
    for (const i of this.informers.values()) i.stop();
  }

  /** Resolves when every informer has listed once. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }
}
