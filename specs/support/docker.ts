// What the Docker suites need: a reachable Docker Engine, the docker CLI (the walkthroughs
// `docker kill` with it), kubectl, and the local images that scripts/build-images.sh makes
// from busybox-static (nothing can be pulled here). Missing parts fail in CI and skip on a
// laptop, as every real part does (real-parts.ts); missing images are built.

import Docker from 'dockerode';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { PRESENT_IMAGES } from '../../harness/generators/containers.js';
import { DockerRuntime } from '../../impl/runtime/docker/index.js';
import { hasExecutable, realPart } from './real-parts.js';

const BUILD_IMAGES = fileURLToPath(new URL('../../scripts/build-images.sh', import.meta.url));

/** True when a Docker-backed `kubeprop up` can run here and kubectl and the docker CLI can reach it. */
export async function dockerAvailable(): Promise<boolean> {
  const engine = realPart(
    'Docker Engine',
    await DockerRuntime.reachable(),
    'apt-get install docker.io busybox-static, start dockerd --bridge=none --iptables=false --ip-masq=false, then bash scripts/build-images.sh',
  );
  const cli = realPart('the docker CLI', hasExecutable('docker', ['--version']), 'apt-get install docker.io');
  const kubectl = realPart('kubectl', hasExecutable('kubectl', ['version', '--client']), 'the kubectl dispatcher (see DESIGN.md, Real parts)');
  return engine && cli && kubectl;
}

/** Builds the local images (scripts/build-images.sh) when the engine lacks any the generators or specs use. */
export async function ensureImages(images: readonly string[] = PRESENT_IMAGES): Promise<void> {
  const docker = new Docker();
  const present = await Promise.all(images.map((i) => docker.getImage(i).inspect().then(() => true, () => false)));
  if (present.every(Boolean)) return;
  const r = await execa('bash', [BUILD_IMAGES], { reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`scripts/build-images.sh failed (exit ${r.exitCode}):\n${r.all ?? ''}`);
}
