// Pods: defaulting (PodSpec defaults, priority, the not-ready/unreachable tolerations that
// drive taint-based eviction, initial Pending status and QoS class), kubectl's columns,
// field selectors, and graceful deletion (bound pods wait for their kubelet).

import type { Pod, ResourceRequirements } from 'kubernetes-types/core/v1.js';
import type { KubeObject, ResourceType } from '../resource-type.js';
import { ALL_VERBS } from '../resource-type.js';
import { defaultPodSpec } from './pod-spec-defaults.js';
import { podReadyText, podRestartsText, podStatusText } from './pod-status-text.js';
import { validatePod } from './validate-pod.js';

export interface PodOptions {
  /** Seconds a pod tolerates a not-ready or unreachable node before eviction (upstream: 300). */
  readonly defaultTolerationSeconds: number;
}

function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  // Runs before admission has type-checked the body: malformed containers are refused there (400).
  const containers: unknown = pod.spec?.containers;
  const all: ResourceRequirements[] = (Array.isArray(containers) ? containers : []).map((c: unknown) => (typeof c === 'object' && c !== null ? ((c as { resources?: ResourceRequirements }).resources ?? {}) : {}));
  const empty = all.every((r) => Object.keys(r.requests ?? {}).length === 0 && Object.keys(r.limits ?? {}).length === 0);
  if (empty) return 'BestEffort';
  const guaranteed = all.every((r) => {
    const l = r.limits ?? {};
    const q = r.requests ?? {};
    return ['cpu', 'memory'].every((k) => l[k] !== undefined && (q[k] === undefined || String(q[k]) === String(l[k])));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const asPod = (o: KubeObject) => o as unknown as Pod;

export function podType(options: PodOptions): ResourceType {
  return {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    verbs: ALL_VERBS,
    subresources: ['status', 'binding', 'log'],
    strategy: {
      defaults(obj) {
        const pod = asPod(obj);
        pod.spec ??= { containers: [] };
        defaultPodSpec(pod.spec);
        pod.spec.priority ??= 0;
        pod.spec.preemptionPolicy ??= 'PreemptLowerPriority';
        const tolerations = (pod.spec.tolerations ??= []);
        for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
          if (!tolerations.some((t) => t.key === key && (t.effect === 'NoExecute' || !t.effect))) {
            tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.defaultTolerationSeconds });
          }
        }
      },
      prepareForCreate(obj) {
        obj.status = { phase: 'Pending', qosClass: qosClass(asPod(obj)) };
      },
      validate: (obj, old) => validatePod(obj, old),
      selectableFields: [
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'spec.hostNetwork',
        'status.phase',
        'status.podIP',
        'status.nominatedNodeName',
      ],
      fieldValue(obj, field) {
        const pod = asPod(obj);
        switch (field) {
          case 'spec.nodeName':
            return pod.spec?.nodeName ?? '';
          case 'spec.restartPolicy':
            return pod.spec?.restartPolicy ?? '';
          case 'spec.schedulerName':
            return pod.spec?.schedulerName ?? '';
          case 'spec.serviceAccountName':
            return pod.spec?.serviceAccountName ?? '';
          case 'spec.hostNetwork':
            return String(pod.spec?.hostNetwork ?? false);
          case 'status.phase':
            return pod.status?.phase ?? '';
          case 'status.podIP':
            return pod.status?.podIP ?? '';
          case 'status.nominatedNodeName':
            return pod.status?.nominatedNodeName ?? '';
        }
        return undefined;
      },
      gracePeriodSeconds(obj) {
        const pod = asPod(obj);
        // An unscheduled or finished pod has no kubelet to wait for.
        if (!pod.spec?.nodeName) return 0;
        if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
        return pod.spec.terminationGracePeriodSeconds ?? 30;
      },
      columns: [
        { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.', priority: 0, cell: (o) => podReadyText(asPod(o)) },
        { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', priority: 0, cell: (o) => podStatusText(asPod(o)) },
        { name: 'Restarts', type: 'string', description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.', priority: 0, cell: (o, ctx) => podRestartsText(asPod(o), ctx.now) },
        { name: 'IP', type: 'string', description: 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', priority: 1, afterAge: true, cell: (o) => asPod(o).status?.podIP || '<none>' },
        { name: 'Node', type: 'string', description: "NodeName is a request to schedule this pod onto a specific node.", priority: 1, afterAge: true, cell: (o) => asPod(o).spec?.nodeName || '<none>' },
        { name: 'Nominated Node', type: 'string', description: 'nominatedNodeName is set when this pod preempts other pods on the node.', priority: 1, afterAge: true, cell: (o) => asPod(o).status?.nominatedNodeName || '<none>' },
        { name: 'Readiness Gates', type: 'string', description: 'If specified, all readiness gates will be evaluated for pod readiness.', priority: 1, afterAge: true, cell: (o) => (asPod(o).spec?.readinessGates?.length ? String(asPod(o).spec?.readinessGates?.length) : '<none>') },
      ],
    },
  };
}
