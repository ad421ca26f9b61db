// Schema tables for k8s.io/api/apps/v1: Deployment and ReplicaSet with their specs and statuses.
// Field numbers checked against the descriptors compiled into kubectl 1.32 (and its captured
// `kubectl create deployment` body); presence follows the Go struct tags of the same release.

import { field, message } from '../message-schema.js';
import { PodTemplateSpec } from './core-v1.js';
import { LabelSelector, ObjectMeta } from './meta-v1.js';

export const RollingUpdateDeployment = message('k8s.io.api.apps.v1.RollingUpdateDeployment', {
  1: field.intOrString('maxUnavailable', 'pointer'),
  2: field.intOrString('maxSurge', 'pointer'),
});

export const DeploymentStrategy = message('k8s.io.api.apps.v1.DeploymentStrategy', {
  1: field.string('type'),
  2: field.message('rollingUpdate', RollingUpdateDeployment, 'pointer'),
});

// Field 8 is rollbackTo in extensions/v1beta1 and apps/v1beta1; apps/v1 never had it.
export const DeploymentSpec = message('k8s.io.api.apps.v1.DeploymentSpec', {
  1: field.int32('replicas', 'pointer'),
  2: field.message('selector', LabelSelector, 'pointer'),
  3: field.message('template', PodTemplateSpec),
  4: field.message('strategy', DeploymentStrategy),
  5: field.int32('minReadySeconds'),
  6: field.int32('revisionHistoryLimit', 'pointer'),
  7: field.bool('paused'),
  9: field.int32('progressDeadlineSeconds', 'pointer'),
});

export const DeploymentCondition = message('k8s.io.api.apps.v1.DeploymentCondition', {
  1: field.string('type', 'always'),
  2: field.string('status', 'always'),
  4: field.string('reason'),
  5: field.string('message'),
  6: field.time('lastUpdateTime'),
  7: field.time('lastTransitionTime'),
});

export const DeploymentStatus = message('k8s.io.api.apps.v1.DeploymentStatus', {
  1: field.int64('observedGeneration'),
  2: field.int32('replicas'),
  3: field.int32('updatedReplicas'),
  4: field.int32('availableReplicas'),
  5: field.int32('unavailableReplicas'),
  6: field.repeated('conditions', DeploymentCondition),
  7: field.int32('readyReplicas'),
  8: field.int32('collisionCount', 'pointer'),
});

export const Deployment = message('k8s.io.api.apps.v1.Deployment', {
  1: field.message('metadata', ObjectMeta),
  2: field.message('spec', DeploymentSpec),
  3: field.message('status', DeploymentStatus),
});

export const ReplicaSetSpec = message('k8s.io.api.apps.v1.ReplicaSetSpec', {
  1: field.int32('replicas', 'pointer'),
  2: field.message('selector', LabelSelector, 'pointer'),
  3: field.message('template', PodTemplateSpec),
  4: field.int32('minReadySeconds'),
});

export const ReplicaSetCondition = message('k8s.io.api.apps.v1.ReplicaSetCondition', {
  1: field.string('type', 'always'),
  2: field.string('status', 'always'),
  3: field.time('lastTransitionTime'),
  4: field.string('reason'),
  5: field.string('message'),
});

export const ReplicaSetStatus = message('k8s.io.api.apps.v1.ReplicaSetStatus', {
  1: field.int32('replicas', 'always'),
  2: field.int32('fullyLabeledReplicas'),
  3: field.int64('observedGeneration'),
  4: field.int32('readyReplicas'),
  5: field.int32('availableReplicas'),
  6: field.repeated('conditions', ReplicaSetCondition),
});

export const ReplicaSet = message('k8s.io.api.apps.v1.ReplicaSet', {
  1: field.message('metadata', ObjectMeta),
  2: field.message('spec', ReplicaSetSpec),
  3: field.message('status', ReplicaSetStatus),
});
