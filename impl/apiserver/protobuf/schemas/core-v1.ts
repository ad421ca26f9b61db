// Schema tables for k8s.io/api/core/v1: Namespace, Pod (spec and the common part of status),
// Service, ConfigMap and Secret, and the types they embed. Field numbers checked against the
// descriptors compiled into kubectl 1.32 (and its captured `kubectl create` bodies); presence
// follows the Go struct tags of the same release. Fields this decoder leaves out are listed where
// they would be; the decoder reports them as unknown when they arrive.

import { field, message } from '../message-schema.js';
import { Condition, ObjectMeta } from './meta-v1.js';

// --- Containers ---

export const ContainerPort = message('k8s.io.api.core.v1.ContainerPort', {
  1: field.string('name'),
  2: field.int32('hostPort'),
  3: field.int32('containerPort', 'always'),
  4: field.string('protocol'),
  5: field.string('hostIP'),
});

export const LocalObjectReference = message('k8s.io.api.core.v1.LocalObjectReference', {
  1: field.string('name'),
});

export const ObjectFieldSelector = message('k8s.io.api.core.v1.ObjectFieldSelector', {
  1: field.string('apiVersion'),
  2: field.string('fieldPath', 'always'),
});

export const ResourceFieldSelector = message('k8s.io.api.core.v1.ResourceFieldSelector', {
  1: field.string('containerName'),
  2: field.string('resource', 'always'),
  3: field.quantity('divisor'),
});

export const ConfigMapKeySelector = message('k8s.io.api.core.v1.ConfigMapKeySelector', {
  1: field.inline(LocalObjectReference),
  2: field.string('key', 'always'),
  3: field.bool('optional', 'pointer'),
});

export const SecretKeySelector = message('k8s.io.api.core.v1.SecretKeySelector', {
  1: field.inline(LocalObjectReference),
  2: field.string('key', 'always'),
  3: field.bool('optional', 'pointer'),
});

export const EnvVarSource = message('k8s.io.api.core.v1.EnvVarSource', {
  1: field.message('fieldRef', ObjectFieldSelector, 'pointer'),
  2: field.message('resourceFieldRef', ResourceFieldSelector, 'pointer'),
  3: field.message('configMapKeyRef', ConfigMapKeySelector, 'pointer'),
  4: field.message('secretKeyRef', SecretKeySelector, 'pointer'),
});

export const EnvVar = message('k8s.io.api.core.v1.EnvVar', {
  1: field.string('name', 'always'),
  2: field.string('value'),
  3: field.message('valueFrom', EnvVarSource, 'pointer'),
});

export const ResourceClaim = message('k8s.io.api.core.v1.ResourceClaim', {
  1: field.string('name', 'always'),
  2: field.string('request'),
});

export const ResourceRequirements = message('k8s.io.api.core.v1.ResourceRequirements', {
  1: field.map('limits', 'quantity'),
  2: field.map('requests', 'quantity'),
  3: field.repeated('claims', ResourceClaim),
});

// Left out: 9 volumeMounts, 10 livenessProbe, 11 readinessProbe, 12 lifecycle,
// 15 securityContext, 19 envFrom, 21 volumeDevices, 22 startupProbe, 23 resizePolicy.
export const Container = message('k8s.io.api.core.v1.Container', {
  1: field.string('name', 'always'),
  2: field.string('image'),
  3: field.repeated('command', 'string'),
  4: field.repeated('args', 'string'),
  5: field.string('workingDir'),
  6: field.repeated('ports', ContainerPort),
  7: field.repeated('env', EnvVar),
  8: field.message('resources', ResourceRequirements),
  13: field.string('terminationMessagePath'),
  14: field.string('imagePullPolicy'),
  16: field.bool('stdin'),
  17: field.bool('stdinOnce'),
  18: field.bool('tty'),
  20: field.string('terminationMessagePolicy'),
  24: field.string('restartPolicy', 'pointer'),
});

// --- Pods ---

export const Toleration = message('k8s.io.api.core.v1.Toleration', {
  1: field.string('key'),
  2: field.string('operator'),
  3: field.string('value'),
  4: field.string('effect'),
  5: field.int64('tolerationSeconds', 'pointer'),
});

