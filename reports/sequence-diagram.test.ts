// The sequence diagram on a hand-made history: which requests it follows from a violation's
// objects and revisions, on which lanes, in what order, and that the SVG is well-formed.

import { describe, expect, it } from 'vitest';
import { emptyHistory } from '../harness/invariants/history-builder.testing.js';
import { orphanHistory, T0, wellFormed } from './report-fixtures.testing.js';
import { laneOfObserver, laneOfUser, LANES, renderSequenceDiagram, sequenceModel, type SequenceStep } from './sequence-diagram.js';

const messages = (steps: readonly SequenceStep[]) => steps.flatMap((s) => (s.kind === 'message' ? [`${s.from}→${s.to} ${s.label}`] : []));

describe('sequence diagram', () => {
  it('puts each audited user on its lane along the seeds path', () => {
    expect(LANES.map((l) => l.id)).toEqual(['kubectl', 'controller-manager', 'apiserver', 'store', 'scheduler', 'kubelet', 'runtime']);
    expect(['admin', 'system:kube-controller-manager', 'system:kube-scheduler', 'system:node:node-2', 'system:apiserver', 'system:serviceaccount:kube-system:replicaset-controller'].map(laneOfUser)).toEqual([
      'kubectl',
      'controller-manager',
      'scheduler',
      'kubelet',
      'apiserver',
      'controller-manager',
    ]);
    expect(['observer', 'kubelet-node-1', 'scheduler/pods'].map(laneOfObserver)).toEqual(['kubectl', 'kubelet', 'scheduler']);
  });

  it('follows the pod a violation names, its owner, their writes, the runtime and the watches, up to the violation', () => {
    const { history, violation } = orphanHistory();
    const model = sequenceModel(history, { violations: [violation] });
    const seen = messages(model.steps);
    expect(seen).toEqual(
      expect.arrayContaining([
        'kubelet→apiserver create nodes node-1 → 201',
        'kubectl→apiserver create deployments default/web → 201',
        'apiserver→store put deployments/default/web @3',
        'controller-manager→apiserver create pods default/web-1 → 201',
        'scheduler→apiserver update pods default/web-1 → 200',
        'kubelet→runtime node-1: start app of web-1',
        'kubectl→apiserver delete deployments default/web → 200',
        'kubelet→apiserver delete pods default/web-1 → 200',
        'apiserver→store unaudited put pods/default/web-1 @10',
        'apiserver→kubectl watch: DELETED pod default/web-1 rv 9',
      ]),
    );
    // In order of time, ending with the violation.
    const times = model.steps.map((s) => s.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const last = model.steps[model.steps.length - 1]!;
    expect(last).toMatchObject({ kind: 'note', style: 'violation', time: T0 + 130_000 });
    expect(model.steps.filter((s) => s.kind === 'note' && s.style === 'fault').length).toBe(2);
    expect(model.followed).toEqual(['pod default/web-1', 'node node-1']);
  });

  it('follows a revision to the object it wrote', () => {
    const { history } = orphanHistory();
    const model = sequenceModel(history, { violations: [{ invariant: 'store-only-via-apiserver', message: 'revision 10 was written by no audited API request', time: T0 + 11_300, objects: ['revision 10'] }] });
    const seen = messages(model.steps);
    expect(seen).toContain('apiserver→store unaudited put pods/default/web-1 @10');
    expect(seen).toContain('controller-manager→apiserver create pods default/web-1 → 201');
    expect(seen.some((m) => m.includes('deployments default/web'))).toBe(true);
  });

  it('stops at the first violation and keeps the last steps before it', () => {
    const { history, violation } = orphanHistory();
    const early = { ...violation, time: T0 + 10_120 };
    const model = sequenceModel(history, { violations: [early, violation], maxSteps: 3 });
    expect(model.laterViolations).toBe(1);
    expect(model.steps.filter((s) => s.kind === 'message' || s.style !== 'violation')).toHaveLength(3);
    expect(model.steps.every((s) => s.time <= T0 + 10_120)).toBe(true);
    expect(model.omitted).toBeGreaterThan(0);
  });

  it("shortens a long request label but keeps its answer", () => {
    const { history } = orphanHistory();
    const name = 'a-replicaset-with-a-very-long-generated-name-7d9f8c6b5d';
    const audit = [...(history.audit ?? []), { auditID: 'x', time: T0 + 10_500, user: 'system:kube-controller-manager', verb: 'update', resource: 'replicasets', subresource: 'status', namespace: 'default', name, code: 409, revisions: [] }];
    const svg = renderSequenceDiagram({ ...history, audit }, { violations: [{ invariant: 'api-semantics', message: 'x', objects: [`replicaset default/${name}`] }] });
    expect(svg).toMatch(/>update replicasets\/status default\/a-repl[^<]*… → 409<title>/);
  });

  it('renders well-formed SVG with every lane and the violation', () => {
    const { history, violation } = orphanHistory();
    const svg = renderSequenceDiagram(history, { violations: [violation] });
    expect(wellFormed(svg)).toBe(true);
    for (const lane of LANES) expect(svg).toContain(`>${lane.title}</text>`);
    expect(svg).toContain('✗ convergence: orphan container app');
    expect(svg).toContain('class="unaudited"');
    expect(wellFormed(renderSequenceDiagram(emptyHistory()))).toBe(true);
  });
});
