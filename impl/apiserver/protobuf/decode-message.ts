// Schema-driven decoding of one protobuf message into the JSON object Go's encoding/json would
// write for the same Go struct, so the API server can treat the result exactly like a JSON body.
// Unknown fields are skipped and reported; everything else malformed is a ProtobufDecodeError.

import { setKey, type JsonObject, type JsonValue } from './json.js';
import type { FieldSchema, MapValueType, MessageSchema, ScalarType } from './message-schema.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { IntOrString, Quantity, Timestamp, intOrStringToJson, quantityToJson, timeToJson } from './well-known-types.js';
import { WireReader, WireType, type LengthDelimited, type Tag } from './wire-reader.js';

/** A field the schema does not know, skipped while decoding. */
export interface UnknownField {
  /** Protobuf name of the message that holds it, e.g. `k8s.io.api.core.v1.PodSpec`. */
  readonly message: string;
  /** JSON path of the object that holds it, e.g. `spec.template.spec`; "" for the top level. */
  readonly path: string;
  readonly field: number;
  readonly wireType: WireType;
  /** Offset of the field's tag in the request body. */
  readonly offset: number;
}

export interface DecodeOptions {
  /** Called once per skipped field; lets the server log or reject fields it would lose. */
  readonly onUnknownField?: (unknown: UnknownField) => void;
}

/**
 * Messages nested deeper than this are rejected. The tables are not recursive, so real objects
 * stay far below it (Deployment → template → spec → containers → env → valueFrom → … is 8); the
 * bound keeps a future recursive schema from turning a hostile body into a stack overflow.
 */
export const MAX_MESSAGE_DEPTH = 32;

/** Decodes `bytes` as a `schema` message. `offset` places `bytes` within the request body for errors. */
export function decodeMessage(bytes: Uint8Array, schema: MessageSchema, options: DecodeOptions = {}, offset = 0): JsonObject {
  return decode({ bytes, offset }, schema, options, '', 0).value;
}

interface Decoded {
  readonly value: JsonObject;
  /** True when the Go struct would equal its zero value: no pointer set, every field empty. */
  readonly zero: boolean;
}

/** Where in the object a message is being decoded. */
interface Scope {
  readonly schema: MessageSchema;
  /** JSON path of the message, "" at the top. */
  readonly path: string;
  readonly depth: number;
  readonly options: DecodeOptions;
}

/** What one field accumulated while its message was read; turned into JSON at the end. */
type Collected =
  | { readonly kind: 'scalar'; value: string | number | boolean }
  | { readonly kind: 'list'; readonly items: JsonValue[] }
  | { readonly kind: 'map'; readonly entries: JsonObject }
  | { readonly kind: 'chunks'; readonly chunks: LengthDelimited[] };

function decode(payload: LengthDelimited, schema: MessageSchema, options: DecodeOptions, path: string, depth: number): Decoded {
  const where = describe(path, schema);
  if (depth > MAX_MESSAGE_DEPTH) {
    throw new ProtobufDecodeError(`${where}: messages nested more than ${MAX_MESSAGE_DEPTH} deep`);
  }
  const reader = new WireReader(payload.bytes, payload.offset, where);
  const collected = new Map<number, Collected>();
  const scope: Scope = { schema, path, depth, options };
  while (!reader.done) {
    const tag = reader.readTag();
    const fieldSchema = schema.fields.get(tag.field);
    if (fieldSchema === undefined) {
      reader.skip(tag.wireType);
      options.onUnknownField?.({ message: schema.name, path, field: tag.field, wireType: tag.wireType, offset: tag.offset });
      continue;
    }
    checkWireType(tag, fieldSchema, where);
    collect(reader, tag.field, fieldSchema, collected, scope);
  }
  return render(collected, scope);
}

