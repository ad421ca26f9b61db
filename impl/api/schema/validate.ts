// Schema validation of API objects against definitions.json: wrong types, missing required
// fields, malformed quantities and times, reported as metav1.Status causes with upstream
// field paths (spec.template.spec.containers[0].image) and messages; and, for
// fieldValidation=Strict or Warn, the unknown fields upstream's strict decoder reports.
//
// How a server uses it (upstream order: decoding, then validation):
//   Strict: unknownFields non-empty → 400 BadRequest with strictDecodingError(unknown);
//   Warn:   each unknown field becomes a Warning header (`299 - "unknown field \"spec.foo\""`);
//   then:   validateObject(..., { strict: false }) non-empty → 422 Invalid with those causes.
// validateObject with strict: true returns both kinds at once; the unknown-field entries
// carry reason FieldValueUnknown, which is not a metav1 cause type, so they cannot slip into
// a 422's causes unfiltered.
//
// Upstream's decoder accepts JSON null for any field and treats it as unset; so does this.
// Required fields are upstream's OpenAPI `required` lists: fields Go always serializes. A Go
// client therefore never omits them; a hand-written client might, notably in status (e.g.
// containerStatuses[].imageID), where upstream does not object. Validate status writes
// with that in mind.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import {
  INT_OR_STRING,
  QUANTITY,
  REF_PREFIX,
  definitions,
  gvkKey,
  lookup,
  resolveSchema,
  schemaNameFor,
  type GroupVersionKind,
  type JsonSchema,
} from './definitions.js';
import { findUnknownFields } from './unknown-fields.js';

export type SchemaCauseReason =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotSupported';

/** A schema violation, shaped as a metav1.StatusCause. */
export interface SchemaCause {
  readonly reason: SchemaCauseReason;
  /** Upstream field path: spec.template.spec.containers[0].image, metadata.labels[app]. */
  readonly field: string;
  /** The error body without the field, as in upstream causes: "Required value". */
  readonly message: string;
}

/** A field the kind does not declare; message is upstream's: unknown field "spec.foo". */
export interface UnknownFieldCause {
  readonly reason: 'FieldValueUnknown';
  readonly field: string;
  readonly message: string;
}

export type ValidationCause = SchemaCause | UnknownFieldCause;

export interface ValidateOptions {
  /** Also report unknown fields (fieldValidation Strict or Warn). */
  readonly strict: boolean;
}

/** Upstream's resource.ErrFormatWrong text. */
const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** resource.Quantity's accepted syntax: a signed decimal, then a binary/decimal SI suffix or exponent. */
const QUANTITY_PATTERN = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** time.RFC3339 as Go parses it (fractional seconds allowed). */
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Reasons a value fails a format, by format name: the detail after "in body must be of type". */
const FORMAT_TYPES: Readonly<Record<string, string>> = {
  int32: 'int32',
  int64: 'int64',
  'date-time': 'date-time',
  quantity: 'quantity',
};

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function ajvInstance(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    formats: {
      int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX },
      int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
      double: { type: 'number', validate: () => true },
      byte: { type: 'string', validate: () => true },
      'date-time': { type: 'string', validate: (s: string) => DATE_TIME_PATTERN.test(s) && !Number.isNaN(Date.parse(s)) },
      quantity: { type: 'string', validate: (s: string) => QUANTITY_PATTERN.test(s) },
    },
  });
  const forAjv: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(definitions)) forAjv[name] = ajvSchema(name, schema);
  ajv.addSchema({ $id: 'k8s', definitions: forAjv });
  return ajv;
}

/**
 * definitions.json as ajv should check it: documentation and x-kubernetes-* dropped, refs
 * rewritten into this document, and the two scalar unions spelled as what their Go
 * UnmarshalJSON accepts (Quantity: a string or a JSON number; IntOrString: either).
 */
function ajvSchema(name: string, schema: JsonSchema): unknown {
  if (name === QUANTITY) return { type: ['string', 'number'], format: 'quantity' };
  if (name === INT_OR_STRING) return { type: ['integer', 'string'] };
  return strip(schema);
}

function strip(schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (schema.$ref !== undefined) return { $ref: `#/definitions/${schema.$ref.slice(REF_PREFIX.length)}` };
  if (schema.type !== undefined) out.type = schema.type;
  if (schema.format !== undefined) out.format = schema.format;
  if (schema.enum !== undefined) out.enum = schema.enum;
  if (schema.required !== undefined) out.required = schema.required;
  if (schema.properties !== undefined) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, strip(v)]));
  }
  if (schema.items !== undefined) out.items = strip(schema.items);
  if (schema.additionalProperties !== undefined) out.additionalProperties = strip(schema.additionalProperties);
  if (schema.anyOf !== undefined) out.anyOf = schema.anyOf.map(strip);
  if (schema.allOf !== undefined) out.allOf = schema.allOf.map(strip);
  return out;
}

