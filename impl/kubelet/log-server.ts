// The kubelet's side of `kubectl logs`: finds the container a log request means the way
// upstream's validateContainerLogStatus does (by the pod's reported status: the running or
// last terminated container, or the previous one with --previous; a container that never
// ran is "waiting to start"), and answers with its runtime log, or a stream of it.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Env } from '../env/env.js';
import { streamReply, type Listener, type StreamReply } from '../env/network.js';
import type { Informer } from '../client/informer.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import { kubeletAddress, type ContainerLogReply, type ContainerLogRequest } from './log-protocol.js';

type Resolved = { readonly id: string } | { readonly error: ContainerLogReply & { ok: false } };

const bad = (message: string): Resolved => ({ error: { ok: false, code: 400, message } });

/** Which container's log a request means, from the pod's status (pure). */
export function logContainerId(pod: Pod, container: string, previous: boolean): Resolved {
  const podName = pod.metadata?.name ?? '';
  if (!(pod.spec?.containers ?? []).some((c) => c.name === container)) return bad(`container ${container} is not valid for pod ${podName}`);
  const s = pod.status?.containerStatuses?.find((x) => x.name === container);
  if (!s) return bad(`container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
  const last = s.lastState?.terminated;
  if (previous) {
    if (!last?.containerID) return bad(`previous terminated container "${container}" in pod "${podName}" not found`);
    return { id: last.containerID };
  }
  if (s.state?.running && s.containerID) return { id: s.containerID };
  if (s.state?.terminated) {
    const id = s.state.terminated.containerID || last?.containerID;
    if (id) return { id };
  }
  if (last?.containerID) return { id: last.containerID };
  const reason = s.state?.waiting?.reason;
  if (reason === 'ErrImagePull') return bad(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
  if (reason === 'ImagePullBackOff') return bad(`container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
  if (reason) return bad(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  return bad(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

export class ContainerLogServer {
  constructor(
    private readonly env: Env,
    private readonly nodeName: string,
    private readonly pods: Informer<Pod>,
    private readonly runtime: ContainerRuntime,
  ) {}

  /** Serves log requests at kubelet/<node> on the Env network (released when the kubelet's process ends). */
  serve(): Listener {
    return this.env.network.serve(kubeletAddress(this.nodeName), (request) => this.handle(request as ContainerLogRequest));
  }

  async handle(r: ContainerLogRequest): Promise<ContainerLogReply | StreamReply> {
    const pod = this.pods.get(`${r.namespace}/${r.pod}`);
    if (!pod) return { ok: false, code: 404, message: `pods "${r.pod}" not found` };
    const resolved = logContainerId(pod, r.container, r.previous);
    if ('error' in resolved) return resolved.error;
    const known = await this.runtime.inspect(resolved.id);
    if (!known) return { ok: false, code: 400, message: `container "${r.container}" in pod "${r.pod}" is not available: its log is gone with the container` };
    const options = r.tailLines !== undefined ? { tailLines: r.tailLines } : {};
    if (!r.follow) return { ok: true, text: await this.runtime.logs(resolved.id, options) };
    const stream = await this.runtime.followLogs(resolved.id, options);
    return streamReply(stream, () => stream.close());
  }
}
