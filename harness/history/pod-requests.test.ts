import { describe, expect, it } from 'vitest';
import { effectivePodRequests } from './pod-requests.js';

const c = (cpu: string, memory?: string, restartPolicy?: string) => ({
  name: `c${cpu}`,
  resources: { requests: { cpu, ...(memory ? { memory } : {}) } },
  ...(restartPolicy ? { restartPolicy } : {}),
});

describe('effectivePodRequests', () => {
  it('adds up app containers', () => {
    expect(effectivePodRequests({ containers: [c('100m', '64Mi'), c('200m', '32Mi')] })).toEqual({ cpuMilli: 300, memoryBytes: 96 * 2 ** 20 });
  });

  it('takes the largest init container when it exceeds the app containers, per resource', () => {
    const spec = { containers: [c('100m', '64Mi'), c('200m')], initContainers: [c('500m', '16Mi'), c('250m', '1Gi')] };
    expect(effectivePodRequests(spec)).toEqual({ cpuMilli: 500, memoryBytes: 2 ** 30 });
  });

  it('counts sidecars beside the app containers and beside the init containers after them, and adds overhead', () => {
    const spec = {
      containers: [c('100m')],
      initContainers: [c('300m'), c('200m', undefined, 'Always'), c('250m')],
      overhead: { cpu: '10m', memory: '1Mi' },
    };
    // app + sidecar = 300m; init 300m alone; init 250m + sidecar 200m = 450m.
    expect(effectivePodRequests(spec)).toEqual({ cpuMilli: 460, memoryBytes: 2 ** 20 });
  });

  it('reads nothing it cannot parse as zero', () => {
    expect(effectivePodRequests({ containers: [{ name: 'x', resources: { requests: { cpu: 'lots' } } }] })).toEqual({ cpuMilli: 0, memoryBytes: 0 });
  });
});