export const PodReadinessGate = message('k8s.io.api.core.v1.PodReadinessGate', {
  1: field.string('conditionType', 'always'),
});

export const PodSchedulingGate = message('k8s.io.api.core.v1.PodSchedulingGate', {
  1: field.string('name', 'always'),
});

// Left out: 1 volumes, 14 securityContext, 18 affinity, 23 hostAliases, 26 dnsConfig,
// 33 topologySpreadConstraints, 34 ephemeralContainers, 36 os, 39 resourceClaims.
export const PodSpec = message('k8s.io.api.core.v1.PodSpec', {
  2: field.repeated('containers', Container),
  3: field.string('restartPolicy'),
  4: field.int64('terminationGracePeriodSeconds', 'pointer'),
  5: field.int64('activeDeadlineSeconds', 'pointer'),
  6: field.string('dnsPolicy'),
  7: field.map('nodeSelector'),
  8: field.string('serviceAccountName'),
  9: field.string('serviceAccount'),
  10: field.string('nodeName'),
  11: field.bool('hostNetwork'),
  12: field.bool('hostPID'),
  13: field.bool('hostIPC'),
  15: field.repeated('imagePullSecrets', LocalObjectReference),
  16: field.string('hostname'),
  17: field.string('subdomain'),
  19: field.string('schedulerName'),
  20: field.repeated('initContainers', Container),
  21: field.bool('automountServiceAccountToken', 'pointer'),
  22: field.repeated('tolerations', Toleration),
  24: field.string('priorityClassName'),
  25: field.int32('priority', 'pointer'),
  27: field.bool('shareProcessNamespace', 'pointer'),
  28: field.repeated('readinessGates', PodReadinessGate),
  29: field.string('runtimeClassName', 'pointer'),
  30: field.bool('enableServiceLinks', 'pointer'),
  31: field.string('preemptionPolicy', 'pointer'),
  32: field.map('overhead', 'quantity'),
  35: field.bool('setHostnameAsFQDN', 'pointer'),
  37: field.bool('hostUsers', 'pointer'),
  38: field.repeated('schedulingGates', PodSchedulingGate),
  40: field.message('resources', ResourceRequirements, 'pointer'),
});

export const PodTemplateSpec = message('k8s.io.api.core.v1.PodTemplateSpec', {
  1: field.message('metadata', ObjectMeta),
  2: field.message('spec', PodSpec),
});

export const PodCondition = message('k8s.io.api.core.v1.PodCondition', {
  1: field.string('type', 'always'),
  2: field.string('status', 'always'),
  3: field.time('lastProbeTime'),
  4: field.time('lastTransitionTime'),
  5: field.string('reason'),
  6: field.string('message'),
});

export const PodIP = message('k8s.io.api.core.v1.PodIP', {
  1: field.string('ip', 'always'),
});

export const HostIP = message('k8s.io.api.core.v1.HostIP', {
  1: field.string('ip', 'always'),
});

// Left out: 8 containerStatuses, 10 initContainerStatuses, 13 ephemeralContainerStatuses,
// 14 resize, 15 resourceClaimStatuses. Clients that create Pods send none of them.
export const PodStatus = message('k8s.io.api.core.v1.PodStatus', {
  1: field.string('phase'),
  2: field.repeated('conditions', PodCondition),
  3: field.string('message'),
  4: field.string('reason'),
  5: field.string('hostIP'),
  6: field.string('podIP'),
  7: field.time('startTime', 'pointer'),
  9: field.string('qosClass'),
  11: field.string('nominatedNodeName'),
  12: field.repeated('podIPs', PodIP),
  16: field.repeated('hostIPs', HostIP),
});

export const Pod = message('k8s.io.api.core.v1.Pod', {
  1: field.message('metadata', ObjectMeta),
  2: field.message('spec', PodSpec),
  3: field.message('status', PodStatus),
});

// --- Namespaces ---

export const NamespaceSpec = message('k8s.io.api.core.v1.NamespaceSpec', {
  1: field.repeated('finalizers', 'string'),
});

