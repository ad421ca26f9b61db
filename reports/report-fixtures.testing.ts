// Small hand-made histories for the report renderers' tests: a Deployment's pod that is
// created, scheduled, runs, is deleted while its container keeps running (an orphan, as the
// kubelet/leak-containers-on-delete mutant leaves it), with one fault and one operation.

import type { History } from '../harness/history/history.js';
import { HistoryBuilder } from '../harness/invariants/history-builder.testing.js';
import type { Violation } from '../harness/invariants/invariant.js';

export const T0 = 1_700_000_000_000;

export function orphanHistory(): { history: History; violation: Violation } {
  const b = new HistoryBuilder().watch('observer', { resource: 'pods' }).watch('observer', { resource: 'deployments' });
  b.at(T0).put('Node', 'node-1', { allocatable: { cpuMilli: 2000, memoryBytes: 4 << 30 } }, 'system:node:node-1');
  b.at(T0 + 10_000);
  const d = b.put('Deployment', 'web', { replicas: 1 }, 'admin');
  b.at(T0 + 10_050);
  const pod = b.put('Pod', 'web-1', { phase: 'Pending', ownerUids: [d.uid] }, 'system:kube-controller-manager');
  b.at(T0 + 10_100);
  b.put('Pod', 'web-1', { nodeName: 'node-1', scheduledCondition: true }, 'system:kube-scheduler');
  b.runtime.push({ time: T0 + 10_150, node: 'node-1', containerId: 'sim://c1', type: 'started', pod: { namespace: 'default', name: 'web-1', uid: pod.uid }, container: 'app' });
  b.at(T0 + 10_200);
  b.put('Pod', 'web-1', { phase: 'Running', ready: true, containerStates: { app: 'running' } }, 'system:node:node-1');
  b.faults.push({ time: T0 + 10_300, kind: 'container-kill', target: 'node-1', phase: 'inject', detail: 'default/web-1' });
  b.faults.push({ time: T0 + 10_400, kind: 'node-partition', target: 'node-1', phase: 'inject' }, { time: T0 + 10_900, kind: 'node-partition', target: 'node-1', phase: 'heal' });
  b.operations.push({ index: 0, time: T0 + 11_000, op: 'delete', kind: 'Deployment', target: 'default/web', code: 200 });
  b.at(T0 + 11_000);
  b.delete('Deployment', 'web', 'default', 'admin');
  b.at(T0 + 11_100);
  b.put('Pod', 'web-1', { deleting: true }, 'system:kube-controller-manager');
  b.at(T0 + 11_200);
  b.delete('Pod', 'web-1', 'default', 'system:node:node-1');
  // An unaudited write, as apiserver/unaudited-status-writes makes them.
  b.storeWrites.push({ revision: ++b.revision, time: T0 + 11_300, changes: [{ key: '/registry/pods/default/web-1', type: 'put' }] });
  b.at(T0 + 130_000);
  const violation: Violation = {
    invariant: 'convergence',
    message: 'orphan container app on node node-1 still runs for pod default/web-1, which no longer exists, at t=1700000130s',
    time: T0 + 130_000,
    objects: ['pod default/web-1', 'node node-1'],
  };
  const history = b.build({
    target: 'sim',
    seed: 7,
    healedAt: T0 + 11_000,
    convergenceBoundMs: 119_000,
    final: b.final([{ node: 'node-1', containerId: 'sim://c1', container: 'app', running: true, pod: { namespace: 'default', name: 'web-1', uid: pod.uid } }], ['node-1']),
    convergedAt: T0 + 130_000,
  });
  return { history, violation };
}

/** True when every tag in an SVG/XML/HTML string is closed in order (void HTML tags aside). */
export function wellFormed(markup: string): boolean {
  const stack: string[] = [];
  const body = markup.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?xml[^>]*\?>/, '').replace(/<!DOCTYPE[^>]*>/i, '');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing || /^(meta|br|img|input|link|hr)$/i.test(name!)) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0;
}
