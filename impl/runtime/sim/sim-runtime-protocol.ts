// What the kubelet and its node's simulated runtime say to each other over the sim network
// (the CRI socket of a real node): one request type per runtime call, plus two streamed
// calls, for followed logs and for runtime events.

import type { ContainerSpec, LogOptions } from '../runtime.js';

/** The network address at which node `node`'s runtime serves. */
export function runtimeAddress(node: string): string {
  return `runtime/${node}`;
}

export type RuntimeRequest =
  | { readonly op: 'pullImage'; readonly image: string }
  | { readonly op: 'hasImage'; readonly image: string }
  | { readonly op: 'createContainer'; readonly spec: ContainerSpec }
  | { readonly op: 'startContainer'; readonly id: string }
  | { readonly op: 'stopContainer'; readonly id: string; readonly graceSeconds: number }
  | { readonly op: 'removeContainer'; readonly id: string }
  | { readonly op: 'listContainers'; readonly labels?: Readonly<Record<string, string>> }
  | { readonly op: 'inspect'; readonly id: string }
  | { readonly op: 'logs'; readonly id: string; readonly options?: LogOptions }
  /** Streamed: log chunks until the container exits. */
  | { readonly op: 'followLogs'; readonly id: string; readonly options?: LogOptions }
  /** Streamed: RuntimeEvents as they happen. */
  | { readonly op: 'events' };

export const SIM_RUNTIME_VERSION = 'sim://0.1.0';
