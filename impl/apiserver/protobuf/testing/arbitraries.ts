// Test helper: fast-check generators for the objects the decoder supports, composed from small
// ones (labels, selectors, containers, pod specs). Each generates objects in the form the decoder
// returns them: fields Go would omit (omitempty zeros, all-zero structs) are absent, pointer and
// `always` fields may hold zeros.

import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../json.js';

type Model = Record<string, fc.Arbitrary<JsonValue>>;

/** An object with the `required` keys and any subset of the `optional` ones. */
function rec(required: Model, optional: Model = {}): fc.Arbitrary<JsonObject> {
  return fc.record<Record<string, JsonValue>>({ ...required, ...optional }, { requiredKeys: Object.keys(required), noNullPrototype: true });
}

function some<T extends JsonValue>(item: fc.Arbitrary<T>, maxLength = 3): fc.Arbitrary<T[]> {
  return fc.array(item, { minLength: 1, maxLength });
}

function dictionary(key: fc.Arbitrary<string>, value: fc.Arbitrary<JsonValue>): fc.Arbitrary<JsonObject> {
  return fc.dictionary(key, value, { minKeys: 1, maxKeys: 4, noNullPrototype: true });
}

// --- Scalars ---

const text = fc.string({ unit: 'grapheme', maxLength: 10 });
const nonEmptyText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 });
const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const nonZeroInt32 = int32.filter((n) => n !== 0);
const int64 = fc.maxSafeInteger();
const nonZeroInt64 = int64.filter((n) => n !== 0);
/** Set only when true: false is the omitted zero of an omitempty bool. */
const flag = fc.constant(true);
/** RFC3339 at second precision, years 0000-9999: what metav1.Time marshals to. */
export const rfc3339 = fc
  .integer({ min: -62_167_219_200, max: 253_402_300_799 })
  .map((s) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
const quantity = fc.stringMatching(/^(0|[1-9][0-9]{0,3})(\.[0-9]{1,2})?(m|k|Ki|Mi|Gi|M|G)?$/);
const intOrString = fc.oneof(int32, fc.stringMatching(/^[0-9]{1,2}%$/));
const base64 = fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('base64'));

// --- Metadata and selectors ---

const labelKey = fc.stringMatching(/^([a-z0-9.]{1,10}\/)?[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,8}[a-zA-Z0-9])?$/);
export const labels = dictionary(labelKey, text);

const ownerReference = rec(
  { apiVersion: text, kind: text, name: text, uid: text },
  { controller: fc.boolean(), blockOwnerDeletion: fc.boolean() },
);

export const objectMeta = rec(
  { name: dnsLabel },
  {
    generateName: nonEmptyText,
    namespace: dnsLabel,
    selfLink: nonEmptyText,
    uid: nonEmptyText,
    resourceVersion: fc.stringMatching(/^[1-9][0-9]{0,8}$/),
    generation: nonZeroInt64,
    creationTimestamp: rfc3339,
    deletionTimestamp: rfc3339,
    deletionGracePeriodSeconds: int64,
    labels,
    annotations: labels,
    ownerReferences: some(ownerReference),
    finalizers: some(text),
  },
);

const labelSelectorRequirement = rec(
  { key: text, operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist') },
  { values: some(text) },
);

/** A pointer field, so `{}` (select everything) is kept. */
export const labelSelector = rec({}, { matchLabels: labels, matchExpressions: some(labelSelectorRequirement) });

// --- Containers ---

const resourceName = fc.constantFrom('cpu', 'memory', 'ephemeral-storage', 'example.com/gpu');
const resourceList = dictionary(resourceName, quantity);

/** A non-pointer struct: generated non-empty, since an empty one is omitted. */
const resources = rec({}, { limits: resourceList, requests: resourceList, claims: some(rec({ name: text }, { request: nonEmptyText })) }).filter(
  (r) => Object.keys(r).length > 0,
);

const containerPort = rec(
  { containerPort: int32 },
  { name: nonEmptyText, hostPort: nonZeroInt32, protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), hostIP: nonEmptyText },
);

const keySelector = rec({ key: text }, { name: nonEmptyText, optional: fc.boolean() });

