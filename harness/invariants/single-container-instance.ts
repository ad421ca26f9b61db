// single-container-instance: at no time does a node run two instances of the same container
// of the same pod (pod uid and container name). Upstream's kubelet starts a container only
// when its runtime shows no running instance of it (computePodActions), and after a restart
// it finds the containers already there by their io.kubernetes.pod.uid and
// io.kubernetes.container.name labels and carries on with them (adoption) instead of
// starting them anew; a spec change stops the old instance before the new one starts.
// Judged on the runtime records: each instance runs from its start to its exit (or its
// death with the machine); two instances of one container that overlap are a violation.

import { at } from './describe.js';
import { containerRuns, runsByContainer, type ContainerRun } from './container-runs.js';
import { notChecked, result, type Invariant, type Violation } from './invariant.js';

const NAME = 'single-container-instance';

export const singleContainerInstance: Invariant = {
  name: NAME,
  description: 'a node never runs two instances of one container of a pod at once (a restarted kubelet adopts what runs)',
  check(history) {
    if (!history.runtime) return notChecked("the target does not record its nodes' runtime events");
    const violations: Violation[] = [];
    let checks = 0;
    for (const runs of runsByContainer(containerRuns(history.runtime)).values()) {
      // Instances still running as each one starts (runs are in start order).
      let running: ContainerRun[] = [];
      for (const run of runs) {
        checks++;
        running = running.filter((r) => r.endedAt === undefined || r.endedAt > run.startedAt);
        const other = running[0];
        if (other) {
          const until = other.endedAt === undefined ? 'to the end of the run' : `until ${at(other.endedAt)}`;
          violations.push({
            invariant: NAME,
            message:
              `node ${run.node} ran two instances of container ${run.container} of pod ${run.pod.namespace}/${run.pod.name} at once: ` +
              `${other.containerId} (started ${at(other.startedAt)}) was still running when ${run.containerId} started at ${at(run.startedAt)}, and ran on ${until}`,
            time: run.startedAt,
            objects: [`pod ${run.pod.namespace}/${run.pod.name}`, `node ${run.node}`, other.containerId, run.containerId],
          });
        }
        running.push(run);
      }
    }
    return result(violations, checks);
  },
};
