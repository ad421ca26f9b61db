import { describe, expect, it } from 'vitest';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, RESTART_COUNT_LABEL } from '../runtime.js';
import { containerName, engineId, podHostname } from './container-names.js';

describe("the Docker runtime's names", () => {
  it('names containers as the dockershim did: k8s_<container>_<pod>_<namespace>_<uid>_<attempt>', () => {
    const labels = { [CONTAINER_NAME_LABEL]: 'web', [POD_NAME_LABEL]: 'shop-7d4f-x2x9q', [POD_NAMESPACE_LABEL]: 'default', [POD_UID_LABEL]: '0b6c8f1e-5f7a-4c1e-9a55-2f0d8c3b1a77', [RESTART_COUNT_LABEL]: '2' };
    expect(containerName('web', labels)).toBe('k8s_web_shop-7d4f-x2x9q_default_0b6c8f1e-5f7a-4c1e-9a55-2f0d8c3b1a77_2');
    expect(containerName('c', {})).toBe('k8s_c_pod_default_nouid_0');
    expect(containerName('a_b', { [POD_NAME_LABEL]: 'p q' })).toBe('k8s_a-b_p-q_default_nouid_0');
  });

  it("gives pods their name as hostname, cut to a DNS label", () => {
    expect(podHostname('web-1')).toBe('web-1');
    expect(podHostname(`${'a'.repeat(62)}-b`)).toBe('a'.repeat(62));
    expect(podHostname(undefined)).toBeUndefined();
  });

  it('reads only docker:// ids', () => {
    const hex = 'ab'.repeat(32);
    expect(engineId(`docker://${hex}`)).toBe(hex);
    expect(engineId(`process://123`)).toBeUndefined();
    expect(engineId('docker://../../etc')).toBeUndefined();
  });
});
