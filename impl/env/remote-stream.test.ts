// The caller's end of a stream: FIFO, delivered items before a failure, close semantics.

import { describe, expect, it } from 'vitest';
import { NetworkError } from './network.js';
import { StreamInbox } from './remote-stream.js';

async function drain(inbox: StreamInbox<number>): Promise<{ items: number[]; error: unknown }> {
  const items: number[] = [];
  try {
    for await (const item of inbox) items.push(item);
    return { items, error: null };
  } catch (error) {
    return { items, error };
  }
}

describe('StreamInbox', () => {
  it('yields items in order, then ends', async () => {
    const inbox = new StreamInbox<number>(() => {});
    inbox.push(1);
    inbox.push(2);
    const result = drain(inbox);
    inbox.push(3);
    inbox.end();
    expect(await result).toEqual({ items: [1, 2, 3], error: null });
  });

  it('yields what arrived before a break, then throws closed once', async () => {
    const inbox = new StreamInbox<number>(() => {});
    inbox.push(1);
    inbox.fail(new NetworkError('closed', 'broken'));
    inbox.push(2);
    const { items, error } = await drain(inbox);
    expect(items).toEqual([1]);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('closed');
    expect(await inbox.next()).toEqual({ value: undefined, done: true });
  });

  it('a waiting reader gets the failure', async () => {
    const inbox = new StreamInbox<number>(() => {});
    const pending = inbox.next();
    inbox.fail(new NetworkError('closed', 'broken'));
    await expect(pending).rejects.toThrow('broken');
  });

  it('close() discards the buffer, ends waiting readers and tells the network once', async () => {
    let closes = 0;
    const inbox = new StreamInbox<number>(() => closes++);
    const pending = inbox.next();
    inbox.close();
    inbox.close();
    inbox.push(1);
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(await inbox.next()).toEqual({ value: undefined, done: true });
    expect(closes).toBe(1);
  });

  it('leaving a for-await loop early closes it', async () => {
    let closes = 0;
    const inbox = new StreamInbox<number>(() => closes++);
    inbox.push(1);
    inbox.push(2);
    for await (const item of inbox) if (item === 1) break;
    expect(closes).toBe(1);
    expect(inbox.accepting).toBe(false);
  });

  it('an ended stream does not call onClose on close()', () => {
    let closes = 0;
    const inbox = new StreamInbox<number>(() => closes++);
    inbox.end();
    inbox.close();
    expect(closes).toBe(0);
  });
});
