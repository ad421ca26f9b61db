// Containers: an image that the runtimes' catalog has (most of the time) or that no registry
// has, a command the runtimes' tiny shell runs (impl/runtime/sim/shell-interpreter.ts:
// sleep, echo, exit, true/false, `sh -c "…"`, `while true`), chosen by what the container
// should do — run forever, exit 0, exit non-zero, or crash after a while — resources, and
// the restart policy that decides what happens when it ends.

import fc from 'fast-check';
import type { Container } from 'kubernetes-types/core/v1.js';
import { dnsLabelArbitrary } from './names.js';
import { buildResources, resourcesDraftArbitrary, type ResourceBounds, type ResourcesDraft } from './resources.js';

/** Images the catalog (impl/runtime/image-catalog.ts) has, in the spellings users use. */
export const PRESENT_IMAGES = [
  'busybox',
  'busybox:1.36',
  'docker.io/library/busybox:latest',
  'kubeprop/busybox:stable',
  'nginx',
  'nginx:1.27',
  'httpd:2.4',
  'kubeprop/idle',
  'registry.k8s.io/pause:3.9',
] as const;

/** Images no registry has: pulls fail and pods end in ErrImagePull / ImagePullBackOff. */
export const MISSING_IMAGES = ['kubeprop/does-not-exist:1.0', 'example.invalid/shop/cart:v3', 'busybox-typo:latest', 'registry.k8s.io/no-such-image:0.1'] as const;

/**
 * Images that are servers and idle when given no command. busybox is too in the sim catalog,
 * but a real busybox runs `sh` and exits, so it always gets a command spelled out.
 */
const IDLE_IMAGES = new Set(['nginx', 'nginx:1.27', 'httpd:2.4', 'kubeprop/idle', 'registry.k8s.io/pause:3.9']);

export function imageArbitrary(options: { readonly missingWeight?: number } = {}): fc.Arbitrary<string> {
  const missing = options.missingWeight ?? 1;
  const present = fc.constantFrom(...PRESENT_IMAGES);
  return missing > 0 ? fc.oneof({ weight: 12, arbitrary: present }, { weight: missing, arbitrary: fc.constantFrom(...MISSING_IMAGES) }) : present;
}

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** A bare Pod's restart policy: often the API's default (undefined: Always), else any of the three. */
export const restartPolicyArbitrary: fc.Arbitrary<RestartPolicy | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom<RestartPolicy>('Never', 'OnFailure', 'Always') },
);

/** What a container does once started. */
export type Behaviour =
  | { readonly does: 'run-forever'; readonly style: 'image-default' | 'sleep-infinity' | 'sleep-long' | 'loop' | 'trap-term' }
  | { readonly does: 'exit-0'; readonly afterSeconds: number }
  | { readonly does: 'exit-non-zero'; readonly code: number; readonly afterSeconds: number }
  | { readonly does: 'crash-after'; readonly afterSeconds: number; readonly code: number };

export interface BehaviourWeights {
  readonly runForever?: number;
  readonly exit0?: number;
  readonly exitNonZero?: number;
  readonly crashAfter?: number;
}

export function behaviourArbitrary(weights: BehaviourWeights = {}): fc.Arbitrary<Behaviour> {
  const code = fc.constantFrom(1, 2, 3, 42, 127, 255);
  const parts: fc.WeightedArbitrary<Behaviour>[] = [
    {
      weight: weights.runForever ?? 6,
      // One server in three ignores SIGTERM (as a shell or `sleep` as PID 1 does in a real
      // container): only such a one shows whether a deleted pod gets its grace period.
      arbitrary: fc.record({
        does: fc.constant('run-forever' as const),
        style: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('image-default' as const, 'sleep-infinity' as const, 'sleep-long' as const, 'loop' as const) },
          { weight: 2, arbitrary: fc.constant('trap-term' as const) },
        ),
      }),
    },
    { weight: weights.exit0 ?? 1, arbitrary: fc.record({ does: fc.constant('exit-0' as const), afterSeconds: fc.constantFrom(0, 0, 1, 5) }) },
    { weight: weights.exitNonZero ?? 1, arbitrary: fc.record({ does: fc.constant('exit-non-zero' as const), code, afterSeconds: fc.constantFrom(0, 0, 2) }) },
    { weight: weights.crashAfter ?? 1, arbitrary: fc.record({ does: fc.constant('crash-after' as const), afterSeconds: fc.constantFrom(5, 15, 30, 90), code }) },
  ];
  return fc.oneof(...parts.filter((p) => p.weight > 0));
}

/** Whether the command goes in `command`, in `args` (the catalog's images have no entrypoint), or split. */
export type CommandPlacement = 'command' | 'args' | 'split';

