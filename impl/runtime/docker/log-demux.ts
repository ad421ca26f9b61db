// Docker's multiplexed log stream, taken apart: for a container without a TTY the engine
// sends stdout and stderr interleaved in frames (an 8-byte header — stream, 3 zero bytes,
// payload length big-endian — then the payload). The demuxer keeps a partial frame between
// chunks, and decodes each stream as UTF-8 on its own so a character split across frames survives.

import { StringDecoder } from 'node:string_decoder';

export type OutputStream = 'stdout' | 'stderr';

export interface LogFrame {
  readonly stream: OutputStream;
  readonly text: string;
}

const HEADER_BYTES = 8;

export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly decoders: Record<OutputStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  /** The frames completed by `chunk`, in order. */
  push(chunk: Buffer): LogFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: LogFrame[] = [];
    let offset = 0;
    while (this.pending.length - offset >= HEADER_BYTES) {
      const size = this.pending.readUInt32BE(offset + 4);
      if (this.pending.length - offset < HEADER_BYTES + size) break;
      // 0 would be stdin (never logged); anything but stderr counts as stdout.
      const stream: OutputStream = this.pending[offset] === 2 ? 'stderr' : 'stdout';
      const text = this.decoders[stream].write(this.pending.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + size));
      if (text) frames.push({ stream, text });
      offset += HEADER_BYTES + size;
    }
    this.pending = this.pending.subarray(offset);
    return frames;
  }

  /** Whatever a truncated stream left: the bytes of an incomplete character or frame are dropped. */
  end(): LogFrame[] {
    const frames: LogFrame[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const text = this.decoders[stream].end();
      if (text) frames.push({ stream, text });
    }
    this.pending = Buffer.alloc(0);
    return frames;
  }
}

/** A whole (non-followed) log as one text, stdout and stderr in the order they were written. */
export function demuxLogText(buffer: Buffer): string {
  const demuxer = new LogDemuxer();
  return [...demuxer.push(buffer), ...demuxer.end()].map((f) => f.text).join('');
}
