// The timeline renderer on a hand-made history (a pod orphaned by its kubelet) and the time
// scale it draws on: what it shows, that the SVG is well-formed, that time only moves right.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../specs/support/property.js';
import { emptyHistory } from '../harness/invariants/history-builder.testing.js';
import { orphanHistory, T0, wellFormed } from './report-fixtures.testing.js';
import { renderTimeline, timelineModel } from './timeline.js';
import { niceStep, timeScale } from './time-scale.js';

describe('timeline', () => {
  it("follows a pod's phases as watched, its container as the runtime ran it, faults and markers", () => {
    const { history, violation } = orphanHistory();
    const model = timelineModel(history, { violations: [violation] });
    expect(model.start).toBe(T0);
    expect(model.end).toBe(T0 + 130_000);
    expect(model.pods).toHaveLength(1);
    const pod = model.pods[0]!;
    expect(pod).toMatchObject({ name: 'default/web-1', nodeName: 'node-1', focus: true, deletedAt: T0 + 11_201 });
    expect(pod.segments.map((s) => [s.phase, s.deleting, s.nodeName ?? null])).toEqual([
      ['Pending', false, null],
      ['Pending', false, 'node-1'],
      ['Running', false, 'node-1'],
      ['Running', true, 'node-1'],
    ]);
    expect(pod.containers).toEqual([{ container: 'app', containerId: 'sim://c1', node: 'node-1', from: T0 + 10_150, to: T0 + 130_000, ended: 'running' }]);
    expect(model.faults).toEqual([
      { kind: 'container-kill', target: 'node-1', from: T0 + 10_300, to: T0 + 130_000, healed: false, detail: 'default/web-1' },
      { kind: 'node-partition', target: 'node-1', from: T0 + 10_400, to: T0 + 10_900, healed: true },
    ]);
    expect(model.operations).toEqual([{ time: T0 + 11_000, label: '#0 delete Deployment default/web → 200', ok: true }]);
    expect(model.markers.map((m) => [m.kind, m.time])).toEqual([
      ['violation', T0 + 130_000],
      ['healed', T0 + 11_000],
      ['deadline', T0 + 130_000],
    ]);
  });

  it('renders well-formed SVG naming the pod, the fault, the orphaned container and the violation', () => {
    const { history, violation } = orphanHistory();
    const svg = renderTimeline(history, { violations: [violation] });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('default/web-1 @node-1');
    expect(svg).toContain('node-partition → node-1');
    expect(svg).toContain('class="container orphan"');
    expect(svg).toContain('violation: convergence');
    expect(svg).toContain('outlived its pod');
  });

  it('keeps the pods a violation names when it leaves others out', () => {
    const { history } = orphanHistory();
    const many = {
      ...history,
      watches: [
        ...history.watches,
        ...Array.from({ length: 30 }, (_, i) => ({
          observer: 'observer',
          stream: 's',
          time: T0 + 5_000 + i,
          type: 'ADDED' as const,
          object: { kind: 'Pod', namespace: 'default', name: `other-${i}`, uid: `u-${i}`, resourceVersion: 1000 + i, phase: 'Pending' },
        })),
      ],
    };
    const model = timelineModel(many, { maxPods: 5, violations: [{ invariant: 'convergence', message: 'x', objects: ['pod default/web-1'] }] });
    expect(model.pods).toHaveLength(5);
    expect(model.hiddenPods).toBe(26);
    expect(model.pods.some((p) => p.name === 'default/web-1')).toBe(true);
  });

  it('renders an empty history', () => {
    const svg = renderTimeline(emptyHistory());
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('no pod was observed');
  });

  it('escapes names that are not XML-safe', () => {
    const { history } = orphanHistory();
    const svg = renderTimeline({ ...history, target: '<sim & "co">' });
    expect(svg).toContain('&lt;sim &amp; &quot;co&quot;&gt;');
    expect(wellFormed(svg)).toBe(true);
  });
});

describe('time scale', () => {
  it('compresses idle stretches into breaks', () => {
    const scale = timeScale([0, 10_000, 10_500, 11_000, 130_000], { left: 0, width: 1000 });
    expect(scale.breaks).toEqual([
      { from: 0, to: 10_000 },
      { from: 11_000, to: 130_000 },
    ]);
    // The one active second takes most of the width.
    expect(scale.x(11_000) - scale.x(10_000)).toBeGreaterThan(800);
  });

  it('is monotonic and stays within its bounds', () => {
    checkProperty(
      'reports/timeline.test.ts',
      'is monotonic and stays within its bounds',
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: -10, max: 1_000_010 }), { minLength: 2, maxLength: 20 }), (keys, probes) => {
        const scale = timeScale(keys, { left: 10, width: 500 });
        const xs = [...probes].sort((a, b) => a - b).map((t) => scale.x(t));
        xs.forEach((x, i) => {
          expect(x).toBeGreaterThanOrEqual(10);
          expect(x).toBeLessThanOrEqual(510 + 1e-9);
          if (i > 0) expect(x).toBeGreaterThanOrEqual(xs[i - 1]! - 1e-9);
        });
      }),
    );
  });

  it('picks round tick steps', () => {
    expect([0.3, 7, 12, 480, 2600].map(niceStep)).toEqual([0.5, 10, 20, 500, 5000]);
  });
});
