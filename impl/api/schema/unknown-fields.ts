// Finds the fields of a JSON object that its schema does not declare, as upstream's strict
// decoding does for fieldValidation=Strict and Warn: `unknown field "spec.foo"`.
//
// The walk follows the value and the schema together: struct fields are checked by name,
// array items and map values against their item schema, while map keys (labels,
// annotations, resource names) are free. A schema with neither properties nor
// additionalProperties (FieldsV1, IntOrString, scalars) ends the walk: anything goes below.

import { lookup, resolveSchema, type Definitions, type JsonSchema } from './definitions.js';

/**
 * Paths of undeclared fields in document order, written as upstream writes them
 * (sigs.k8s.io/json): dots between fields and map keys, [i] for list items.
 */
export function findUnknownFields(schema: JsonSchema, value: unknown, defs: Definitions): string[] {
  const out: string[] = [];
  walk(schema, value, '', defs, out);
  return out;
}

function walk(schema: JsonSchema, value: unknown, path: string, defs: Definitions, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const s = resolveSchema(schema, defs);
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => walk(s.items as JsonSchema, item, `${path}[${i}]`, defs, out));
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (s.properties) {
    for (const [key, child] of entries) {
      const field = join(path, key);
      const prop = lookup(s.properties, key);
      if (prop === undefined) out.push(field);
      else walk(prop, child, field, defs, out);
    }
  } else if (s.additionalProperties) {
    for (const [key, child] of entries) walk(s.additionalProperties, child, join(path, key), defs, out);
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
