import { describe, expect, it } from 'vitest';
import type { History } from '../history/history.js';
import { HistoryBuilder } from './history-builder.testing.js';
import { rolloutStrategy } from './rollout-strategy.js';

const messages = (h: History) => rolloutStrategy.check(h).violations.map((v) => v.message);

/** A Recreate Deployment default/web with 2 Running pods of ReplicaSet web-a, about to roll out template b. */
class Recreate {
  readonly b = new HistoryBuilder();
  readonly d: string;

  constructor(strategy = 'Recreate') {
    for (const resource of ['pods', 'replicasets', 'deployments', 'nodes']) this.b.watch('harness', { resource });
    this.d = this.b.at(0).put('Deployment', 'web', { strategy, replicas: 2, templateDigest: 'a' }).uid;
    this.b.put('ReplicaSet', 'web-a', { ownerUids: [this.d], replicas: 2, templateDigest: 'a' });
    for (const p of ['web-a-1', 'web-a-2']) this.b.at(100).put('Pod', p, { ownerUids: [this.b.get('ReplicaSet', 'web-a').uid], phase: 'Running' });
    // set-image: the template changes; the controller scales the old ReplicaSet to 0.
    this.b.at(5_000).put('Deployment', 'web', { templateDigest: 'b', generation: 2 });
    this.b.at(5_010).put('ReplicaSet', 'web-a', { replicas: 0 });
    for (const p of ['web-a-1', 'web-a-2']) this.b.at(5_020).put('Pod', p, { deleting: true });
  }

  /** The controller scales the new ReplicaSet up; its controller creates a pod. */
  scaleUpNew(at: number): void {
    this.b.at(at).put('ReplicaSet', 'web-b', { ownerUids: [this.d], replicas: 2, templateDigest: 'b' });
    this.b.at(at + 10).put('Pod', 'web-b-1', { ownerUids: [this.b.get('ReplicaSet', 'web-b').uid], phase: 'Pending' });
  }

  oldPodsGone(at: number): void {
    this.b.at(at).put('Pod', 'web-a-1', { phase: 'Succeeded' });
    this.b.at(at).delete('Pod', 'web-a-2');
  }
}

describe('rollout-strategy', () => {
  it('holds for a Recreate rollout that waits until the old pods are terminal or gone', () => {
    const r = new Recreate();
    r.oldPodsGone(35_000);
    r.scaleUpNew(35_100);
    const result = rolloutStrategy.check(r.b.build());
    expect(result.violations).toEqual([]);
    expect(result.checks).toBe(3);
  });

  it('catches a new pod created while an old one is still terminating', () => {
    const r = new Recreate();
    r.scaleUpNew(5_100);
    expect(messages(r.b.build())).toEqual([
      'deployment default/web (strategy Recreate) created pod default/web-b-1 of its new replicaset default/web-b at t=5.11s (resourceVersion 11) while pod default/web-a-1 of old replicaset default/web-a was still terminating (and 1 more old pods)',
    ]);
  });

  it('leaves RollingUpdate Deployments to safety', () => {
    const r = new Recreate('RollingUpdate');
    r.scaleUpNew(5_100);
    expect(messages(r.b.build())).toEqual([]);
  });

  it('excuses an old pod whose create was in flight when the rollout began', () => {
    const r = new Recreate();
    r.oldPodsGone(35_000);
    // Created by web-a's controller after the template changed: a create it had sent before.
    r.b.at(35_010).put('Pod', 'web-a-3', { ownerUids: [r.b.get('ReplicaSet', 'web-a').uid], phase: 'Pending' });
    r.scaleUpNew(35_100);
    expect(messages(r.b.build())).toEqual([]);
  });
});
