import { describe, expect, it } from 'vitest';
import type { TaintSummary } from '../history/history.js';
import { HistoryBuilder } from './history-builder.testing.js';
import { scheduling } from './scheduling.js';

const GPU = { key: 'gpu', value: 'true', effect: 'NoSchedule' };

/** node-1 registered with `taints`, node-2 plain, then a pod created and bound to node-1. */
function cluster(taints: readonly TaintSummary[] = [GPU], tolerations?: object[]): HistoryBuilder {
  const b = new HistoryBuilder().watch('harness', { resource: 'nodes' }).watch('harness', { resource: 'pods' });
  b.at(100).put('Node', 'node-1', { allocatable: { cpuMilli: 2000, memoryBytes: 2 ** 32 }, nodeReady: 'True', taints });
  b.at(110).put('Node', 'node-2', { allocatable: { cpuMilli: 2000, memoryBytes: 2 ** 32 }, nodeReady: 'True' });
  b.at(200).put('Node', 'node-1', { nodeReady: 'True', taints });
  b.at(1000).put('Pod', 'web', { phase: 'Pending', ...(tolerations ? { tolerations } : {}) });
  return b;
}

const bind = (b: HistoryBuilder, node = 'node-1') => b.at(1010).put('Pod', 'web', { nodeName: node, scheduledCondition: true });

describe('scheduling', () => {
  it('catches a binding to a node whose untolerated NoSchedule taint it carried since its creation', () => {
    const b = cluster();
    bind(b);
    const r = scheduling.check(b.build());
    expect(r.ok).toBe(false);
    expect(r.violations.map((v) => v.message)).toEqual([
      'pod default/web was bound to node node-1 at t=1.01s (resourceVersion 6), but the node had taint gpu=true:NoSchedule, which the pod does not tolerate, ' +
        'and every version of the node since its creation (resourceVersions 2–4) carried an untolerated NoSchedule or NoExecute taint: no cache the scheduler could have decided on showed the node open to it',
    ]);
  });

  it('catches NoExecute taints too, and judges without a store log by a stream that saw everything', () => {
    const b = cluster([{ key: 'maintenance', value: 'planned', effect: 'NoExecute' }]);
    bind(b);
    b.at(1020).put('Node', 'node-1', { nodeReady: 'True' });
    const { storeWrites: _ignored, ...noStore } = b.build();
    expect(scheduling.check(noStore).violations).toHaveLength(1);
  });

  it('holds for tolerated taints, PreferNoSchedule, and untainted nodes', () => {
    const tolerated = cluster([GPU], [{ key: 'gpu', operator: 'Exists' }]);
    bind(tolerated);
    const soft = cluster([{ key: 'spot', effect: 'PreferNoSchedule' }]);
    bind(soft);
    const plain = cluster();
    bind(plain, 'node-2');
    for (const b of [tolerated, soft, plain]) {
      const r = scheduling.check(b.build());
      expect(r.violations).toEqual([]);
      expect(r.checks).toBe(1);
    }
  });

  it('excuses a taint the scheduler may not have seen: some version since the creation lacked it', () => {
    const b = cluster([]);
    b.at(900).put('Node', 'node-1', { taints: [GPU] });
    bind(b);
    expect(scheduling.check(b.build()).violations).toEqual([]);
  });

  it('does not judge pods created with nodeName, nor nodes whose creation or versions the history lacks', () => {
    const preset = cluster();
    preset.at(1100).put('Pod', 'direct', { phase: 'Pending', nodeName: 'node-1' });
    expect(scheduling.check(preset.build()).checks).toBe(0);

    const late = new HistoryBuilder();
    late.at(100).put('Node', 'node-1', { taints: [GPU] });
    late.watch('harness', { resource: 'nodes' }).watch('harness', { resource: 'pods' });
    late.at(200).put('Node', 'node-1', { taints: [GPU] });
    late.at(1000).put('Pod', 'web', { phase: 'Pending' });
    bind(late);
    expect(scheduling.check(late.build()).checks).toBe(0);
  });
});
