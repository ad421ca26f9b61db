import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, decodeFrames, encodeFrames } from './log-frame.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('log frames', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { maxLength: 10 }), (records) => {
        const bytes = encodeFrames(records);
        expect(decodeFrames(bytes)).toEqual({ records, validLength: bytes.length });
      }),
    );
  });

  it('returns exactly the whole frames before any cut or corruption of the tail', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 32 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.option(fc.nat(), { nil: undefined }),
        (records, cutPick, flipPick) => {
          const bytes = encodeFrames(records).slice();
          const ends = records.map((_, i) => encodeFrames(records.slice(0, i + 1)).length);
          const cut = cutPick % (bytes.length + 1);
          let damaged = bytes.subarray(0, cut);
          let firstBad = ends.findIndex((end) => end > cut);
          if (flipPick !== undefined && cut > 0) {
            const at = flipPick % cut;
            damaged = damaged.slice();
            damaged[at] = (damaged[at] as number) ^ 0x40;
            const hit = ends.findIndex((end) => end > at);
            if (firstBad === -1 || hit < firstBad) firstBad = hit;
          }
          const whole = firstBad === -1 ? records.length : firstBad;
          const decoded = decodeFrames(damaged);
          expect(decoded.records).toEqual(records.slice(0, whole));
          expect(decoded.validLength).toBe(whole === 0 ? 0 : ends[whole - 1]);
        },
      ),
    );
  });

  it('treats a zero-filled tail as the end', () => {
    const bytes = encodeFrames([text('a')]);
    const padded = new Uint8Array(bytes.length + 64);
    padded.set(bytes);
    expect(decodeFrames(padded)).toEqual({ records: [text('a')], validLength: bytes.length });
  });

  it('refuses empty records', () => {
    expect(() => encodeFrames([new Uint8Array(0)])).toThrow(RangeError);
  });
});