/** The argv that makes a container behave so. undefined: the image's own (idle) command. */
export function argvFor(b: Behaviour): string[] | undefined {
  switch (b.does) {
    case 'run-forever':
      switch (b.style) {
        case 'image-default':
          return undefined;
        case 'sleep-infinity':
          return ['sleep', 'infinity'];
        case 'sleep-long':
          return ['sleep', '86400'];
        case 'loop':
          return ['sh', '-c', 'while true; do echo "$HOSTNAME alive"; sleep 10; done'];
        case 'trap-term':
          return ['sh', '-c', "trap '' TERM; echo ignoring TERM; sleep infinity"];
      }
      break;
    case 'exit-0':
      return b.afterSeconds === 0 ? ['true'] : ['sh', '-c', `echo working; sleep ${b.afterSeconds}; echo done; exit 0`];
    case 'exit-non-zero':
      if (b.afterSeconds === 0 && b.code === 1) return ['false'];
      return ['sh', '-c', `${b.afterSeconds > 0 ? `sleep ${b.afterSeconds}; ` : ''}echo "failing with ${b.code}" >&2; exit ${b.code}`];
    case 'crash-after':
      return ['sh', '-c', `echo started; sleep ${b.afterSeconds}; echo "crashing" >&2; exit ${b.code}`];
  }
}

/** The exit code the container ends with, or undefined when it runs until stopped. */
export function expectedExit(b: Behaviour): { code: number; afterMs: number } | undefined {
  switch (b.does) {
    case 'run-forever':
      return undefined;
    case 'exit-0':
      return { code: 0, afterMs: b.afterSeconds * 1000 };
    case 'exit-non-zero':
      return { code: b.code, afterMs: b.afterSeconds * 1000 };
    case 'crash-after':
      return { code: b.code, afterMs: b.afterSeconds * 1000 };
  }
}

export interface ContainerDraft {
  readonly name: string;
  readonly image: string;
  readonly behaviour: Behaviour;
  readonly placement: CommandPlacement;
  readonly resources: ResourcesDraft;
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly port?: number;
}

export interface ContainerOptions extends ResourceBounds {
  readonly behaviours?: BehaviourWeights;
  readonly missingImageWeight?: number;
}

const envArbitrary = fc.uniqueArray(
  fc.record({ name: fc.constantFrom('LOG_LEVEL', 'MODE', 'FEATURE_X', 'app.version', 'GREETING'), value: fc.constantFrom('debug', 'info', '1', 'hello world', '') }),
  { maxLength: 2, selector: (e) => e.name },
);

export function containerDraftArbitrary(name: fc.Arbitrary<string>, options: ContainerOptions = {}): fc.Arbitrary<ContainerDraft> {
  return fc.record(
    {
      name,
      image: imageArbitrary(options.missingImageWeight !== undefined ? { missingWeight: options.missingImageWeight } : {}),
      behaviour: behaviourArbitrary(options.behaviours),
      placement: fc.constantFrom<CommandPlacement>('command', 'command', 'args', 'split'),
      resources: resourcesDraftArbitrary(options),
      env: envArbitrary,
      port: fc.constantFrom(80, 8080, 9090, 443),
    },
    { requiredKeys: ['name', 'image', 'behaviour', 'placement', 'resources', 'env'] },
  );
}

/** 1–`max` containers with distinct names ("main" first when there is one). */
export function containerDraftsArbitrary(options: ContainerOptions & { readonly max?: number } = {}): fc.Arbitrary<readonly ContainerDraft[]> {
  const names = fc.uniqueArray(fc.oneof({ weight: 5, arbitrary: fc.constantFrom('main', 'app', 'sidecar', 'log-shipper') }, { weight: 1, arbitrary: dnsLabelArbitrary({ maxLength: 20 }) }), {
    minLength: 1,
    maxLength: options.max ?? 2,
  });
  return names.chain((ns) => fc.tuple(...ns.map((n) => containerDraftArbitrary(fc.constant(n), options))));
}

export function buildContainer(d: ContainerDraft): Container {
  let argv = argvFor(d.behaviour);
  // An idle image runs forever on its own; busybox-like ones need the command spelled out.
  if (argv === undefined && !IDLE_IMAGES.has(d.image)) argv = ['sleep', 'infinity'];
  let command: string[] | undefined;
  let args: string[] | undefined;
  if (argv !== undefined) {
    if (d.placement === 'command') command = argv;
    else if (d.placement === 'args') args = argv;
    else [command, args] = [argv.slice(0, 1), argv.slice(1)];
  }
  const resources = buildResources(d.resources);
  return {
    name: d.name,
    image: d.image,
    ...(command ? { command } : {}),
    ...(args && args.length > 0 ? { args } : {}),
    ...(d.env.length > 0 ? { env: d.env.map((e) => ({ ...e })) } : {}),
    ...(d.port !== undefined ? { ports: [{ containerPort: d.port }] } : {}),
    ...(resources ? { resources } : {}),
  };
}
