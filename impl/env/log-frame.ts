// The on-disk framing of append-log records: [length u32 LE][crc32 u32 LE][payload].
// A crash can leave a torn or garbled tail; decoding stops at the first frame that is
// incomplete or fails its checksum, so a half-written record is never handed back.

const HEADER_BYTES = 8;
/** Larger lengths are treated as garbage: no store record comes near this. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib and Go's hash/crc32.ChecksumIEEE). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Writes one frame for each record into one buffer (one write for a group commit). */
export function encodeFrames(records: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const record of records) total += HEADER_BYTES + record.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const record of records) {
    if (record.length === 0 || record.length > MAX_RECORD_BYTES) {
      throw new RangeError(`append-log record of ${record.length} bytes (must be 1..${MAX_RECORD_BYTES})`);
    }
    view.setUint32(at, record.length, true);
    view.setUint32(at + 4, crc32(record), true);
    out.set(record, at + HEADER_BYTES);
    at += HEADER_BYTES + record.length;
  }
  return out;
}

export interface DecodedFrames {
  /** The intact records, in order. */
  readonly records: Uint8Array[];
  /** Bytes covered by intact frames; everything after is a torn or corrupt tail. */
  readonly validLength: number;
}

/**
 * Reads frames from the start of `bytes` until the end or the first bad frame.
 * A zero length counts as bad: zero-filled tails (a file extended but never written) are common after power loss.
 */
export function decodeFrames(bytes: Uint8Array): DecodedFrames {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= bytes.length) {
    const length = view.getUint32(at, true);
    if (length === 0 || length > MAX_RECORD_BYTES || at + HEADER_BYTES + length > bytes.length) break;
    const payload = bytes.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length);
    if (crc32(payload) !== view.getUint32(at + 4, true)) break;
    records.push(payload);
    at += HEADER_BYTES + length;
  }
  return { records, validLength: at };
}
