// Entries kept in UTF-8 key order, for range scans. A list of sorted blocks (as Python's
// sortedcontainers): insert and delete cost a binary search plus a splice within one block
// of at most MAX_BLOCK entries, where one flat sorted array would move every entry after the
// insertion point; a B-tree would do as well with much more code. Entries rather than bare
// keys, so a scan hands out what it finds without a second lookup by key.

import { compareKeys } from './key-order.js';

const MAX_BLOCK = 512;

export class SortedKeys<E extends { readonly key: string }> {
  /** Non-empty sorted blocks; every key of block i sorts before every key of block i + 1. */
  private readonly blocks: E[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `entry`; false when an entry with its key was already there. */
  insert(entry: E): boolean {
    if (this.blocks.length === 0) {
      this.blocks.push([entry]);
      this.count = 1;
      return true;
    }
    const b = Math.min(this.blockFor(entry.key), this.blocks.length - 1);
    const block = this.blocks[b] as E[];
    const i = lowerBound(block, entry.key);
    if (i < block.length && (block[i] as E).key === entry.key) return false;
    if (i === block.length) block.push(entry);
    else block.splice(i, 0, entry);
    this.count++;
    if (block.length > MAX_BLOCK) this.blocks.splice(b + 1, 0, block.splice(MAX_BLOCK >> 1));
    return true;
  }

  /** Removes the entry with `key`; false when there was none. */
  delete(key: string): boolean {
    const b = this.blockFor(key);
    const block = this.blocks[b];
    if (block === undefined) return false;
    const i = lowerBound(block, key);
    if (block[i]?.key !== key) return false;
    block.splice(i, 1);
    this.count--;
    if (block.length === 0) this.blocks.splice(b, 1);
    return true;
  }

  /** Calls `visit` with each entry whose key is >= `from`, in ascending order, until it returns false. */
  scan(from: string, visit: (entry: E) => boolean): void {
    let b = this.blockFor(from);
    if (b >= this.blocks.length) return;
    let i = lowerBound(this.blocks[b] as E[], from);
    for (; b < this.blocks.length; b++, i = 0) {
      const block = this.blocks[b] as E[];
      for (; i < block.length; i++) if (!visit(block[i] as E)) return;
    }
  }

  /** The index of the first block whose last key is >= key (blocks.length when none is). */
  private blockFor(key: string): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid] as E[];
      if (compareKeys((block[block.length - 1] as E).key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound<E extends { readonly key: string }>(block: readonly E[], key: string): number {
  let lo = 0;
  let hi = block.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys((block[mid] as E).key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
