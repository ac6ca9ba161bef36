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
 * Hash and probing: types/open-hash.ts (shared with big sets and hashes).
 * Deletion shifts the rest of the probe run back (no tombstones).
 *
 * Resizing is incremental, like Redis's rehash: the table doubles when over
 * half full and halves below one eighth; a big table's entries then move from
 * the old array to the new one a few buckets per operation (and per rehash()
 * call from the server's cron), so no single command pays for moving millions
 * of entries. Meanwhile lookups probe the new array, then the old one; adds go
 * to the new one; a moved or removed entry of the old array becomes a
 * tombstone (slot + 1 === -1), which keeps the old probe runs intact.
 */

import { firstWithHash, hashKey, placeEntry, unplaceEntry } from '../types/open-hash.js';

export { hashKey };
export const PAGE_BITS = 16;
const PAGE_MASK = (1 << PAGE_BITS) - 1;
const MIN_CAP = 8;
/** tables of up to this many buckets resize at once */
const SYNC_RESIZE_CAP = 1 << 14;
/** old buckets moved per add and remove during an incremental resize */
const STEP_BUCKETS = 16;
const TOMB = -1;
export class KeyTable {
  /** (hash, slot + 1) per bucket; slot + 1 === 0 marks an empty bucket */
  private tab = new Int32Array(MIN_CAP * 2);
  private mask = MIN_CAP - 1;
  /** the old array being emptied by an incremental resize (null when none), and the next bucket to move */
  private old: Int32Array | null = null;
  private oldMask = 0;
  private oldAt = 0;
  /** the bucket of the last successful find() (for removeFound), and whether it is in the old array */
  private found = -1;
  private foundOld = false;
  /** keys in the table */
  size = 0;
  /** syncResizeCap: arrays of up to this many buckets resize at once (tests pass a small one to exercise incremental resizes) */
  constructor(private readonly syncResizeCap = SYNC_RESIZE_CAP) {}

  /** keys by slot (undefined: free), 2^16 per page */
  keyPages: (string | undefined)[][] = [];
  private freeSlots: number[] = [];
  /** slots in use are below top */
  top = 0;

  /** The slot of a key, or -1. */
  find(key: string): number {
    const h = hashKey(key);
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
    if (this.old !== null) this.step(STEP_BUCKETS);
    if ((this.size + 1) * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
    const slot = this.allocSlot();
    this.keyPages[slot >>> PAGE_BITS]![slot & PAGE_MASK] = key;
    placeEntry(this.tab, this.mask, hashKey(key), slot + 1);
    this.size++;
    return slot;
  }

  /** Remove the key the last successful find() returned (nothing else may change the table in between). */
  removeFound(slot: number): void {
    if (this.foundOld) this.old![(this.found << 1) + 1] = TOMB;
    else unplaceEntry(this.tab, this.mask, this.found);
    this.found = -1;
    this.keyPages[slot >>> PAGE_BITS]![slot & PAGE_MASK] = undefined;
    this.size--;
    if (this.size === 0) { this.clear(); return; }
    if (slot === this.top - 1) this.trimTop();
    else this.freeSlots.push(slot);
    const cap = this.mask + 1;
    if (this.old !== null) this.step(STEP_BUCKETS);
    else if (cap > MIN_CAP && this.size * 8 < cap) this.resize(cap >>> 1);
  }

  /** Remove everything. */
  clear(): void {
    this.tab = new Int32Array(MIN_CAP * 2);
    this.mask = MIN_CAP - 1;
    this.old = null;
    this.found = -1;
    this.size = 0;
    this.keyPages = [];
    this.freeSlots = [];
    this.top = 0;
  }

  /** Size the index for n keys at once (RDB load knows the count): no doubling on the way. */
  reserve(n: number): void {
    this.finishResize();
    let cap = this.mask + 1;
    while (n * 2 > cap) cap *= 2;
    if (cap > this.mask + 1) this.resize(cap, true);
  }

  /** True while an incremental resize is under way. */
  get resizing(): boolean { return this.old !== null; }

  /** Move up to `buckets` buckets of an incremental resize (the cron calls this); false when none is under way. */
  rehash(buckets: number): boolean {
    if (this.old === null) return false;
    this.step(buckets);
    return true;
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
   * scratch space. Returns a value that depends on every load.
   */
  warm(keys: readonly string[], n: number, hashes: Int32Array, slots: Int32Array, cands: (string | undefined)[]): number {
    const tab = this.tab;
    const mask = this.mask;
    let sink = 0;
    for (let i = 0; i < n; i++) hashes[i] = hashKey(keys[i]!);
    for (let i = 0; i < n; i++) sink ^= tab[((hashes[i]! & mask) << 1) + 1]!;
    const old = this.old;
    for (let i = 0; i < n; i++) {
      const h = hashes[i]!;
      let slot = firstWithHash(tab, mask, h);
      if (slot < 0 && old !== null) slot = firstWithHash(old, this.oldMask, h); // (a tombstone's -1 never matches: -2 is no slot)
      slots[i] = slot < 0 ? -1 : slot;
    }
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

  /** Switch to an array of `cap` buckets: small tables (or `now`) at once, big ones incrementally. */
  private resize(cap: number, now = false): void {
    this.finishResize();
    const old = this.tab;
    const oldMask = this.mask;
    this.tab = new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.found = -1;
    this.old = old;
    this.oldMask = oldMask;
    this.oldAt = 0;
    if (now || oldMask + 1 <= this.syncResizeCap) this.finishResize();
  }

  /** Move every remaining bucket of an incremental resize. */
  private finishResize(): void {
    if (this.old !== null) this.step(this.oldMask + 1);
  }

  /** Move the next `buckets` buckets of the old array to the new one; drop it when empty. */
  private step(buckets: number): void {
    const old = this.old!;
    const end = Math.min(this.oldMask + 1, this.oldAt + buckets);
    for (let b = this.oldAt; b < end; b++) {
      const s = old[(b << 1) + 1]!;
      if (s > 0) {
        placeEntry(this.tab, this.mask, old[b << 1]!, s);
        old[(b << 1) + 1] = TOMB;
      }
    }
    this.oldAt = end;
    if (end > this.oldMask) { this.old = null; this.found = -1; }
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
    // pages start small and grow (a db with a few keys must not cost a full page)
    if ((slot >>> PAGE_BITS) >= this.keyPages.length) this.keyPages.push([]);
    return slot;
  }

  /** Lower `top` past trailing free slots; drop empty pages. */
  private trimTop(): void {
    let top = this.top - 1;
    while (top > 0 && this.keyPages[(top - 1) >>> PAGE_BITS]![(top - 1) & PAGE_MASK] === undefined) top--;
    this.top = top;
    const pages = (top + PAGE_MASK) >>> PAGE_BITS;
    while (this.keyPages.length > pages) this.keyPages.pop();
  }
}
