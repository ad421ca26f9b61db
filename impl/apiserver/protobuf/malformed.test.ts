// Hostile and broken bodies: whatever the bytes, decodeKubernetesProtobuf returns or throws a
// ProtobufDecodeError, never another exception, never a hang; unsupported kinds are told apart.

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf } from './decode-kubernetes-protobuf.js';
import { decodeMessage, MAX_MESSAGE_DEPTH } from './decode-message.js';
import { isKubernetesProtobuf } from './envelope.js';
import { field, message, type MessageSchema } from './message-schema.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { checkProperty } from '../../../specs/support/property.js';
import { WireWriter } from './testing/wire-writer.js';
import { WireType } from './wire-reader.js';

const FILE = 'impl/apiserver/protobuf/malformed.test.ts';
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

const fixtureDir = new URL('./fixtures/', import.meta.url);
const fixtures = readdirSync(fixtureDir)
  .filter((name) => name.endsWith('.pb'))
  .map((name) => new Uint8Array(readFileSync(new URL(name, fixtureDir))));

/** What decoding did: fine, a ProtobufDecodeError, or anything else (a defect). */
function outcome(body: Uint8Array): 'ok' | 'error' {
  try {
    decodeKubernetesProtobuf(body, { onUnknownField: () => undefined });
    return 'ok';
  } catch (error) {
    if (error instanceof ProtobufDecodeError) return 'error';
    throw new Error(`decoding threw something other than a ProtobufDecodeError: ${String(error)}`);
  }
}

function decodeError(body: Uint8Array): ProtobufDecodeError {
  try {
    decodeKubernetesProtobuf(body);
  } catch (error) {
    if (error instanceof ProtobufDecodeError) return error;
    throw error;
  }
  throw new Error('decoded without error');
}

function envelope(build: (w: WireWriter) => void): Uint8Array {
  const w = new WireWriter().raw(MAGIC);
  build(w);
  return w.finish();
}

