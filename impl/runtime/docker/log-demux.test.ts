import { describe, expect, it } from 'vitest';
import { demuxLogText, LogDemuxer } from './log-demux.js';

function frame(stream: 1 | 2, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe("Docker's multiplexed log stream", () => {
  it('takes frames apart in order, stdout and stderr alike', () => {
    const all = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, 'bye\n')]);
    expect(new LogDemuxer().push(all)).toEqual([
      { stream: 'stdout', text: 'hello\n' },
      { stream: 'stderr', text: 'oops\n' },
      { stream: 'stdout', text: 'bye\n' },
    ]);
    expect(demuxLogText(all)).toBe('hello\noops\nbye\n');
  });

  it('keeps a frame split across chunks, and a character split across frames', () => {
    const euro = Buffer.from('€\n');
    const all = Buffer.concat([frame(1, euro.subarray(0, 1)), frame(1, euro.subarray(1)), frame(2, 'x')]);
    const demuxer = new LogDemuxer();
    const texts: string[] = [];
    for (let i = 0; i < all.length; i += 3) texts.push(...demuxer.push(all.subarray(i, i + 3)).map((f) => f.text));
    expect(texts.join('')).toBe('€\nx');
    expect(demuxer.end()).toEqual([]);
  });
});
