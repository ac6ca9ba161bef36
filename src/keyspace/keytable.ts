/*
 * KeyTable: a Db's keys, each with a slot number it keeps while it exists.
 *
 * Keys are stored by slot in paged arrays (SCAN walks slots upward, RANDOMKEY
 * picks a random slot, and Db keeps values in pages indexed by the same slot).
 * Freed slots go on a free list and are reused; trailing free slots lower `top`.
 *
 * The index from key to slot is an open-addressing hash table: one Int32Array
 * of (hash, slot + 1) pairs, probed linearly, so a lookup reads one 8-byte pair
 * and compares the key itself only when the 32-bit hash matches. Why not a JS
 * Map: a Map holds at most 2^24 entries, cannot be sized ahead (RDB load), and
 * its lookup is one opaque call whose three dependent cache misses (bucket,
 * entry, key) never overlap with another lookup's. Here warm() walks a batch of
 * keys stage by stage (every pair, then every key string), so the misses of a
 * pipeline's keys are paid together instead of one after another.
 *
 * Hash, probing and resizing: types/open-hash.ts (OpenIndex, shared with big
 * collections). Deletion shifts the rest of the probe run back; resizing is
 * incremental, like Redis's rehash, so growing past millions of keys never
 * stalls a command.
 */

import { OpenIndex, hashKey } from '../types/open-hash.js';

export const PAGE_BITS = 16;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

/**
 * A new page of `width` entries per slot (keys 1, values and clocks 2). Page 0
 * starts empty and grows as slots are taken (a db with a few keys must not
 * cost a full page); every later page is made at its full size at once, as a
 * page past the first is only needed by a table that fills it: growing a page
 * element by element copied it about twenty times (arrays grow by 1.5x), each
 * copy a fresh large-object allocation the kernel zero-fills, 15% of loading
 * a 1M-key RDB. Both are holey arrays, so every page has the same elements
 * kind and the lookups that read them stay monomorphic. A page is never
 * written past its full size (a holey array written past its end with most
 * of it empty turns into a dictionary).
 */
export function newPage<T>(p: number, width: number): T[] {
  return new Array<T>(p === 0 ? 0 : width << PAGE_BITS);
}

export class KeyTable extends OpenIndex {
  /** the bucket of the last successful find() (for removeFound), and whether it is in the old array */
  private found = -1;
  private foundOld = false;

  /** keys by slot (undefined: free), 2^16 per page */
  keyPages: (string | undefined)[][] = [];
  private freeSlots: number[] = [];
  /** slots in use are below top */
  top = 0;

  /**
   * The hashes warm() computed, for the finds that follow in the same order (a pipeline's commands run in the
   * order their keys were warmed): find() takes the next one when its key is the next warmed key, so a warmed
   * key is hashed once. The table's own copies (the caller's arrays are scratch space it rewrites): a key and
   * its hash are written together, and a hint is used only for the key it was computed for.
   */
  private hintKeys: string[] = [];
  private hintHashes: Int32Array = new Int32Array(0);
  private hintAt = 0;
  private hintN = 0;
  /** the key and hash of the last find(), for add() right after a miss (SET of a new key) */
  private lastKey: string | null = null;
  private lastHash = 0;

  /** The slot of a key, or -1. */
  find(key: string): number {
    let h: number;
    const at = this.hintAt;
    if (at < this.hintN && this.hintKeys[at] === key) { h = this.hintHashes[at]!; this.hintAt = at + 1; }
    else h = hashKey(key);
    this.lastKey = key;
    this.lastHash = h;
    const tab = this.tab;
    const mask = this.mask;
    let b = h & mask;
    for (;;) {
      const s = tab[(b << 1) + 1]!;
      if (s === 0) break;
      if (tab[b << 1] === h) {
        const slot = s - 1;
        if (this.keyPages[slot >>> PAGE_BITS]![slot & PAGE_MASK] === key) { this.found = b; this.foundOld = false; return slot; }
      }
      b = (b + 1) & mask;
    }
    return this.old === null ? -1 : this.findOld(key, h);
  }

  /** find() in the old array of an incremental resize (lookups move no buckets: they only read). */
  private findOld(key: string, h: number): number {
    const old = this.old!;
    const mask = this.oldMask;
    let b = h & mask;
    for (;;) {
      const s = old[(b << 1) + 1]!;
      if (s === 0) return -1;
      if (s > 0 && old[b << 1] === h) {
        const slot = s - 1;
        if (this.keyPages[slot >>> PAGE_BITS]![slot & PAGE_MASK] === key) { this.found = b; this.foundOld = true; return slot; }
      }
      b = (b + 1) & mask;
    }
  }

  /** The key in a slot, or undefined. */
  keyAt(slot: number): string | undefined {
    const page = this.keyPages[slot >>> PAGE_BITS];
    return page === undefined ? undefined : page[slot & PAGE_MASK];
  }

