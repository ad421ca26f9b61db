// Validation every kind shares: the object's name (DNS subdomain, DNS label, or path
// segment, as upstream per kind), generateName, labels and annotations.

import { isDNS1123Label, isDNS1123Subdomain, isValidPathSegmentName, isValidPathSegmentPrefix, nameIsDNSLabel, nameIsDNSSubdomain } from '../../api/names.js';
import { isQualifiedName, validateLabels } from '../../api/labels.js';
import type { KubeObject } from '../resource-type.js';
import type { StatusCause } from '../status.js';

export type NameRule = 'subdomain' | 'label' | 'path';

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateMetadata(obj: KubeObject, options: { nameRule: NameRule; namespaced: boolean }): StatusCause[] {
  const causes: StatusCause[] = [];
  const m = obj.metadata;
  const name = m.name;
  // Upstream validates the prefix itself (its own cause, before the generated name's).
  const generateName: unknown = m.generateName;
  if (typeof generateName === 'string' && generateName !== '') {
    const checkPrefix =
      options.nameRule === 'label' ? (n: string) => nameIsDNSLabel(n, true) : options.nameRule === 'subdomain' ? (n: string) => nameIsDNSSubdomain(n, true) : isValidPathSegmentPrefix;
    for (const msg of checkPrefix(generateName)) {
      causes.push({ reason: 'FieldValueInvalid', field: 'metadata.generateName', message: `Invalid value: ${JSON.stringify(generateName)}: ${msg}` });
    }
  }
  // A JSON null is no name, as upstream decodes it.
  if (typeof name !== 'string' || name === '') {
    causes.push({ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  } else {
    const check = options.nameRule === 'label' ? isDNS1123Label : options.nameRule === 'subdomain' ? isDNS1123Subdomain : isValidPathSegmentName;
    for (const msg of check(name)) causes.push({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: ${JSON.stringify(name)}: ${msg}` });
  }
  if (m.labels !== undefined) {
    if (typeof m.labels !== 'object' || m.labels === null || Array.isArray(m.labels)) {
      causes.push({ reason: 'FieldValueTypeInvalid', field: 'metadata.labels', message: 'Invalid value: must be a map of strings' });
    } else {
      causes.push(...validateLabels(m.labels, 'metadata.labels'));
    }
  }
  if (m.annotations !== undefined && typeof m.annotations === 'object' && m.annotations !== null) {
    let size = 0;
    for (const [k, v] of Object.entries(m.annotations)) {
      for (const msg of isQualifiedName(k.toLowerCase())) {
        causes.push({ reason: 'FieldValueInvalid', field: 'metadata.annotations', message: `Invalid value: ${JSON.stringify(k)}: ${msg}` });
      }
      size += k.length + String(v).length;
    }
    if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
      causes.push({ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
    }
  }
  return causes;
}

export function invalid(field: string, value: unknown, message: string): StatusCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${message}` };
}

export function required(field: string, detail = ''): StatusCause {
  return { reason: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' };
}

export function notSupported(field: string, value: unknown, supported: readonly string[]): StatusCause {
  return {
    reason: 'FieldValueNotSupported',
    field,
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
  };
}

export function forbidden(field: string, message: string): StatusCause {
  return { reason: 'FieldValueForbidden', field, message: `Forbidden: ${message}` };
}

export function immutable(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: field is immutable` };
}
