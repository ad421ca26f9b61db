// The AppendLog over a file: frames appended with positional writes, fdatasync before an
// append resolves. Appends that arrive while a flush is on disk wait and go out together
// in the next write + fsync (group commit), so many concurrent writers share one fsync.

import { open as openFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppendLogClosedError, type AppendLog } from './append-log.js';
import { decodeFrames, encodeFrames } from './log-frame.js';

interface PendingAppend {
  readonly record: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class FileAppendLog implements AppendLog {
  /** Appends waiting for the next flush. */
  private queue: PendingAppend[] = [];
  /** Set while a write + fsync is under way; appends arriving meanwhile join the next one. */
  private flushing: Promise<void> | undefined;
  /** Once a write or fsync fails the file's tail is unknown: every later append fails too. */
  private failure: unknown;
  private closed = false;

  private constructor(
    private readonly file: FileHandle,
    /** Where the next frame goes: the end of the intact frames. */
    private size: number,
    /** Bytes cut off at open as a torn or corrupt tail. */
    readonly discardedBytes: number,
  ) {}

  /**
   * Opens (or creates) the log at `path`. A torn or corrupt tail is truncated away, durably,
   * before the log is handed out, so new frames always follow intact ones.
   */
  static async open(path: string): Promise<FileAppendLog> {
    let created = false;
    let file: FileHandle;
    try {
      file = await openFile(path, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      file = await openFile(path, 'w+');
      created = true;
    }
    try {
      if (created) await syncDirectory(dirname(path));
      const bytes = await file.readFile();
      const { validLength } = decodeFrames(bytes);
      if (validLength < bytes.length) {
        await file.truncate(validLength);
        await file.sync();
      }
      return new FileAppendLog(file, validLength, bytes.length - validLength);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  append(record: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new AppendLogClosedError());
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      // Copy now: the caller may reuse its buffer before the flush.
      this.queue.push({ record: record.slice(), resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  async readAll(): Promise<Uint8Array[]> {
    const buffer = new Uint8Array(this.size);
    let at = 0;
    while (at < this.size) {
      const { bytesRead } = await this.file.read(buffer, at, this.size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return decodeFrames(buffer.subarray(0, at)).records;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    await this.file.close();
  }

  private async flushLoop(): Promise<void> {
    // Let appends issued in the same tick join the first batch.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      if (this.failure !== undefined) {
        for (const pending of batch) pending.reject(this.failure);
        continue;
      }
      try {
        const bytes = encodeFrames(batch.map((pending) => pending.record));
        let written = 0;
        while (written < bytes.length) {
          const { bytesWritten } = await this.file.write(bytes, written, bytes.length - written, this.size + written);
          written += bytesWritten;
        }
        await this.file.datasync();
        this.size += bytes.length;
        for (const pending of batch) pending.resolve();
      } catch (error) {
        this.failure = error;
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = undefined;
  }
}

/** fsync a directory so a newly created file's entry survives a crash. */
async function syncDirectory(path: string): Promise<void> {
  const directory = await openFile(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
