// The pod lifecycle event generator: tells the pod workers which pods' containers changed.
// Runtime events (a start, an exit) arrive at once; a periodic relist of every container
// catches whatever an event stream lost, and finds containers of pods the kubelet does not
// know (orphans to clean up).

import type { Millis } from '../env/clock.js';
import type { Timers } from '../env/timers.js';
import { POD_UID_LABEL, type ContainerRuntime } from '../runtime/runtime.js';

export class Pleg {
  /** Container id → (pod uid, state) at the last relist. */
  private seen = new Map<string, { uid: string; state: string }>();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly timers: Timers,
    private readonly periodMs: Millis,
    private readonly podChanged: (uid: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.runtime.subscribe((e) => {
      const uid = e.labels?.[POD_UID_LABEL];
      if (uid) this.podChanged(uid);
    });
    void (async () => {
      for (;;) {
        try {
          await this.relist();
        } catch (e) {
          this.onError(e);
        }
        await this.timers.sleep(this.periodMs);
      }
    })();
  }

  /** Every pod uid with a container in the runtime. */
  async podsInRuntime(): Promise<Set<string>> {
    const all = await this.runtime.listContainers();
    return new Set(all.map((c) => c.labels[POD_UID_LABEL]).filter((uid): uid is string => !!uid));
  }

  private async relist(): Promise<void> {
    const now = new Map<string, { uid: string; state: string }>();
    for (const c of await this.runtime.listContainers()) {
      const uid = c.labels[POD_UID_LABEL];
      if (!uid) continue;
      now.set(c.id, { uid, state: c.state });
      const before = this.seen.get(c.id);
      if (!before || before.state !== c.state) this.podChanged(uid);
    }
    for (const [id, before] of this.seen) if (!now.has(id)) this.podChanged(before.uid);
    this.seen = now;
  }
}
