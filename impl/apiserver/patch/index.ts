// The patch algorithms of PATCH requests, as pure functions over JSON values: JSON merge
// patch, JSON patch, strategic merge patch and server-side apply, with the per-kind patch
// strategy tables they read and the PatchError the server maps to 400 or 422.

export { PatchError, type PatchErrorReason } from './patch-error.js';
export { asJson, jsonEqual, isJsonObject, type JsonObject, type JsonPrimitive, type JsonValue } from './json.js';
export { applyMergePatch, createMergePatch } from './merge-patch.js';
export { applyJsonPatch, parseJsonPatch, type JsonPatchOperation } from './json-patch.js';
export { formatPointer, parsePointer } from './json-pointer.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export {
  CONTAINER,
  CORE_PATCH_SCHEMAS,
  OBJECT_META,
  POD_SPEC,
  POD_STATUS,
  POD_TEMPLATE,
  patchSchemaFor,
  under,
  type FieldPatchMeta,
  type PatchSchema,
} from './patch-schema.js';
export { FieldSet, fieldSetOf, formatFieldPath, type FieldPath } from './field-set.js';
export {
  applyServerSide,
  conflictCauses,
  conflictMessage,
  recordUpdate,
  type ApplyOptions,
  type ApplyResult,
  type FieldConflict,
  type ManagedFieldsEntry,
  type UpdateOptions,
} from './server-side-apply.js';