describe('the envelope', () => {
  it('is recognized by its magic bytes', () => {
    expect(isKubernetesProtobuf(Uint8Array.from([...MAGIC, 0x0a]))).toBe(true);
    expect(isKubernetesProtobuf(Uint8Array.from(MAGIC))).toBe(true);
    expect(isKubernetesProtobuf(Uint8Array.from(MAGIC.slice(0, 3)))).toBe(false);
    expect(isKubernetesProtobuf(new TextEncoder().encode('{"kind":"Pod"}'))).toBe(false);
  });

  it('without the magic is a 400, not a 415', () => {
    for (const body of [new Uint8Array(0), new TextEncoder().encode('{"apiVersion":"v1"}'), Uint8Array.of(0x6b, 0x38, 0x73, 0x01)]) {
      const error = decodeError(body);
      expect(error.unsupportedKind).toBe(false);
      expect(error.message).toMatch(/^invalid protobuf body: the body does not start with the Kubernetes protobuf magic bytes/);
    }
  });

  it('must name an apiVersion and a kind', () => {
    expect(decodeError(Uint8Array.from(MAGIC)).message).toMatch(/does not name the object's apiVersion and kind/);
    expect(decodeError(envelope((w) => w.message(1, (t) => t.string(1, 'v1')))).message).toMatch(/does not name/);
  });

  it('naming a kind without a schema is a 415 that names the kind', () => {
    const error = decodeError(envelope((w) => w.message(1, (t) => t.string(1, 'apps/v1').string(2, 'StatefulSet')).bytes(2, new Uint8Array(0))));
    expect(error.unsupportedKind).toBe(true);
    expect(error.message).toBe('protobuf bodies of kind StatefulSet (apps/v1) are not supported; send application/json');
  });

  it('with kinds that merely look like object keys is still unsupported', () => {
    for (const kind of ['__proto__', 'constructor', 'toString']) {
      expect(decodeError(envelope((w) => w.message(1, (t) => t.string(1, 'v1').string(2, kind)))).unsupportedKind).toBe(true);
    }
  });

  it('refuses a content encoding or a foreign content type', () => {
    const typed = (w: WireWriter): WireWriter => w.message(1, (t) => t.string(1, 'v1').string(2, 'Namespace'));
    expect(decodeError(envelope((w) => typed(w).string(3, 'gzip'))).message).toMatch(/contentEncoding is "gzip"/);
    expect(decodeError(envelope((w) => typed(w).string(4, 'application/json'))).message).toMatch(/contentType is "application\/json"/);
    expect(outcome(envelope((w) => typed(w).string(4, 'application/vnd.kubernetes.protobuf')))).toBe('ok');
  });

  it('skips and reports unknown envelope fields', () => {
    const fields: number[] = [];
    const body = envelope((w) => w.uint(9, 1).message(1, (t) => t.string(1, 'v1').string(2, 'Namespace').fixed32(3, 0)));
    const decoded = decodeKubernetesProtobuf(body, { onUnknownField: (u) => fields.push(u.field) });
    expect(decoded.object).toStrictEqual({ apiVersion: 'v1', kind: 'Namespace' });
    expect(fields).toEqual([9, 3]);
  });

  it('with a wrongly typed field is malformed', () => {
    expect(decodeError(envelope((w) => w.uint(1, 5))).message).toMatch(/Unknown field 1 has wire type 0, expected 2/);
  });
});

describe('truncated bodies', () => {
  it('every prefix of every captured kubectl body decodes or fails cleanly', () => {
    let failures = 0;
    let prefixes = 0;
    for (const body of fixtures) {
      for (let n = 0; n < body.length; n++) {
        prefixes++;
        if (outcome(body.subarray(0, n)) === 'error') failures++;
      }
    }
    // A cut that lands between two fields leaves valid protobuf; almost every other cut must fail.
    expect(failures).toBeGreaterThan(prefixes * 0.9);
  });

  it('a cut inside the object says where', () => {
    const firstApp = fixtures.find((b) => b.length === 234) as Uint8Array;
    expect(decodeError(firstApp.subarray(0, 100)).message).toMatch(
      /^invalid protobuf body: the envelope \(k8s\.io\.apimachinery\.pkg\.runtime\.Unknown\): length-delimited field of 200 bytes overruns/,
    );
  });
});

describe('random and mutated bodies', () => {
  const bodies = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => Uint8Array.from([...MAGIC, ...b])),
    // A captured body with a few bytes overwritten, inserted or removed.
    fc
      .tuple(
        fc.constantFrom(...fixtures),
        fc.array(fc.tuple(fc.constantFrom('set', 'insert', 'delete'), fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      )
      .map(([fixture, edits]) => {
        const bytes = [...fixture];
        for (const [op, at, value] of edits) {
          const i = at % (bytes.length + 1);
          if (op === 'set' && i < bytes.length) bytes[i] = value;
          else if (op === 'insert') bytes.splice(i, 0, value);
          else bytes.splice(i, 1);
        }
        return Uint8Array.from(bytes);
      }),
  );

  it('decode or throw ProtobufDecodeError, nothing else', () => {
    checkProperty(
      FILE,
      'decode or throw ProtobufDecodeError, nothing else',
      fc.property(bodies, (body) => {
        outcome(body);
      }),
      3000,
    );
  });
});

describe('nesting', () => {
  /** A chain of `depth` distinct message schemas, each holding the next as field 1. */
  function chain(depth: number): MessageSchema {
    let schema = message('Leaf', { 1: field.string('value') });
    for (let i = depth - 1; i > 0; i--) schema = message(`Level${i}`, { 1: field.message('child', schema) });
    return schema;
  }

  /** `depth` messages each wrapping the next in `fieldNumber`, built inside-out in linear time. */
  function nested(depth: number, innermost: Uint8Array, fieldNumber = 1): Uint8Array {
    const lengths: number[] = [innermost.length];
    for (let i = 1; i < depth; i++) {
      const inner = lengths[i - 1] as number;
      lengths.push(1 + new WireWriter().varint(inner).finish().length + inner);
    }
    const w = new WireWriter();
    for (let i = depth - 1; i >= 1; i--) w.tag(fieldNumber, WireType.LengthDelimited).varint(lengths[i - 1] as number);
    return w.raw(innermost).finish();
  }

  it('within the bound decodes', () => {
    const depth = MAX_MESSAGE_DEPTH;
    let expected: Record<string, unknown> = { value: 'deep' };
    for (let i = 1; i < depth; i++) expected = { child: expected };
    expect(decodeMessage(nested(depth, new WireWriter().string(1, 'deep').finish()), chain(depth))).toStrictEqual(expected);
  });

  it('beyond the bound is refused', () => {
    const depth = MAX_MESSAGE_DEPTH + 5;
    expect(() => decodeMessage(nested(depth, new WireWriter().string(1, 'deep').finish()), chain(depth))).toThrow(
      new RegExp(`nested more than ${MAX_MESSAGE_DEPTH} deep`),
    );
  });

  it('of a hundred thousand levels inside an unknown field is skipped without recursion', () => {
    const deep = nested(100_000, new Uint8Array(0));
    const body = envelope((w) =>
      w.message(1, (t) => t.string(1, 'v1').string(2, 'Namespace')).message(2, (ns) => ns.message(1, (m) => m.string(1, 'x')).bytes(99, deep)),
    );
    const fields: number[] = [];
    expect(decodeKubernetesProtobuf(body, { onUnknownField: (u) => fields.push(u.field) }).object).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'x' },
    });
    expect(fields).toEqual([99]);
  });

  it('of known fields as deep as the body allows stops where the schema does', () => {
    // Nested field 1s under a Pod run metadata → name, a string; field 2s run spec → containers →
    // image, a string. Either way the schema ends the descent after a few levels and the rest is
    // text: no stack grows with the body.
    for (const fieldNumber of [1, 2]) {
      const body = envelope((w) =>
        w.message(1, (t) => t.string(1, 'v1').string(2, 'Pod')).bytes(2, nested(10_000, new Uint8Array(0), fieldNumber)),
      );
      expect(['ok', 'error']).toContain(outcome(body));
    }
  });
});