const envVarSource = rec(
  {},
  {
    fieldRef: rec({ fieldPath: text }, { apiVersion: nonEmptyText }),
    // divisor is a non-pointer Quantity: Go always sends it ("0" when unset), so it is always here.
    resourceFieldRef: rec({ resource: text, divisor: quantity }, { containerName: nonEmptyText }),
    configMapKeyRef: keySelector,
    secretKeyRef: keySelector,
  },
);

const envVar = rec({ name: text }, { value: nonEmptyText, valueFrom: envVarSource });

export const container = rec(
  { name: text },
  {
    image: nonEmptyText,
    command: some(text),
    args: some(text),
    workingDir: nonEmptyText,
    ports: some(containerPort),
    env: some(envVar),
    resources,
    terminationMessagePath: nonEmptyText,
    imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent', 'Never'),
    stdin: flag,
    stdinOnce: flag,
    tty: flag,
    terminationMessagePolicy: fc.constantFrom('File', 'FallbackToLogsOnError'),
    restartPolicy: fc.constantFrom('Always', ''),
  },
);

// --- Pods ---

const toleration = rec(
  {},
  {
    key: nonEmptyText,
    operator: fc.constantFrom('Exists', 'Equal'),
    value: nonEmptyText,
    effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
    tolerationSeconds: int64,
  },
);

export const podSpec = rec(
  { containers: some(container, 2) },
  {
    initContainers: some(container, 2),
    restartPolicy: fc.constantFrom('Always', 'OnFailure', 'Never'),
    terminationGracePeriodSeconds: int64,
    activeDeadlineSeconds: int64,
    dnsPolicy: fc.constantFrom('ClusterFirst', 'Default', 'None'),
    nodeSelector: labels,
    serviceAccountName: dnsLabel,
    serviceAccount: dnsLabel,
    nodeName: dnsLabel,
    hostNetwork: flag,
    hostPID: flag,
    hostIPC: flag,
    imagePullSecrets: some(rec({}, { name: nonEmptyText })),
    hostname: dnsLabel,
    subdomain: dnsLabel,
    schedulerName: nonEmptyText,
    automountServiceAccountToken: fc.boolean(),
    tolerations: some(toleration),
    priorityClassName: nonEmptyText,
    priority: int32,
    shareProcessNamespace: fc.boolean(),
    readinessGates: some(rec({ conditionType: text })),
    runtimeClassName: text,
    enableServiceLinks: fc.boolean(),
    preemptionPolicy: text,
    overhead: resourceList,
    setHostnameAsFQDN: fc.boolean(),
    hostUsers: fc.boolean(),
    schedulingGates: some(rec({ name: text })),
    resources: rec({}, { limits: resourceList, requests: resourceList }),
  },
);

const podTemplateSpec = rec({ spec: podSpec }, { metadata: objectMeta });

const podCondition = rec(
  { type: text, status: fc.constantFrom('True', 'False', 'Unknown') },
  { lastProbeTime: rfc3339, lastTransitionTime: rfc3339, reason: nonEmptyText, message: nonEmptyText },
);

