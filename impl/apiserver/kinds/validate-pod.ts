// Pod validation: metadata, the PodSpec, and upstream's update rule that a pod's spec is
// immutable except for container images, activeDeadlineSeconds and added tolerations.

import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../resource-type.js';
import type { StatusCause } from '../status.js';
import { validateMetadata } from './validate-common.js';
import { validatePodSpec } from './validate-pod-spec.js';

const UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function mutableView(pod: Pod): string {
  const spec = structuredClone(pod.spec ?? { containers: [] });
  for (const c of spec.containers ?? []) c.image = '';
  for (const c of spec.initContainers ?? []) c.image = '';
  delete spec.activeDeadlineSeconds;
  delete spec.tolerations;
  // nodeName is set through the binding subresource; schedulers write it there, not here.
  delete spec.nodeName;
  return JSON.stringify(spec);
}

export function validatePod(obj: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const pod = obj as unknown as Pod;
  const causes = validateMetadata(obj, { nameRule: 'subdomain', namespaced: true });
  causes.push(...validatePodSpec(pod.spec, 'spec'));
  if (old) {
    const before = old as unknown as Pod;
    if (mutableView(pod) !== mutableView(before)) causes.push({ reason: 'FieldValueForbidden', field: 'spec', message: `Forbidden: ${UPDATE_FORBIDDEN}` });
    if (before.spec?.nodeName && pod.spec?.nodeName !== before.spec.nodeName) {
      causes.push({ reason: 'FieldValueForbidden', field: 'spec.nodeName', message: 'Forbidden: field is immutable once set' });
    }
  }
  return causes;
}
