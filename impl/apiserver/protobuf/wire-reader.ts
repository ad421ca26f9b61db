// A bounds-checked reader for the protobuf wire format: tags, varints, fixed-width values and
// length-delimited payloads. It knows nothing of schemas; every malformed input ends in a
// ProtobufDecodeError naming the byte offset in the request body.

import { ProtobufDecodeError } from './protobuf-decode-error.js';

/** The wire types Kubernetes' gogo-protobuf encoding produces. Groups (3, 4) are rejected. */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  Fixed32: 5,
} as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

export interface Tag {
  readonly field: number;
  readonly wireType: WireType;
  /** Offset of the tag in the request body, for error messages. */
  readonly offset: number;
}

export interface LengthDelimited {
  readonly bytes: Uint8Array;
  /** Offset of the payload's first byte in the request body. */
  readonly offset: number;
}

/** Largest field number protobuf allows (2^29 - 1). */
const MAX_FIELD_NUMBER = 0x1fffffff;

export class WireReader {
  private pos = 0;

  /**
   * @param bytes the message to read.
   * @param base offset of `bytes` within the request body, so errors point into the body.
   * @param where what is being read (a JSON path and message name), for errors.
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly base = 0,
    private readonly where = 'the body',
  ) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  readTag(): Tag {
    const offset = this.offset;
    const key = this.readVarint();
    const wireType = Number(key & 7n);
    const field = key >> 3n;
    if (field === 0n || field > BigInt(MAX_FIELD_NUMBER)) {
      throw this.error(`invalid field number ${field}`, offset);
    }
    if (wireType === 3 || wireType === 4) {
      throw this.error(`field ${field} uses the group wire type ${wireType}, which Kubernetes never sends`, offset);
    }
    if (wireType !== WireType.Varint && wireType !== WireType.Fixed64 && wireType !== WireType.LengthDelimited && wireType !== WireType.Fixed32) {
      throw this.error(`field ${field} has invalid wire type ${wireType}`, offset);
    }
    return { field: Number(field), wireType, offset };
  }

  /**
   * Reads a varint as an unsigned 64-bit value. Like Go's generated decoders it accepts up to
   * ten bytes and keeps the low 64 bits; an eleventh continuation byte is an overflow.
   */
  readVarint(): bigint {
    const start = this.offset;
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.bytes.length) throw this.error('truncated varint', start);
      const byte = this.bytes[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, result);
    }
    throw this.error('varint longer than 10 bytes', start);
  }

  readFixed64(): bigint {
    const raw = this.take(8, 'fixed64 value');
    return new DataView(raw.buffer, raw.byteOffset, 8).getBigUint64(0, true);
  }

  readFixed32(): number {
    const raw = this.take(4, 'fixed32 value');
    return new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0, true);
  }

  /** Reads a length prefix and returns a view of the payload (no copy). */
  readLengthDelimited(): LengthDelimited {
    const start = this.offset;
    const length = this.readVarint();
    const remaining = this.bytes.length - this.pos;
    if (length > BigInt(remaining)) {
      throw this.error(`length-delimited field of ${length} bytes overruns the ${remaining} bytes left`, start);
    }
    const offset = this.offset;
    return { bytes: this.take(Number(length), 'length-delimited payload'), offset };
  }

  /** Skips over a value of the given wire type (an unknown field). */
  skip(wireType: WireType): void {
    switch (wireType) {
      case WireType.Varint:
        this.readVarint();
        return;
      case WireType.Fixed64:
        this.take(8, 'fixed64 value');
        return;
      case WireType.LengthDelimited:
        this.readLengthDelimited();
        return;
      case WireType.Fixed32:
        this.take(4, 'fixed32 value');
        return;
    }
  }

  private take(n: number, what: string): Uint8Array {
    if (this.pos + n > this.bytes.length) {
      throw this.error(`truncated ${what}: need ${n} bytes, ${this.bytes.length - this.pos} left`, this.offset);
    }
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private error(what: string, offset: number): ProtobufDecodeError {
    return new ProtobufDecodeError(`${this.where}: ${what} at byte ${offset}`);
  }
}
