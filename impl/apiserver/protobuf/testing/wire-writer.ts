// Test helper: a protobuf wire writer, to build fixtures by hand and to encode generated objects.
// It writes whatever it is told, including malformed bytes, which the decoder tests need.

import { WireType } from '../wire-reader.js';

export class WireWriter {
  private readonly out: number[] = [];

  tag(field: number, wireType: number): this {
    return this.varint((BigInt(field) << 3n) | BigInt(wireType));
  }

  /** An unsigned varint of the value's two's-complement 64-bit form (how int32/int64 are sent). */
  varint(value: bigint | number): this {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.out.push(Number(v));
    return this;
  }

  /** A varint field: tag then value. */
  uint(field: number, value: bigint | number | boolean): this {
    return this.tag(field, WireType.Varint).varint(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  }

  fixed64(field: number, value: bigint): this {
    this.tag(field, WireType.Fixed64);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    return this.raw(bytes);
  }

  fixed32(field: number, value: number): this {
    this.tag(field, WireType.Fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
    return this.raw(bytes);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.tag(field, WireType.LengthDelimited).varint(value.length).raw(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A nested message, built by `build` on a fresh writer. */
  message(field: number, build: (w: WireWriter) => void): this {
    const inner = new WireWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  raw(bytes: Uint8Array | readonly number[]): this {
    for (const b of bytes) this.out.push(b);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}