function schemaNameOrThrow(gvk: GroupVersionKind): string {
  const name = schemaNameFor(gvk);
  if (name === undefined) throw new Error(`no schema for ${gvkKey(gvk)}`);
  return name;
}

/** The compiled validator of one kind, compiled on first use and kept. */
function validatorFor(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (validate === undefined) {
    validate = ajvInstance().compile({ $ref: `k8s#/definitions/${name}` });
    validators.set(name, validate);
  }
  return validate;
}

export function validateObject(gvk: GroupVersionKind, obj: unknown, opts: { strict: false }): SchemaCause[];
export function validateObject(gvk: GroupVersionKind, obj: unknown, opts: ValidateOptions): ValidationCause[];
/** Schema causes for obj as the given kind; with strict, unknown fields first (as upstream decodes first). */
export function validateObject(gvk: GroupVersionKind, obj: unknown, opts: ValidateOptions): ValidationCause[] {
  const name = schemaNameOrThrow(gvk);
  const causes: ValidationCause[] = [];
  if (opts.strict) {
    for (const field of findUnknownFields(definitions[name] as JsonSchema, obj, definitions)) {
      causes.push({ reason: 'FieldValueUnknown', field, message: unknownFieldMessage(field) });
    }
  }
  const value = withoutNullFields(obj);
  const validate = validatorFor(name);
  if (!validate(value)) {
    const root = definitions[name] as JsonSchema;
    for (const error of validate.errors ?? []) causes.push(toCause(error, root, value));
  }
  return causes;
}

/** Upstream's strict-decoding messages for obj as the given kind: `unknown field "spec.foo"`. */
export function unknownFields(gvk: GroupVersionKind, obj: unknown): string[] {
  const name = schemaNameOrThrow(gvk);
  return findUnknownFields(definitions[name] as JsonSchema, obj, definitions).map(unknownFieldMessage);
}

/** The error upstream returns for fieldValidation=Strict: `strict decoding error: unknown field "spec.foo", ...`. */
export function strictDecodingError(unknown: readonly string[]): string {
  return `strict decoding error: ${unknown.join(', ')}`;
}

function unknownFieldMessage(field: string): string {
  return `unknown field ${JSON.stringify(field)}`;
}

/** A copy of a JSON value without object fields set to null (upstream decodes them as unset). */
function withoutNullFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullFields);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null) Object.defineProperty(out, k, { value: withoutNullFields(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function toCause(error: ErrorObject, root: JsonSchema, value: unknown): SchemaCause {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
  const { field, value: bad } = locate(root, value, segments);
  switch (error.keyword) {
    case 'required': {
      const missing = String((error.params as { missingProperty?: unknown }).missingProperty);
      return { reason: 'FieldValueRequired', field: child(field, missing), message: 'Required value' };
    }
    case 'type': {
      const expected = [(error.params as { type?: unknown }).type].flat().join(' or ');
      const got = jsonType(bad);
      return {
        reason: 'FieldValueTypeInvalid',
        field,
        message: `Invalid value: ${JSON.stringify(got)}: ${field} in body must be of type ${expected}: ${JSON.stringify(got)}`,
      };
    }
    case 'format': {
      const format = String((error.params as { format?: unknown }).format);
      const detail =
        format === 'quantity'
          ? QUANTITY_FORMAT_ERROR
          : `${field} in body must be of type ${FORMAT_TYPES[format] ?? format}: ${JSON.stringify(String(bad))}`;
      return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${formatValue(bad)}: ${detail}` };
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues?: unknown }).allowedValues as unknown[] | undefined) ?? [];
      return {
        reason: 'FieldValueNotSupported',
        field,
        message: `Unsupported value: ${formatValue(bad)}: supported values: ${allowed.map(formatValue).join(', ')}`,
      };
    }
    default:
      return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${formatValue(bad)}: ${error.message ?? error.keyword}` };
  }
}

/**
 * Walks schema and value along a JSON pointer's segments to write the field path the
 * upstream way: `.name` for struct fields, `[i]` for list items, `[key]` for map keys.
 */
function locate(root: JsonSchema, value: unknown, segments: readonly string[]): { field: string; value: unknown } {
  let schema: JsonSchema | undefined = root;
  let current = value;
  let field = '';
  for (const segment of segments) {
    const s: JsonSchema | undefined = schema ? resolveSchema(schema) : undefined;
    if (Array.isArray(current)) {
      field += `[${segment}]`;
      schema = s?.items;
    } else if (s?.properties && lookup(s.properties, segment)) {
      field = child(field, segment);
      schema = lookup(s.properties, segment);
    } else if (s?.additionalProperties) {
      field += `[${segment}]`;
      schema = s.additionalProperties;
    } else {
      field = child(field, segment);
      schema = undefined;
    }
    current =
      current !== null && typeof current === 'object' ? lookup(current as Record<string, unknown>, segment) : undefined;
  }
  return { field, value: current };
}

function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The JSON type of a value, as kube-openapi's validator names it in type errors. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** A bad value as upstream prints it in field errors: strings quoted, the rest as JSON. */
function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
