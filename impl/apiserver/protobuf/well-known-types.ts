// The Kubernetes types whose JSON form is not their protobuf form: metav1.Time, resource.Quantity
// and intstr.IntOrString. Each has a wire schema (decoded like any message) and a conversion from
// the decoded fields to the JSON value Go's MarshalJSON would produce.

import type { JsonObject } from './json.js';
import { field, message } from './message-schema.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';

/** metav1.Time and metav1.Timestamp share this wire form. */
export const Timestamp = message('k8s.io.apimachinery.pkg.apis.meta.v1.Time', {
  1: field.int64('seconds'),
  2: field.int32('nanos'),
});

export const Quantity = message('k8s.io.apimachinery.pkg.api.resource.Quantity', {
  1: field.string('string'),
});

export const IntOrString = message('k8s.io.apimachinery.pkg.util.intstr.IntOrString', {
  1: field.int64('type'),
  2: field.int32('intVal'),
  3: field.string('strVal'),
});

// metav1.Time marshals as RFC3339 with a four-digit year: 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z.
const MIN_SECONDS = -62_167_219_200;
const MAX_SECONDS = 253_402_300_799;

/**
 * metav1.Time → RFC3339 string, or undefined for the zero time. Go encodes the zero time as an
 * empty message (and JSON-encodes it as null), so only an empty payload means unset: an explicit
 * {seconds: 0} is the Unix epoch. Nanoseconds are folded into seconds the way Go's time.Unix
 * normalizes them and then dropped, because the JSON form has second precision.
 */
export function timeToJson(decoded: JsonObject, byteLength: number, where: string): string | undefined {
  if (byteLength === 0) return undefined;
  const seconds = numberField(decoded, 'seconds') + Math.floor(numberField(decoded, 'nanos') / 1e9);
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw new ProtobufDecodeError(`${where}: timestamp ${seconds}s is outside years 0000-9999`);
  }
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Quantity → its canonical string; "" when the message carries none (the zero Quantity). */
export function quantityToJson(decoded: JsonObject): string {
  const value = decoded['string'];
  return typeof value === 'string' ? value : '';
}

/** IntOrString → number (type 0) or string (type 1); `zero` when it is the Go zero value (int 0). */
export function intOrStringToJson(decoded: JsonObject, where: string): { readonly value: number | string; readonly zero: boolean } {
  const type = numberField(decoded, 'type');
  if (type === 0) {
    const value = numberField(decoded, 'intVal');
    return { value, zero: value === 0 };
  }
  if (type === 1) {
    const value = decoded['strVal'];
    return { value: typeof value === 'string' ? value : '', zero: false };
  }
  throw new ProtobufDecodeError(`${where}: IntOrString has type ${type}; only 0 (int) and 1 (string) exist`);
}

function numberField(decoded: JsonObject, name: string): number {
  const value = decoded[name];
  return typeof value === 'number' ? value : 0;
}
