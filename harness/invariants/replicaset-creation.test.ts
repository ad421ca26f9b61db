import { describe, expect, it } from 'vitest';
import type { History } from '../history/history.js';
import { HistoryBuilder } from './history-builder.testing.js';
import { replicasetCreation } from './replicaset-creation.js';

const messages = (h: History) => replicasetCreation.check(h).violations.map((v) => v.message);

/** ReplicaSet default/web scaled to `replicas`, its controller creating `created` pods. */
function replicaSet(replicas: number, created: number): { b: HistoryBuilder; rs: string } {
  const b = new HistoryBuilder();
  for (const resource of ['pods', 'replicasets']) b.watch('harness', { resource });
  const rs = b.at(0).put('ReplicaSet', 'web', { replicas, generation: 1 }).uid;
  for (let i = 1; i <= created; i++) b.at(100 * i).put('Pod', `web-${i}`, { ownerUids: [rs], phase: 'Pending' });
  return { b, rs };
}

describe('replicaset-creation', () => {
  it('holds while a ReplicaSet creates up to spec.replicas, and replaces pods that terminate or are deleted', () => {
    const { b, rs } = replicaSet(2, 2);
    b.at(1_000).put('Pod', 'web-1', { phase: 'Failed' });
    b.at(1_100).put('Pod', 'web-3', { ownerUids: [rs], phase: 'Pending' });
    b.at(1_200).put('Pod', 'web-2', { deleting: true });
    b.at(1_300).put('Pod', 'web-4', { ownerUids: [rs], phase: 'Pending' });
    const r = replicasetCreation.check(b.build());
    expect(r.violations).toEqual([]);
    expect(r.checks).toBe(4);
  });

  it('catches a ReplicaSet that creates beyond spec.replicas (a sync acting on a cache without its own creates)', () => {
    const { b } = replicaSet(2, 3);
    expect(messages(b.build())).toEqual(['replicaset default/web created pod default/web-3 at t=0.3s (resourceVersion 5), making 3 active pods it created for spec.replicas 2: web-1, web-2, web-3']);
  });

  it('does not count adopted pods, and excuses creates for a size its controller has not yet seen shrink', () => {
    const { b, rs } = replicaSet(3, 2);
    b.at(300).put('ReplicaSet', 'web', { replicas: 2, generation: 2 });
    b.at(310).put('Pod', 'web-3', { ownerUids: [rs], phase: 'Pending' });
    expect(messages(b.build())).toEqual([]);
    b.at(400).put('ReplicaSet', 'web', { status: { observedGeneration: 2 } });
    b.at(500).put('Pod', 'web-3', { deleting: true });
    b.at(600).put('Pod', 'stray', { phase: 'Running' });
    b.at(700).put('Pod', 'stray', { ownerUids: [rs] });
    expect(messages(b.build())).toEqual([]);
    b.at(800).put('Pod', 'web-4', { ownerUids: [rs], phase: 'Pending' });
    expect(messages(b.build())).toEqual(['replicaset default/web created pod default/web-4 at t=0.8s (resourceVersion 11), making 3 active pods it created for spec.replicas 2: web-1, web-2, web-4']);
  });

  it('excuses an excess that begins while the controller-manager restarts, or just after', () => {
    const { b } = replicaSet(2, 3);
    const faults = [
      { time: 250, kind: 'controller-manager-restart', target: 'controller-manager', phase: 'inject' as const },
      { time: 280, kind: 'controller-manager-restart', target: 'controller-manager', phase: 'heal' as const },
    ];
    expect(messages(b.build({ faults }))).toEqual([]);
  });
});