  /** Add a key known to be absent; returns its slot. */
  add(key: string): number {
    const slot = this.allocSlot();
    this.keyPages[slot >>> PAGE_BITS]![slot & PAGE_MASK] = key;
    this.enter(key === this.lastKey ? this.lastHash : hashKey(key), slot);
    return slot;
  }

  /** Add a key unless it is there (one hash, one probe: the RDB loader's dbAddRDBLoad); its slot, or -1 if present. */
  addIfAbsent(key: string): number {
    const h = hashKey(key);
    const tab = this.tab;
    const mask = this.mask;
    for (let b = h & mask; ; b = (b + 1) & mask) {
      const s = tab[(b << 1) + 1]!;
      if (s === 0) break;
      if (tab[b << 1] === h) {
        const slot = s - 1;
        if (this.keyPages[slot >>> PAGE_BITS]![slot & PAGE_MASK] === key) return -1;
      }
    }
    if (this.old !== null && this.findOld(key, h) >= 0) return -1;
    const slot = this.allocSlot();
    this.keyPages[slot >>> PAGE_BITS]![slot & PAGE_MASK] = key;
    this.enter(h, slot);
    return slot;
  }

  /** Remove the key the last successful find() returned (nothing else may change the table in between). */
  removeFound(slot: number): void {
    this.drop(this.found, this.foundOld);
    this.found = -1;
    this.keyPages[slot >>> PAGE_BITS]![slot & PAGE_MASK] = undefined;
    if (this.size === 0) { this.clear(); return; }
    if (slot === this.top - 1) this.trimTop();
    else this.freeSlots.push(slot);
  }

  /** Remove everything. */
  clear(): void {
    this.resetIndex();
    this.found = -1;
    this.keyPages = [];
    this.freeSlots = [];
    this.top = 0;
  }

  /** Every key, by slot; a live iterator sees keys added to later slots. */
  *keys(): Generator<string> {
    for (let slot = 0; slot < this.top; slot++) {
      const k = this.keyPages[slot >>> PAGE_BITS]![slot & PAGE_MASK];
      if (k !== undefined) yield k;
    }
  }

  /**
   * Load what finding keys[0..n) will read, in stages of one load per key so
   * that the cache misses of different keys overlap: every key's bucket, then
   * every candidate's entry in the key pages, then every candidate key string.
   * slots[i] gets the candidate slot of keys[i] (the first with the same hash;
   * -1 when none), a hint for warming values only: find() decides. `cands` is
   * scratch space. The hashes stay for the finds that follow (hintHashes).
   * Returns a value that depends on every load.
   */
  warm(keys: readonly string[], n: number, slots: Int32Array, cands: (string | undefined)[]): number {
    const tab = this.tab;
    const mask = this.mask;
    let sink = 0;
    if (this.hintHashes.length < n) this.hintHashes = new Int32Array(Math.max(n, 64));
    const hk = this.hintKeys;
    const hh = this.hintHashes;
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      hk[i] = k;
      hh[i] = hashKey(k);
    }
    this.hintAt = 0;
    this.hintN = n;
    for (let i = 0; i < n; i++) sink ^= tab[((hh[i]! & mask) << 1) + 1]!;
    for (let i = 0; i < n; i++) slots[i] = this.candidateSlot(hh[i]!);
    const pages = this.keyPages;
    for (let i = 0; i < n; i++) {
      const slot = slots[i]!;
      cands[i] = slot < 0 ? undefined : pages[slot >>> PAGE_BITS]![slot & PAGE_MASK];
    }
    for (let i = 0; i < n; i++) {
      const k = cands[i];
      if (k !== undefined) sink += k.length;
      cands[i] = undefined;
    }
    return sink;
  }

  /**
   * A free slot: a freed one if any (the free list may hold stale entries of
   * slots trimmed off the top or already reused: each pop is checked), else a
   * new one at the top.
   */
  private allocSlot(): number {
    const free = this.freeSlots;
    while (free.length > 0) {
      const slot = free.pop()!;
      if (slot < this.top && this.keyPages[slot >>> PAGE_BITS]![slot & PAGE_MASK] === undefined) return slot;
    }
    const slot = this.top++;
    if ((slot >>> PAGE_BITS) >= this.keyPages.length) this.keyPages.push(newPage(slot >>> PAGE_BITS, 1));
    return slot;
  }

  /** Lower `top` past trailing free slots; drop empty pages but one. */
  private trimTop(): void {
    let top = this.top - 1;
    while (top > 0 && this.keyPages[(top - 1) >>> PAGE_BITS]![(top - 1) & PAGE_MASK] === undefined) top--;
    this.top = top;
    // one empty page is kept past the last in use: a table shrinking and growing again across a page
    // boundary does not make a full page (newPage) each time it crosses it
    const pages = (top + PAGE_MASK) >>> PAGE_BITS;
    while (this.keyPages.length > pages + 1) this.keyPages.pop();
  }
}
