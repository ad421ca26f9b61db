// Hand-made runtime records for the container checkers' tests: a container instance's start,
// signals and exit on a node, as a node's runtime reports them.

import type { RuntimeRecord } from '../history/history.js';

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export const WEB: PodRef = { namespace: 'default', name: 'web-7d9', uid: 'uid-pod-web-7d9' };

/** Records of one container instance of `pod`. */
export class InstanceRecords {
  constructor(
    private readonly out: RuntimeRecord[],
    readonly id: string,
    private readonly node: string,
    private readonly pod: PodRef,
    private readonly container: string,
    private readonly specHash?: string,
  ) {}

  private push(time: number, type: RuntimeRecord['type'], extra: Partial<RuntimeRecord> = {}): this {
    this.out.push({
      time,
      node: this.node,
      containerId: this.id,
      type,
      pod: this.pod,
      container: this.container,
      ...(this.specHash !== undefined ? { specHash: this.specHash } : {}),
      ...extra,
    });
    return this;
  }

  started(time: number): this {
    return this.push(time, 'started');
  }

  exited(time: number, exitCode = 1, extra: Partial<RuntimeRecord> = {}): this {
    return this.push(time, 'exited', { exitCode, ...extra });
  }

  signalled(time: number, signal: 15 | 9, request: 'stop' | 'kill'): this {
    return this.push(time, 'killed', { signal, request });
  }
}

/** A recorder of instances: `instance('c1').started(1000).exited(2000)`. */
export function runtimeRecords(node = 'node-1', pod: PodRef = WEB, container = 'app') {
  const records: RuntimeRecord[] = [];
  return {
    records,
    instance: (id: string, options: { node?: string; specHash?: string } = {}) => new InstanceRecords(records, id, options.node ?? node, pod, container, options.specHash ?? 'h1'),
  };
}
