// Drops the fields a kind's schema does not declare, in place, as upstream's decoder does
// when fieldValidation is Warn or Ignore: what is stored is always a well-formed object.

import { definitions, lookup, resolveSchema, schemaNameFor, type GroupVersionKind, type JsonSchema } from '../api/schema/definitions.js';

function prune(schema: JsonSchema, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  const s = resolveSchema(schema);
  if (Array.isArray(value)) {
    if (s.items) for (const item of value) prune(s.items, item);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (s.properties) {
    for (const key of Object.keys(obj)) {
      const prop = lookup(s.properties, key);
      if (prop === undefined) delete obj[key];
      else prune(prop, obj[key]);
    }
  } else if (s.additionalProperties) {
    for (const key of Object.keys(obj)) prune(s.additionalProperties, obj[key]);
  }
}

export function pruneUnknownFields(gvk: GroupVersionKind, obj: unknown): void {
  const name = schemaNameFor(gvk);
  const schema = name ? lookup(definitions, name) : undefined;
  if (schema) prune(schema, obj);
}
