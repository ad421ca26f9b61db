// The Kubernetes protobuf envelope: the magic bytes "k8s\x00", then a runtime.Unknown
// {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType} whose raw bytes
// are the object's own message.

import type { DecodeOptions } from './decode-message.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { WireReader, WireType, type LengthDelimited, type Tag } from './wire-reader.js';

/** "k8s\x00": what every Kubernetes protobuf body starts with. */
export const KUBERNETES_PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown';
const TYPE_META = 'k8s.io.apimachinery.pkg.runtime.TypeMeta';

export interface Envelope {
  readonly apiVersion: string;
  readonly kind: string;
  /** The object's message, with its offset in the body. Empty when the envelope has none. */
  readonly raw: LengthDelimited;
  /** Always "" from Kubernetes clients; anything else is refused by the caller. */
  readonly contentEncoding: string;
  /** "" or the protobuf media type from Kubernetes clients. */
  readonly contentType: string;
}

export function isKubernetesProtobuf(body: Uint8Array): boolean {
  return body.length >= KUBERNETES_PROTOBUF_MAGIC.length && KUBERNETES_PROTOBUF_MAGIC.every((b, i) => body[i] === b);
}

export function decodeEnvelope(body: Uint8Array, options: DecodeOptions = {}): Envelope {
  if (!isKubernetesProtobuf(body)) {
    throw new ProtobufDecodeError('the body does not start with the Kubernetes protobuf magic bytes "k8s\\x00"');
  }
  const magic = KUBERNETES_PROTOBUF_MAGIC.length;
  const reader = new WireReader(body.subarray(magic), magic, `the envelope (${UNKNOWN})`);
  let apiVersion = '';
  let kind = '';
  let raw: LengthDelimited = { bytes: new Uint8Array(0), offset: body.length };
  let contentEncoding = '';
  let contentType = '';
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field < 1 || tag.field > 4) {
      reader.skip(tag.wireType);
      options.onUnknownField?.({ message: UNKNOWN, path: '', field: tag.field, wireType: tag.wireType, offset: tag.offset });
      continue;
    }
    expectLengthDelimited(tag, UNKNOWN);
    const value = reader.readLengthDelimited();
    if (tag.field === 1) {
      // Repeated occurrences merge, as Go's decoder does: fields absent from a later one keep their value.
      const typeMeta = decodeTypeMeta(value, options);
      apiVersion = typeMeta.apiVersion ?? apiVersion;
      kind = typeMeta.kind ?? kind;
    } else if (tag.field === 2) {
      raw = value;
    } else if (tag.field === 3) {
      contentEncoding = utf8(value.bytes);
    } else {
      contentType = utf8(value.bytes);
    }
  }
  return { apiVersion, kind, raw, contentEncoding, contentType };
}

function decodeTypeMeta(payload: LengthDelimited, options: DecodeOptions): { apiVersion?: string; kind?: string } {
  const reader = new WireReader(payload.bytes, payload.offset, `the envelope's type (${TYPE_META})`);
  const out: { apiVersion?: string; kind?: string } = {};
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field !== 1 && tag.field !== 2) {
      reader.skip(tag.wireType);
      options.onUnknownField?.({ message: TYPE_META, path: '', field: tag.field, wireType: tag.wireType, offset: tag.offset });
      continue;
    }
    expectLengthDelimited(tag, TYPE_META);
    const value = utf8(reader.readLengthDelimited().bytes);
    if (tag.field === 1) out.apiVersion = value;
    else out.kind = value;
  }
  return out;
}

function expectLengthDelimited(tag: Tag, message: string): void {
  if (tag.wireType !== WireType.LengthDelimited) {
    throw new ProtobufDecodeError(`${message} field ${tag.field} has wire type ${tag.wireType}, expected 2 (length-delimited) at byte ${tag.offset}`);
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function utf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}
