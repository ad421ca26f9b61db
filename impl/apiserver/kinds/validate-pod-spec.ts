// Validation of a PodSpec wherever it appears (a Pod, or the template of a Deployment or
// ReplicaSet): containers, names, images, restart policy, resources, ports, env,
// nodeSelector and tolerations, with upstream's field paths and messages.

import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { validateLabels } from '../../api/labels.js';
import { isDNS1123Label } from '../../api/names.js';
import { Quantity, QuantityParseError } from '../../api/quantity.js';
import type { StatusCause } from '../status.js';
import { forbidden, invalid, notSupported, required } from './validate-common.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const TOLERATION_OPERATORS = ['Exists', 'Equal'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function quantity(field: string, value: unknown, causes: StatusCause[]): Quantity | undefined {
  try {
    const q = Quantity.fromJSON(value);
    if (q.sign() < 0) {
      causes.push(invalid(field, String(value), 'must be greater than or equal to 0'));
      return undefined;
    }
    return q;
  } catch (e) {
    if (e instanceof QuantityParseError) {
      causes.push(invalid(field, value, e.message));
      return undefined;
    }
    throw e;
  }
}

function validateResources(c: Container, path: string, causes: StatusCause[]): void {
  const r = c.resources;
  if (!r) return;
  const limits = new Map<string, Quantity>();
  for (const [name, v] of Object.entries(r.limits ?? {})) {
    const q = quantity(`${path}.resources.limits[${name}]`, v, causes);
    if (q) limits.set(name, q);
  }
  for (const [name, v] of Object.entries(r.requests ?? {})) {
    const q = quantity(`${path}.resources.requests[${name}]`, v, causes);
    const l = limits.get(name);
    if (q && l && q.cmp(l) > 0) {
      causes.push(invalid(`${path}.resources.requests`, String(v), `must be less than or equal to ${name} limit of ${l.toString()}`));
    }
  }
}

function validateContainer(c: Container, path: string, names: Set<string>, causes: StatusCause[]): void {
  if (!c.name) causes.push(required(`${path}.name`));
  else {
    for (const msg of isDNS1123Label(c.name)) causes.push(invalid(`${path}.name`, c.name, msg));
    if (names.has(c.name)) causes.push({ reason: 'FieldValueDuplicate', field: `${path}.name`, message: `Duplicate value: ${JSON.stringify(c.name)}` });
    names.add(c.name);
  }
  if (!c.image || c.image.trim() === '') causes.push(required(`${path}.image`));
  if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy)) {
    causes.push(notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  }
  (c.ports ?? []).forEach((p, i) => {
    const pp = `${path}.ports[${i}]`;
    if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535) {
      causes.push(invalid(`${pp}.containerPort`, p.containerPort, 'must be between 1 and 65535, inclusive'));
    }
    if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) causes.push(notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
  });
  (c.env ?? []).forEach((e, i) => {
    if (!e.name) causes.push(required(`${path}.env[${i}].name`));
    else if (!ENV_NAME.test(e.name)) {
      causes.push(invalid(`${path}.env[${i}].name`, e.name, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"));
    }
  });
  validateResources(c, path, causes);
}

export function validatePodSpec(spec: PodSpec | undefined, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!spec) return [required(path)];
  const containers = spec.containers ?? [];
  if (!Array.isArray(containers) || containers.length === 0) causes.push(required(`${path}.containers`));
  const names = new Set<string>();
  (spec.initContainers ?? []).forEach((c, i) => validateContainer(c, `${path}.initContainers[${i}]`, names, causes));
  containers.forEach((c, i) => validateContainer(c, `${path}.containers[${i}]`, names, causes));
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    causes.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  }
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds !== null && spec.terminationGracePeriodSeconds < 0) {
    causes.push(invalid(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  if (spec.nodeSelector) causes.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  if (spec.nodeName) {
    for (const msg of isDNS1123Label(spec.nodeName).length && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(spec.nodeName) ? ['a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\''] : []) {
      causes.push(invalid(`${path}.nodeName`, spec.nodeName, msg));
    }
  }
  (spec.tolerations ?? []).forEach((t, i) => {
    const tp = `${path}.tolerations[${i}]`;
    if (t.operator !== undefined && !TOLERATION_OPERATORS.includes(t.operator)) causes.push(notSupported(`${tp}.operator`, t.operator, TOLERATION_OPERATORS));
    if (t.operator === 'Exists' && t.value) causes.push(invalid(`${tp}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
    if (t.effect !== undefined && t.effect !== '' && !TAINT_EFFECTS.includes(t.effect)) causes.push(notSupported(`${tp}.effect`, t.effect, TAINT_EFFECTS));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      causes.push(invalid(`${tp}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
  });
  if (spec.affinity?.podAntiAffinity && JSON.stringify(spec.affinity).length > 64 * 1024) {
    causes.push(forbidden(`${path}.affinity`, 'too large'));
  }
  return causes;
}
