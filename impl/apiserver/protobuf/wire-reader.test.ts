// The wire reader reads each wire type exactly, skips what it is told to, and turns every kind of
// malformed input into a ProtobufDecodeError that names the byte offset.

import { describe, expect, it } from 'vitest';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { WireWriter } from './testing/wire-writer.js';
import { WireReader, WireType } from './wire-reader.js';

const reader = (bytes: Uint8Array | number[], base = 0): WireReader => new WireReader(Uint8Array.from(bytes), base, 'test');

/** Reads one tag and skips its value. */
function skipOne(r: WireReader): void {
  r.skip(r.readTag().wireType);
}

describe('varints', () => {
  it.each([0n, 1n, 127n, 128n, 300n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n])('round-trips %s', (value) => {
    const r = reader(new WireWriter().varint(value).finish());
    expect(r.readVarint()).toBe(value);
    expect(r.done).toBe(true);
  });

  it('reads negative numbers as their ten-byte two\'s complement', () => {
    const bytes = new WireWriter().varint(-1).finish();
    expect(bytes.length).toBe(10);
    expect(reader(bytes).readVarint()).toBe(2n ** 64n - 1n);
  });

  it('keeps the low 64 bits of a ten-byte varint, as Go does', () => {
    expect(reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]).readVarint()).toBe(2n ** 63n);
  });

  it('rejects an eleventh byte and a truncated varint', () => {
    expect(() => reader([...Array<number>(10).fill(0xff), 0x01]).readVarint()).toThrow(/varint longer than 10 bytes at byte 0/);
    expect(() => reader([0x80, 0x80], 7).readVarint()).toThrow(/test: truncated varint at byte 7/);
  });
});

describe('fixed-width and length-delimited values', () => {
  it('reads little-endian fixed32 and fixed64', () => {
    const r = reader(new WireWriter().fixed32(1, 0xdeadbeef).fixed64(2, 0x0123456789abcdefn).finish());
    expect(r.readTag()).toMatchObject({ field: 1, wireType: WireType.Fixed32 });
    expect(r.readFixed32()).toBe(0xdeadbeef);
    expect(r.readTag()).toMatchObject({ field: 2, wireType: WireType.Fixed64 });
    expect(r.readFixed64()).toBe(0x0123456789abcdefn);
  });

  it('returns payloads with their offset in the body', () => {
    const r = reader(new WireWriter().string(1, 'abc').finish(), 100);
    expect(r.readTag()).toEqual({ field: 1, wireType: WireType.LengthDelimited, offset: 100 });
    const payload = r.readLengthDelimited();
    expect(new TextDecoder().decode(payload.bytes)).toBe('abc');
    expect(payload.offset).toBe(102);
  });

  it('rejects a length past the end, however large, without allocating it', () => {
    expect(() => skipOne(reader([0x0a, 0x05, 0x61]))).toThrow(ProtobufDecodeError);
    const huge = new WireWriter().tag(1, WireType.LengthDelimited).varint(2n ** 62n).finish();
    const r = reader(huge);
    r.readTag();
    expect(() => r.readLengthDelimited()).toThrow(/overruns the 0 bytes left/);
  });

  it('skips every wire type', () => {
    const bytes = new WireWriter().uint(1, 2n ** 40n).fixed64(2, 5n).string(3, 'skip me').fixed32(4, 9).uint(5, 42).finish();
    const r = reader(bytes);
    for (let i = 0; i < 4; i++) r.skip(r.readTag().wireType);
    expect(r.readTag().field).toBe(5);
    expect(r.readVarint()).toBe(42n);
    expect(r.done).toBe(true);
  });

  it('rejects truncated fixed-width values', () => {
    expect(() => skipOne(reader([0x09, 1, 2, 3]))).toThrow(/truncated fixed64 value/);
    expect(() => skipOne(reader([0x0d, 1]))).toThrow(/truncated fixed32 value/);
  });
});

describe('tags', () => {
  it('rejects field number 0, groups and undefined wire types', () => {
    expect(() => reader([0x02, 0x00]).readTag()).toThrow(/invalid field number 0/);
    expect(() => reader([0x0b]).readTag()).toThrow(/group wire type 3/);
    expect(() => reader([0x0c]).readTag()).toThrow(/group wire type 4/);
    expect(() => reader([0x0e]).readTag()).toThrow(/invalid wire type 6/);
    expect(() => reader([0x0f]).readTag()).toThrow(/invalid wire type 7/);
  });

  it('rejects field numbers beyond 2^29 - 1', () => {
    const bytes = new WireWriter().tag(2 ** 29, WireType.Varint).finish();
    expect(() => reader(bytes).readTag()).toThrow(/invalid field number 536870912/);
    expect(reader(new WireWriter().tag(2 ** 29 - 1, WireType.Varint).finish()).readTag().field).toBe(2 ** 29 - 1);
  });
});
