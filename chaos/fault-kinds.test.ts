// The fault kinds as a set: every kind of the design is there, and each generator stays within its shape.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterShape } from '../harness/campaign/scenario.js';
import { FAULT_KINDS, faultKindByName } from './index.js';
import { node } from './fault-run.testing.js';
import { bootedNodes, kubeletProcess, spareNodes } from './shape.js';

const DESIGN_KINDS = [
  'container-kill',
  'container-crash',
  'node-loss',
  'node-partition',
  'node-restart',
  'node-add',
  'apiserver-restart',
  'controller-manager-restart',
  'scheduler-restart',
  'kubelet-restart',
  'watch-drop',
  'store-compaction',
  'duplicate-create',
  'stale-update',
  'message-delay',
];

/** Where each kind may aim, given the shape. */
function allowedTargets(kind: string, cluster: ClusterShape): readonly string[] | RegExp {
  const booted = bootedNodes(cluster);
  switch (kind) {
    case 'node-add':
      return spareNodes(cluster).length > 0 ? spareNodes(cluster) : ['none'];
    case 'apiserver-restart':
      return ['apiserver'];
    case 'controller-manager-restart':
      return ['controller-manager'];
    case 'scheduler-restart':
      return ['scheduler'];
    case 'watch-drop':
      return ['controller-manager', 'scheduler', ...booted.map(kubeletProcess)];
    case 'store-compaction':
      return ['store'];
    case 'duplicate-create':
      return /^default\/dup-\d+$/;
    case 'stale-update':
      return ['deployment'];
    case 'message-delay':
      return ['network', 'controller-manager', 'scheduler'];
    default:
      return booted;
  }
}

const shapes: fc.Arbitrary<ClusterShape> = fc
  .record({ booted: fc.integer({ min: 1, max: 5 }), spares: fc.integer({ min: 0, max: 2 }) })
  .map(({ booted, spares }) => ({
    nodes: [...Array.from({ length: booted }, (_, i) => node(`node-${i + 1}`)), ...Array.from({ length: spares }, (_, i) => node(`spare-${i + 1}`, { spare: true }))],
  }));

describe('the fault kinds', () => {
  it('are every kind of the design, once each, all injectable in sim', () => {
    expect(FAULT_KINDS.map((k) => k.kind).sort()).toEqual([...DESIGN_KINDS].sort());
    for (const k of FAULT_KINDS) {
      expect(faultKindByName(k.kind)).toBe(k);
      expect(k.injectSim).toBeTypeOf('function');
    }
  });

  it('generate faults of their kind, aimed at the shape, starting within the horizon and healing within 2 minutes', () => {
    const kindsAndShapes = fc.tuple(fc.constantFrom(...FAULT_KINDS), shapes, fc.integer({ min: 1, max: 600_000 }));
    fc.assert(
      fc.property(
        kindsAndShapes.chain(([kind, cluster, horizonMs]) => fc.tuple(fc.constant(kind.kind), fc.constant(cluster), fc.constant(horizonMs), kind.arbitrary(cluster, horizonMs))),
        ([kind, cluster, horizonMs, fault]) => {
          expect(fault.kind).toBe(kind);
          expect(fault.at).toBeGreaterThanOrEqual(0);
          expect(fault.at).toBeLessThan(horizonMs);
          expect(Number.isInteger(fault.durationMs)).toBe(true);
          expect(fault.durationMs).toBeGreaterThanOrEqual(0);
          expect(fault.durationMs).toBeLessThanOrEqual(120_000);
          const allowed = allowedTargets(kind, cluster);
          if (allowed instanceof RegExp) expect(fault.target).toMatch(allowed);
          else expect(allowed).toContain(fault.target);
          for (const v of Object.values(fault.params ?? {})) expect(['number', 'string', 'boolean']).toContain(typeof v);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('draw message-delay bounds with min <= max', () => {
    const kind = faultKindByName('message-delay')!;
    fc.assert(fc.property(kind.arbitrary({ nodes: [node('node-1')] }, 60_000), (f) => Number(f.params?.minMs) <= Number(f.params?.maxMs)));
  });
});