function collect(reader: WireReader, number: number, schema: FieldSchema, collected: Map<number, Collected>, scope: Scope): void {
  const { options, depth } = scope;
  const at = child(scope.path, schema.json);
  switch (schema.type) {
    case 'string':
    case 'bytes':
    case 'int32':
    case 'int64':
    case 'bool': {
      // A scalar sent twice: the last occurrence wins, as in Go.
      collected.set(number, { kind: 'scalar', value: readScalar(reader, schema.type, at) });
      return;
    }
    case 'repeated': {
      let entry = collected.get(number);
      if (entry?.kind !== 'list') {
        entry = { kind: 'list', items: [] };
        collected.set(number, entry);
      }
      if (schema.item === 'string') {
        entry.items.push(utf8(reader.readLengthDelimited().bytes));
      } else {
        const item = decode(reader.readLengthDelimited(), schema.item, options, `${at}[${entry.items.length}]`, depth + 1);
        entry.items.push(item.value);
      }
      return;
    }
    case 'map': {
      let entry = collected.get(number);
      if (entry?.kind !== 'map') {
        entry = { kind: 'map', entries: {} };
        collected.set(number, entry);
      }
      const entryName = `${scope.schema.name}.${schema.json.charAt(0).toUpperCase()}${schema.json.slice(1)}Entry`;
      const [key, value] = readMapEntry(reader.readLengthDelimited(), entryName, schema.value, options, at, depth + 1);
      setKey(entry.entries, key, value);
      return;
    }
    case 'message':
    case 'time':
    case 'quantity':
    case 'intOrString': {
      // Every occurrence is kept. Go's generated decoders merge a message sent twice into the
      // same struct (for protobuf, the same as decoding the concatenated payloads); Time and
      // Quantity decode themselves afresh instead, so the last one wins. render() does both.
      let entry = collected.get(number);
      if (entry?.kind !== 'chunks') {
        entry = { kind: 'chunks', chunks: [] };
        collected.set(number, entry);
      }
      entry.chunks.push(reader.readLengthDelimited());
      return;
    }
  }
}

function render(collected: Map<number, Collected>, scope: Scope): Decoded {
  const { schema, options, path, depth } = scope;
  const out: JsonObject = {};
  let zero = true;
  for (const [number, fieldSchema] of schema.fields) {
    const entry = collected.get(number);
    const at = child(path, fieldSchema.json);
    switch (fieldSchema.type) {
      case 'string':
      case 'bytes':
      case 'int32':
      case 'int64':
      case 'bool': {
        const value = entry?.kind === 'scalar' ? entry.value : zeroOf(fieldSchema.type);
        const empty = value === '' || value === 0 || value === false;
        const show = fieldSchema.presence === 'pointer' ? entry !== undefined : fieldSchema.presence === 'always' || !empty;
        if (show) out[fieldSchema.json] = value;
        if ((fieldSchema.presence === 'pointer' && entry !== undefined) || !empty) zero = false;
        break;
      }
      case 'repeated':
        if (entry?.kind === 'list' && entry.items.length > 0) {
          out[fieldSchema.json] = entry.items;
          zero = false;
        }
        break;
      case 'map':
        if (entry?.kind === 'map' && Object.keys(entry.entries).length > 0) {
          out[fieldSchema.json] = entry.entries;
          zero = false;
        }
        break;
      case 'message': {
        if (entry?.kind !== 'chunks') break;
        const nested = decode(merge(entry.chunks), fieldSchema.message, options, fieldSchema.inline ? path : at, depth + 1);
        if (fieldSchema.inline) {
          Object.assign(out, nested.value);
          if (!nested.zero) zero = false;
        } else if (fieldSchema.presence === 'pointer' || !nested.zero) {
          out[fieldSchema.json] = nested.value;
          zero = false;
        }
        break;
      }
      case 'time': {
        if (entry?.kind !== 'chunks') break;
        // metav1.Time replaces itself on each occurrence instead of merging: the last one wins.
        let value: string | undefined;
        for (const chunk of entry.chunks) value = timeToJson(decode(chunk, Timestamp, options, at, depth + 1).value, chunk.bytes.length, at);
        if (value !== undefined) out[fieldSchema.json] = value;
        if (value !== undefined || fieldSchema.presence === 'pointer') zero = false;
        break;
      }
      case 'quantity': {
        if (entry?.kind !== 'chunks') break;
        // Quantity, too, parses each occurrence afresh.
        let value = '';
        for (const chunk of entry.chunks) value = quantityToJson(decode(chunk, Quantity, options, at, depth + 1).value);
        if (value !== '' || fieldSchema.presence === 'pointer') {
          out[fieldSchema.json] = value;
          zero = false;
        }
        break;
      }
      case 'intOrString': {
        if (entry?.kind !== 'chunks') break;
        const value = intOrStringToJson(decode(merge(entry.chunks), IntOrString, options, at, depth + 1).value, at);
        if (!value.zero || fieldSchema.presence === 'pointer') {
          out[fieldSchema.json] = value.value;
          zero = false;
        }
        break;
      }
    }
  }
  return { value: out, zero };
}

