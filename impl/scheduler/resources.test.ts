import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CPU, podRequests } from './resources.js';

const c = (name: string, cpu: string, restartPolicy?: string) => ({ name, image: 'busybox', resources: { requests: { cpu } }, ...(restartPolicy ? { restartPolicy } : {}) });

describe('podRequests', () => {
  it('takes the largest init container over the containers, and overhead on top', () => {
    const pod: Pod = { spec: { containers: [c('a', '100m'), c('b', '100m')], initContainers: [c('i', '500m')], overhead: { cpu: '10m' } } };
    expect(podRequests(pod).get(CPU)).toBe(510n);
    expect(podRequests(pod, { ignoreInitContainers: true }).get(CPU)).toBe(210n);
  });

  it('counts a sidecar beside the containers and beside the init containers after it (upstream resource.PodRequests)', () => {
    const pod: Pod = { spec: { containers: [c('a', '100m')], initContainers: [c('i1', '300m'), c('side', '200m', 'Always'), c('i2', '250m')] } };
    expect(podRequests(pod).get(CPU)).toBe(450n);
  });
});
