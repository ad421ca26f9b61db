import { describe, expect, it } from 'vitest';
import { containerArgv, findImage, imageNotFoundMessage, normalizeImageReference } from './image-catalog.js';

describe('the local image catalog', () => {
  it('normalises references as Docker does', () => {
    expect(normalizeImageReference('busybox')).toEqual({ repository: 'docker.io/library/busybox', tag: 'latest' });
    expect(normalizeImageReference('kubeprop/busybox:1.2')).toEqual({ repository: 'docker.io/kubeprop/busybox', tag: '1.2' });
    expect(normalizeImageReference('localhost:5000/app')).toEqual({ repository: 'localhost:5000/app', tag: 'latest' });
    expect(normalizeImageReference('registry.k8s.io/pause:3.9')).toEqual({ repository: 'registry.k8s.io/pause', tag: '3.9' });
  });

  it('has busybox in every tag and idle server images; nothing else', () => {
    expect(findImage('busybox:1.36')?.reference).toBe('docker.io/library/busybox:1.36');
    expect(findImage('docker.io/library/busybox')?.imageID).toMatch(/^docker.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    expect(findImage('nginx')?.defaultCommand).toEqual(['sleep', 'infinity']);
    expect(findImage('my-app:v1')).toBeUndefined();
    expect(findImage('')).toBeUndefined();
    expect(imageNotFoundMessage('my-app:v1')).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/my-app:v1": failed to resolve reference "docker.io/library/my-app:v1": docker.io/library/my-app:v1: not found',
    );
  });

  it('runs the pod command, else the args, else the image default', () => {
    const image = findImage('busybox')!;
    expect(containerArgv(image, undefined, undefined)).toEqual(['sleep', 'infinity']);
    expect(containerArgv(image, ['sh', '-c'], ['exit 1'])).toEqual(['sh', '-c', 'exit 1']);
    expect(containerArgv(image, [], ['sleep', '5'])).toEqual(['sleep', '5']);
  });
});
