// Which objects a list or watch selects: its labelSelector and fieldSelector query
// parameters, parsed once (bad selectors are 400 BadRequest) and matched per object.
// Field selectors may name metadata.name, metadata.namespace and the kind's own fields.

import { parseFieldSelector, fieldSelectorMatches, isEmptyFieldSelector, FieldSelectorError } from '../api/field-selector.js';
import { isEmptySelector, LabelSelectorError, parseSelector, selectorMatches } from '../api/labels.js';
import type { KubeObject, ResourceType } from './resource-type.js';
import { ApiError } from './status.js';

export interface Selection {
  readonly isEverything: boolean;
  matches(obj: KubeObject): boolean;
}

export function listSelection(t: ResourceType, query: Readonly<Record<string, string>>): Selection {
  let labels;
  let fields;
  try {
    labels = parseSelector(query.labelSelector ?? '');
  } catch (e) {
    if (e instanceof LabelSelectorError || e instanceof Error) throw ApiError.badRequest(`unable to parse requirement: ${e.message}`);
    throw e;
  }
  try {
    fields = parseFieldSelector(query.fieldSelector ?? '');
  } catch (e) {
    if (e instanceof FieldSelectorError || e instanceof Error) throw ApiError.badRequest(`invalid field selector: ${e.message}`);
    throw e;
  }
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...(t.strategy.selectableFields ?? [])]);
  for (const r of fields.requirements) {
    if (!allowed.has(r.field)) {
      throw ApiError.badRequest(`field label not supported: ${r.field}`);
    }
  }
  const value = (obj: KubeObject, field: string): string | undefined => {
    if (field === 'metadata.name') return obj.metadata.name ?? '';
    if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
    return t.strategy.fieldValue?.(obj, field);
  };
  const everything = isEmptySelector(labels) && isEmptyFieldSelector(fields);
  return {
    isEverything: everything,
    matches: (obj) => everything || (selectorMatches(labels, obj.metadata.labels ?? {}) && fieldSelectorMatches(fields, (f) => value(obj, f))),
  };
}