/** A map entry message {1 key, 2 value}. A missing key is "", a missing value its zero value, as in Go. */
function readMapEntry(
  payload: LengthDelimited,
  entryName: string,
  valueType: MapValueType,
  options: DecodeOptions,
  path: string,
  depth: number,
): [string, JsonValue] {
  const where = `${path} (${entryName})`;
  if (depth > MAX_MESSAGE_DEPTH) {
    throw new ProtobufDecodeError(`${where}: messages nested more than ${MAX_MESSAGE_DEPTH} deep`);
  }
  const reader = new WireReader(payload.bytes, payload.offset, where);
  let key = '';
  let value: JsonValue | undefined;
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field !== 1 && tag.field !== 2) {
      reader.skip(tag.wireType);
      options.onUnknownField?.({ message: entryName, path, field: tag.field, wireType: tag.wireType, offset: tag.offset });
      continue;
    }
    if (tag.wireType !== WireType.LengthDelimited) {
      throw new ProtobufDecodeError(`${where}: field ${tag.field} has wire type ${tag.wireType}, expected 2 (length-delimited) at byte ${tag.offset}`);
    }
    const data = reader.readLengthDelimited();
    if (tag.field === 1) {
      key = utf8(data.bytes);
    } else if (valueType === 'quantity') {
      value = quantityToJson(decode(data, Quantity, options, `${path}[${JSON.stringify(key)}]`, depth + 1).value);
    } else {
      value = valueType === 'bytes' ? base64(data.bytes) : utf8(data.bytes);
    }
  }
  // A zero Quantity marshals as "0"; an empty string or byte slice as "".
  return [key, value ?? (valueType === 'quantity' ? '0' : '')];
}

function readScalar(reader: WireReader, type: ScalarType, path: string): string | number | boolean {
  switch (type) {
    case 'string':
      return utf8(reader.readLengthDelimited().bytes);
    case 'bytes':
      return base64(reader.readLengthDelimited().bytes);
    case 'bool':
      return reader.readVarint() !== 0n;
    case 'int32':
      // Go keeps the low 32 bits; negative int32s arrive sign-extended to ten bytes.
      return Number(BigInt.asIntN(32, reader.readVarint()));
    case 'int64': {
      const value = BigInt.asIntN(64, reader.readVarint());
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new ProtobufDecodeError(`${path}: int64 value ${value} is outside the range JSON numbers hold exactly`);
      }
      return Number(value);
    }
  }
}

function checkWireType(tag: Tag, schema: FieldSchema, where: string): void {
  const expected = schema.type === 'int32' || schema.type === 'int64' || schema.type === 'bool' ? WireType.Varint : WireType.LengthDelimited;
  if (tag.wireType !== expected) {
    const name = schema.json === '' ? '(inline)' : schema.json;
    throw new ProtobufDecodeError(
      `${where}: field ${tag.field} (${name}) has wire type ${tag.wireType}, expected ${expected} at byte ${tag.offset}`,
    );
  }
}

function zeroOf(type: ScalarType): string | number | boolean {
  return type === 'bool' ? false : type === 'int32' || type === 'int64' ? 0 : '';
}

function merge(chunks: readonly LengthDelimited[]): LengthDelimited {
  if (chunks.length === 1) return chunks[0] as LengthDelimited;
  const total = chunks.reduce((n, c) => n + c.bytes.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c.bytes, at);
    at += c.bytes.length;
  }
  // Offsets inside a merged payload are approximate: errors point at the first occurrence.
  return { bytes, offset: (chunks[0] as LengthDelimited).offset };
}

function child(path: string, json: string): string {
  return path === '' ? json : `${path}.${json}`;
}

function describe(path: string, schema: MessageSchema): string {
  return path === '' ? schema.name : `${path} (${schema.name})`;
}

// Go strings hold any bytes and encoding/json writes invalid UTF-8 as U+FFFD; so does this decoder.
const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function utf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
