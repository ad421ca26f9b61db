// Deployments (apps/v1): defaulting as upstream (1 replica, RollingUpdate 25%/25%, history
// and progress deadline, pod template defaults), kubectl's READY / UP-TO-DATE / AVAILABLE
// columns, and validation of selector, template and strategy.

import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { KubeObject, ResourceType } from '../resource-type.js';
import { ALL_VERBS } from '../resource-type.js';
import { defaultPodSpec } from './pod-spec-defaults.js';
import { validateDeployment } from './validate-workload.js';
import { workloadWideColumns } from './workload-columns.js';

const asDeployment = (o: KubeObject) => o as unknown as Deployment;

export const deploymentType: ResourceType = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  verbs: ALL_VERBS,
  subresources: ['status', 'scale'],
  strategy: {
    defaults(obj) {
      const d = asDeployment(obj);
      d.spec ??= { selector: {}, template: {} };
      const s = d.spec;
      s.replicas ??= 1;
      s.strategy ??= {};
      s.strategy.type ??= 'RollingUpdate';
      if (s.strategy.type === 'RollingUpdate') {
        s.strategy.rollingUpdate ??= {};
        s.strategy.rollingUpdate.maxUnavailable ??= '25%';
        s.strategy.rollingUpdate.maxSurge ??= '25%';
      }
      s.revisionHistoryLimit ??= 10;
      s.progressDeadlineSeconds ??= 600;
      s.template ??= {};
      if (s.template.spec) defaultPodSpec(s.template.spec);
    },
    prepareForCreate(obj) {
      delete obj.status;
    },
    validate: (obj, old) => validateDeployment(obj, old),
    columns: [
      { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', priority: 0, cell: (o) => `${asDeployment(o).status?.readyReplicas ?? 0}/${asDeployment(o).spec?.replicas ?? 0}` },
      { name: 'Up-to-date', type: 'string', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', priority: 0, cell: (o) => asDeployment(o).status?.updatedReplicas ?? 0 },
      { name: 'Available', type: 'string', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', priority: 0, cell: (o) => asDeployment(o).status?.availableReplicas ?? 0 },
      ...workloadWideColumns,
    ],
  },
};
