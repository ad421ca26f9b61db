// The images a node can "pull": no registry is reachable here, so every runtime answers
// pulls from this local catalog (busybox-like images that run their command, and idle
// server-like images). Anything else fails as a registry would: not found.

import { createHash } from 'node:crypto';

export interface CatalogImage {
  /** The fully qualified reference, as containerd names it: docker.io/library/busybox:latest. */
  readonly reference: string;
  readonly repository: string;
  readonly tag: string;
  /** What the image runs when the pod gives neither command nor args. */
  readonly defaultCommand: readonly string[];
  /** repository@sha256:…, as status.containerStatuses[].imageID shows it. */
  readonly imageID: string;
  readonly sizeBytes: number;
}

interface Repository {
  readonly defaultCommand: readonly string[];
  readonly sizeBytes: number;
}

/**
 * The repositories every tag of which exists. Busybox-like images would run `sh` with no
 * command (and exit at once); here they idle, so `kubectl create deployment --image=busybox`
 * gives Running pods as the seed walkthroughs expect.
 */
const IDLE = ['sleep', 'infinity'] as const;
const REPOSITORIES: ReadonlyMap<string, Repository> = new Map([
  ['docker.io/library/busybox', { defaultCommand: IDLE, sizeBytes: 2_155_530 }],
  ['docker.io/kubeprop/busybox', { defaultCommand: IDLE, sizeBytes: 2_155_530 }],
  ['docker.io/library/nginx', { defaultCommand: IDLE, sizeBytes: 72_920_000 }],
  ['docker.io/library/httpd', { defaultCommand: IDLE, sizeBytes: 58_180_000 }],
  ['docker.io/kubeprop/idle', { defaultCommand: IDLE, sizeBytes: 1_024 }],
  ['registry.k8s.io/pause', { defaultCommand: IDLE, sizeBytes: 320_368 }],
]);

/** Docker's normalisation: "busybox" → docker.io/library/busybox:latest. */
export function normalizeImageReference(image: string): { repository: string; tag: string; digest?: string } {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = 'latest';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  let repository: string;
  if (slash < 0) repository = `docker.io/library/${rest}`;
  else if (first.includes('.') || first.includes(':') || first === 'localhost') repository = rest;
  else repository = `docker.io/${rest}`;
  return digest !== undefined ? { repository, tag, digest } : { repository, tag };
}

function fullReference(image: string): string {
  const { repository, tag, digest } = normalizeImageReference(image);
  return digest !== undefined ? `${repository}@${digest}` : `${repository}:${tag}`;
}

/** The catalog entry for `image`, or undefined when no such image exists anywhere. */
export function findImage(image: string): CatalogImage | undefined {
  if (image.trim() === '') return undefined;
  const { repository, tag } = normalizeImageReference(image);
  const repo = REPOSITORIES.get(repository);
  if (!repo || !/^[\w][\w.-]{0,127}$/.test(tag)) return undefined;
  const digest = createHash('sha256').update(`${repository}:${tag}`).digest('hex');
  return {
    reference: `${repository}:${tag}`,
    repository,
    tag,
    defaultCommand: repo.defaultCommand,
    imageID: `${repository}@sha256:${digest}`,
    sizeBytes: repo.sizeBytes,
  };
}

/** The message containerd gives for an image no registry has, as the kubelet reports it. */
export function imageNotFoundMessage(image: string): string {
  const ref = fullReference(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}

/** The argv a container runs: the pod's command (else the image's), then the pod's args. */
export function containerArgv(image: CatalogImage, command: readonly string[] | undefined, args: readonly string[] | undefined): string[] {
  const hasCommand = command !== undefined && command.length > 0;
  const hasArgs = args !== undefined && args.length > 0;
  if (!hasCommand && !hasArgs) return [...image.defaultCommand];
  // Args alone replace the image's CMD; with the images here the entrypoint is empty, so
  // args alone are the command (as `kubectl run x --image=busybox -- sleep 10` expects).
  return [...(hasCommand ? command : []), ...(hasArgs ? args : [])];
}
