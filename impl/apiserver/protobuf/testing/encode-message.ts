// Test helper: encodes a JSON object into protobuf by the same schema tables the decoder reads,
// in one of two styles. `gogo` writes what Kubernetes' Go clients write: every non-pointer field,
// empty or not, in field-number order, maps sorted by key (byte-exact with kubectl's bodies).
// `sparse` writes only what the object holds, as a minimal protobuf encoder would.

import type { JsonObject, JsonValue } from '../json.js';
import type { FieldSchema, MapValueType, MessageSchema } from '../message-schema.js';
import { schemaFor } from '../supported-kinds.js';
import { WireWriter } from './wire-writer.js';

export type EncodeStyle = 'gogo' | 'sparse';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** Magic + runtime.Unknown{typeMeta, raw, contentEncoding "", contentType ""}, as client-go sends it. */
export function encodeKubernetesProtobuf(object: JsonObject, style: EncodeStyle = 'gogo'): Uint8Array {
  const { apiVersion, kind, ...rest } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new Error('object needs apiVersion and kind');
  const schema = schemaFor(apiVersion, kind);
  if (schema === undefined) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return new WireWriter()
    .raw(MAGIC)
    .message(1, (w) => w.string(1, apiVersion).string(2, kind))
    .bytes(2, encodeMessage(rest, schema, style))
    .string(3, '')
    .string(4, '')
    .finish();
}

export function encodeMessage(object: JsonObject, schema: MessageSchema, style: EncodeStyle): Uint8Array {
  const w = new WireWriter();
  writeFields(w, object, schema, style);
  return w.finish();
}

function writeFields(w: WireWriter, object: JsonObject, schema: MessageSchema, style: EncodeStyle): void {
  const known = new Set<string>();
  for (const [number, f] of schema.fields) {
    if (f.type === 'message' && f.inline) {
      for (const inner of f.message.fields.values()) known.add(inner.json);
    } else {
      known.add(f.json);
    }
    writeField(w, number, f, object, style);
  }
  for (const key of Object.keys(object)) {
    if (!known.has(key)) throw new Error(`${schema.name} has no field for JSON key ${key}`);
  }
}

function writeField(w: WireWriter, number: number, f: FieldSchema, object: JsonObject, style: EncodeStyle): void {
  const present = Object.hasOwn(object, f.json);
  const value = object[f.json];
  const writeAbsent = style === 'gogo' && f.type !== 'repeated' && f.type !== 'map' && f.presence !== 'pointer';
  switch (f.type) {
    case 'string':
      if (present || writeAbsent) w.string(number, present ? asString(value) : '');
      return;
    case 'bytes':
      if (present || writeAbsent) w.bytes(number, Buffer.from(present ? asString(value) : '', 'base64'));
      return;
    case 'int32':
    case 'int64':
      if (present || writeAbsent) w.uint(number, present ? asNumber(value) : 0);
      return;
    case 'bool':
      if (present || writeAbsent) w.uint(number, present ? asBoolean(value) : false);
      return;
    case 'repeated':
      if (!present) return;
      for (const item of asArray(value)) {
        if (f.item === 'string') w.string(number, asString(item));
        else w.bytes(number, encodeMessage(asObject(item), f.item, style));
      }
      return;
    case 'map': {
      if (!present) return;
      const entries = Object.entries(asObject(value));
      if (style === 'gogo') entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [key, v] of entries) w.message(number, (e) => writeMapValue(e.string(1, key), f.value, v));
      return;
    }
    case 'message':
      if (f.inline) {
        const inner: JsonObject = {};
        for (const innerField of f.message.fields.values()) {
          const v = object[innerField.json];
          if (v !== undefined) inner[innerField.json] = v;
        }
        if (style === 'gogo' || Object.keys(inner).length > 0) w.bytes(number, encodeMessage(inner, f.message, style));
        return;
      }
      if (present || writeAbsent) w.bytes(number, encodeMessage(present ? asObject(value) : {}, f.message, style));
      return;
    case 'time':
      if (present) w.message(number, (t) => writeTime(t, asString(value), style));
      else if (writeAbsent) w.bytes(number, new Uint8Array(0)); // Go writes the zero time as an empty message.
      return;
    case 'quantity':
      if (present || writeAbsent) w.message(number, (q) => q.string(1, present ? asString(value) : '0')); // the zero Quantity is "0"
      return;
    case 'intOrString':
      if (present || writeAbsent) w.message(number, (i) => writeIntOrString(i, present ? asIntOrString(value) : 0, style));
      return;
  }
}

function writeMapValue(w: WireWriter, type: MapValueType, value: JsonValue): void {
  if (type === 'string') w.string(2, asString(value));
  else if (type === 'bytes') w.bytes(2, Buffer.from(asString(value), 'base64'));
  else w.message(2, (q) => q.string(1, asString(value)));
}

function writeTime(w: WireWriter, rfc3339: string, style: EncodeStyle): void {
  const millis = Date.parse(rfc3339);
  if (Number.isNaN(millis)) throw new Error(`not a time: ${rfc3339}`);
  w.uint(1, Math.floor(millis / 1000));
  if (style === 'gogo') w.uint(2, 0);
}

function writeIntOrString(w: WireWriter, value: number | string, style: EncodeStyle): void {
  if (typeof value === 'number') {
    if (style === 'gogo') w.uint(1, 0).uint(2, value).string(3, '');
    else w.uint(2, value);
  } else if (style === 'gogo') {
    w.uint(1, 1).uint(2, 0).string(3, value);
  } else {
    w.uint(1, 1).string(3, value);
  }
}

function asString(v: JsonValue | undefined): string {
  if (typeof v !== 'string') throw new Error(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}
function asNumber(v: JsonValue | undefined): number {
  if (typeof v !== 'number') throw new Error(`expected a number, got ${JSON.stringify(v)}`);
  return v;
}
function asBoolean(v: JsonValue | undefined): boolean {
  if (typeof v !== 'boolean') throw new Error(`expected a boolean, got ${JSON.stringify(v)}`);
  return v;
}
function asIntOrString(v: JsonValue | undefined): number | string {
  if (typeof v !== 'number' && typeof v !== 'string') throw new Error(`expected a number or string, got ${JSON.stringify(v)}`);
  return v;
}
function asArray(v: JsonValue | undefined): JsonValue[] {
  if (!Array.isArray(v)) throw new Error(`expected an array, got ${JSON.stringify(v)}`);
  return v;
}
function asObject(v: JsonValue | undefined): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`expected an object, got ${JSON.stringify(v)}`);
  return v;
}