const podStatus = rec(
  { phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown') },
  {
    conditions: some(podCondition),
    message: nonEmptyText,
    reason: nonEmptyText,
    hostIP: nonEmptyText,
    podIP: nonEmptyText,
    startTime: rfc3339,
    qosClass: fc.constantFrom('Guaranteed', 'Burstable', 'BestEffort'),
    nominatedNodeName: dnsLabel,
    podIPs: some(rec({ ip: text })),
    hostIPs: some(rec({ ip: text })),
  },
);

export const pod = rec({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata: objectMeta, spec: podSpec }, { status: podStatus });

// --- Workloads ---

const deploymentStrategy = rec(
  { type: fc.constantFrom('RollingUpdate', 'Recreate') },
  { rollingUpdate: rec({}, { maxUnavailable: intOrString, maxSurge: intOrString }) },
);

const deploymentCondition = rec(
  { type: text, status: fc.constantFrom('True', 'False', 'Unknown') },
  { reason: nonEmptyText, message: nonEmptyText, lastUpdateTime: rfc3339, lastTransitionTime: rfc3339 },
);

export const deployment = rec(
  {
    apiVersion: fc.constant('apps/v1'),
    kind: fc.constant('Deployment'),
    metadata: objectMeta,
    spec: rec(
      { template: podTemplateSpec },
      {
        replicas: int32,
        selector: labelSelector,
        strategy: deploymentStrategy,
        minReadySeconds: nonZeroInt32,
        revisionHistoryLimit: int32,
        paused: flag,
        progressDeadlineSeconds: int32,
      },
    ),
  },
  {
    status: rec(
      { observedGeneration: nonZeroInt64 },
      {
        replicas: nonZeroInt32,
        updatedReplicas: nonZeroInt32,
        readyReplicas: nonZeroInt32,
        availableReplicas: nonZeroInt32,
        unavailableReplicas: nonZeroInt32,
        conditions: some(deploymentCondition),
        collisionCount: int32,
      },
    ),
  },
);

export const replicaSet = rec(
  {
    apiVersion: fc.constant('apps/v1'),
    kind: fc.constant('ReplicaSet'),
    metadata: objectMeta,
    spec: rec({ template: podTemplateSpec }, { replicas: int32, selector: labelSelector, minReadySeconds: nonZeroInt32 }),
  },
  {
    // replicas has no omitempty: it is always there once status is.
    status: rec(
      { replicas: int32, observedGeneration: nonZeroInt64 },
      {
        fullyLabeledReplicas: nonZeroInt32,
        readyReplicas: nonZeroInt32,
        availableReplicas: nonZeroInt32,
        conditions: some(rec({ type: text, status: text }, { lastTransitionTime: rfc3339, reason: nonEmptyText, message: nonEmptyText })),
      },
    ),
  },
);

// --- Namespaces, Services, configuration ---

export const namespace = rec(
  { apiVersion: fc.constant('v1'), kind: fc.constant('Namespace'), metadata: objectMeta },
  {
    spec: rec({ finalizers: some(text) }),
    status: rec(
      { phase: fc.constantFrom('Active', 'Terminating') },
      { conditions: some(rec({ type: text, status: text }, { lastTransitionTime: rfc3339, reason: nonEmptyText, message: nonEmptyText })) },
    ),
  },
);

const servicePort = rec(
  { port: int32 },
  {
    name: nonEmptyText,
    protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'),
    appProtocol: text,
    // A non-pointer IntOrString: its zero (int 0) is omitted, so it is not generated.
    targetPort: intOrString.filter((v) => v !== 0),
    nodePort: nonZeroInt32,
  },
);

const serviceSpec = rec(
  { ports: some(servicePort) },
  {
    selector: labels,
    clusterIP: nonEmptyText,
    type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
    externalIPs: some(text),
    sessionAffinity: fc.constantFrom('None', 'ClientIP'),
    loadBalancerIP: nonEmptyText,
    loadBalancerSourceRanges: some(text),
    externalName: nonEmptyText,
    externalTrafficPolicy: fc.constantFrom('Cluster', 'Local'),
    healthCheckNodePort: nonZeroInt32,
    publishNotReadyAddresses: flag,
    sessionAffinityConfig: rec({}, { clientIP: rec({}, { timeoutSeconds: int32 }) }),
    ipFamilyPolicy: text,
    clusterIPs: some(text),
    ipFamilies: some(fc.constantFrom('IPv4', 'IPv6')),
    allocateLoadBalancerNodePorts: fc.boolean(),
    loadBalancerClass: text,
    internalTrafficPolicy: text,
    trafficDistribution: text,
  },
);

const serviceStatus = rec(
  {
    loadBalancer: rec({
      ingress: some(rec({}, { ip: nonEmptyText, hostname: nonEmptyText, ipMode: text, ports: some(rec({ port: int32, protocol: text }, { error: text })) })),
    }),
  },
  {
    conditions: some(
      rec({ type: text, status: text, reason: text, message: text }, { observedGeneration: nonZeroInt64, lastTransitionTime: rfc3339 }),
    ),
  },
);

export const service = rec({ apiVersion: fc.constant('v1'), kind: fc.constant('Service'), metadata: objectMeta, spec: serviceSpec }, { status: serviceStatus });

export const configMap = rec(
  { apiVersion: fc.constant('v1'), kind: fc.constant('ConfigMap'), metadata: objectMeta },
  { data: dictionary(labelKey, text), binaryData: dictionary(labelKey, base64), immutable: fc.boolean() },
);

export const secret = rec(
  { apiVersion: fc.constant('v1'), kind: fc.constant('Secret'), metadata: objectMeta },
  { data: dictionary(labelKey, base64), type: nonEmptyText, stringData: dictionary(labelKey, text), immutable: fc.boolean() },
);
