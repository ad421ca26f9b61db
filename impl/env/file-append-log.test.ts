import { appendFile, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAppendLog } from './append-log.js';
import { FileAppendLog } from './file-append-log.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const strings = (records: Uint8Array[]): string[] => records.map((r) => new TextDecoder().decode(r));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeprop-append-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileAppendLog', () => {
  it('creates the file, appends, and reads back after reopening', async () => {
    const path = join(dir, 'wal');
    const log = await FileAppendLog.open(path);
    expect(await log.readAll()).toEqual([]);
    await log.append(text('one'));
    await log.append(text('two'));
    expect(strings(await log.readAll())).toEqual(['one', 'two']);
    await log.close();
    const again = await FileAppendLog.open(path);
    expect(strings(await again.readAll())).toEqual(['one', 'two']);
    await again.append(text('three'));
    expect(strings(await again.readAll())).toEqual(['one', 'two', 'three']);
    await again.close();
  });

  it('resolves concurrent appends in order, sharing flushes', async () => {
    const path = join(dir, 'wal');
    const log = await FileAppendLog.open(path);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(text(`r${i}`)).then(() => order.push(i))));
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(strings(await log.readAll())).toEqual(Array.from({ length: 200 }, (_, i) => `r${i}`));
    await log.close();
  });

  it('cuts a torn tail at open, durably, and appends after the last whole record', async () => {
    const path = join(dir, 'wal');
    const log = await FileAppendLog.open(path);
    await log.append(text('kept'));
    await log.append(text('torn'));
    await log.close();
    const size = (await stat(path)).size;
    await truncate(path, size - 2);
    await appendFile(path, Buffer.from([0xde, 0xad]));
    const reopened = await FileAppendLog.open(path);
    expect(reopened.discardedBytes).toBe(12); // the 'torn' frame: 8 header bytes + 4
    expect(strings(await reopened.readAll())).toEqual(['kept']);
    await reopened.append(text('next'));
    await reopened.close();
    const last = await FileAppendLog.open(path);
    expect(last.discardedBytes).toBe(0);
    expect(strings(await last.readAll())).toEqual(['kept', 'next']);
    await last.close();
  });

  it('holds the same bytes as the memory log', async () => {
    const path = join(dir, 'wal');
    const file = await FileAppendLog.open(path);
    const memory = new MemoryAppendLog();
    for (const record of ['a', 'bb', 'ccc']) {
      await file.append(text(record));
      await memory.append(text(record));
    }
    await file.close();
    expect(new Uint8Array(await readFile(path))).toEqual(memory.bytes());
  });

  it('refuses appends after close', async () => {
    const log = await FileAppendLog.open(join(dir, 'wal'));
    await log.close();
    await expect(log.append(text('late'))).rejects.toThrow('closed');
  });

  it('opens a file of garbage as an empty log', async () => {
    const path = join(dir, 'wal');
    await writeFile(path, Buffer.from('not a log at all'));
    const log = await FileAppendLog.open(path);
    expect(await log.readAll()).toEqual([]);
    expect((await stat(path)).size).toBe(0);
    await log.close();
  });
});