export const NamespaceCondition = message('k8s.io.api.core.v1.NamespaceCondition', {
  1: field.string('type', 'always'),
  2: field.string('status', 'always'),
  4: field.time('lastTransitionTime'),
  5: field.string('reason'),
  6: field.string('message'),
});

export const NamespaceStatus = message('k8s.io.api.core.v1.NamespaceStatus', {
  1: field.string('phase'),
  2: field.repeated('conditions', NamespaceCondition),
});

export const Namespace = message('k8s.io.api.core.v1.Namespace', {
  1: field.message('metadata', ObjectMeta),
  2: field.message('spec', NamespaceSpec),
  3: field.message('status', NamespaceStatus),
});

// --- Services ---

export const ServicePort = message('k8s.io.api.core.v1.ServicePort', {
  1: field.string('name'),
  2: field.string('protocol'),
  3: field.int32('port', 'always'),
  4: field.intOrString('targetPort'),
  5: field.int32('nodePort'),
  6: field.string('appProtocol', 'pointer'),
});

export const ClientIPConfig = message('k8s.io.api.core.v1.ClientIPConfig', {
  1: field.int32('timeoutSeconds', 'pointer'),
});

export const SessionAffinityConfig = message('k8s.io.api.core.v1.SessionAffinityConfig', {
  1: field.message('clientIP', ClientIPConfig, 'pointer'),
});

export const ServiceSpec = message('k8s.io.api.core.v1.ServiceSpec', {
  1: field.repeated('ports', ServicePort),
  2: field.map('selector'),
  3: field.string('clusterIP'),
  4: field.string('type'),
  5: field.repeated('externalIPs', 'string'),
  7: field.string('sessionAffinity'),
  8: field.string('loadBalancerIP'),
  9: field.repeated('loadBalancerSourceRanges', 'string'),
  10: field.string('externalName'),
  11: field.string('externalTrafficPolicy'),
  12: field.int32('healthCheckNodePort'),
  13: field.bool('publishNotReadyAddresses'),
  14: field.message('sessionAffinityConfig', SessionAffinityConfig, 'pointer'),
  17: field.string('ipFamilyPolicy', 'pointer'),
  18: field.repeated('clusterIPs', 'string'),
  19: field.repeated('ipFamilies', 'string'),
  20: field.bool('allocateLoadBalancerNodePorts', 'pointer'),
  21: field.string('loadBalancerClass', 'pointer'),
  22: field.string('internalTrafficPolicy', 'pointer'),
  23: field.string('trafficDistribution', 'pointer'),
});

export const PortStatus = message('k8s.io.api.core.v1.PortStatus', {
  1: field.int32('port', 'always'),
  2: field.string('protocol', 'always'),
  3: field.string('error', 'pointer'),
});

export const LoadBalancerIngress = message('k8s.io.api.core.v1.LoadBalancerIngress', {
  1: field.string('ip'),
  2: field.string('hostname'),
  3: field.string('ipMode', 'pointer'),
  4: field.repeated('ports', PortStatus),
});

export const LoadBalancerStatus = message('k8s.io.api.core.v1.LoadBalancerStatus', {
  1: field.repeated('ingress', LoadBalancerIngress),
});

export const ServiceStatus = message('k8s.io.api.core.v1.ServiceStatus', {
  1: field.message('loadBalancer', LoadBalancerStatus),
  2: field.repeated('conditions', Condition),
});

export const Service = message('k8s.io.api.core.v1.Service', {
  1: field.message('metadata', ObjectMeta),
  2: field.message('spec', ServiceSpec),
  3: field.message('status', ServiceStatus),
});

// --- Configuration ---

export const ConfigMap = message('k8s.io.api.core.v1.ConfigMap', {
  1: field.message('metadata', ObjectMeta),
  2: field.map('data'),
  3: field.map('binaryData', 'bytes'),
  4: field.bool('immutable', 'pointer'),
});

export const Secret = message('k8s.io.api.core.v1.Secret', {
  1: field.message('metadata', ObjectMeta),
  2: field.map('data', 'bytes'),
  3: field.string('type'),
  4: field.map('stringData'),
  5: field.bool('immutable', 'pointer'),
});
