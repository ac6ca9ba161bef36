/*
 * The "hashtable" encoding of big hashes and sets: a Map from member to slot
 * number, with members (and, for hashes, values) in plain arrays indexed by
 * slot. Slots of removed members go on a free list and are reused.
 *
 * Why slots: SCAN's guarantee (a member present for the whole iteration is
 * returned) holds when the cursor walks slots upward and a member keeps its
 * slot while it exists. Random members (SPOP, SRANDMEMBER, HRANDFIELD) pick a
 * random slot: O(1) expected while the table stays dense.
 *
 * Index: member -> slot is an open-addressing hash index over one Int32Array
 * (types/open-hash.ts; a Map costs more memory per member, and its lookups
 * cannot be warmed in stages: see warmMembers), doubled when half full,
 * halved below one eighth.
 *
 * Density: a table that lost most of its members is compacted (members moved
 * down, so slots change). To keep SCAN's guarantee across that, cursors carry
 * the table's generation in their high bits (cursor = gen * 2^32 + slot; gen 0
 * before any compaction, so cursors are plain slots then): a cursor of an older
 * generation restarts the walk from slot 0 of the new layout, which may return
 * members twice (allowed) but never misses one. Compaction needs size * 8 <
 * top, so it is amortized O(1) per removal and cannot repeat without many
 * more removals.
 */

import { MemberIndex, hashKey } from './open-hash.js';

const GEN_MUL = 2 ** 32;
const GEN_MASK = (1 << 20) - 1;
/** tables with fewer slots are never compacted */
const MIN_COMPACT_TOP = 64;

export class SlotTable {
  /** member -> slot */
  private readonly index = new MemberIndex();
  /** members by slot (undefined: free) */
  keys: (string | undefined)[] = [];
  /** values by slot (hashes), or null (sets) */
  vals: string[] | null;
  private free: number[] = [];
  /** slots in use are below top */
  top = 0;
  /** compaction generation (see the header) */
  gen = 0;

  constructor(withValues: boolean) {
    this.vals = withValues ? [] : null;
  }

  get size(): number { return this.index.size; }

  /** The slot of member k, or -1. */
  slotOf(k: string): number { return this.index.slotOf(k, this.keys); }

  has(k: string): boolean { return this.index.bucketOf(k, hashKey(k), this.keys) >= 0; }

  /** The value of a member (hashes), or undefined. */
  get(k: string): string | undefined {
    const s = this.slotOf(k);
    return s < 0 ? undefined : this.vals![s];
  }

  /** Add a member (sets); true if it was new. */
  add(k: string): boolean {
    const h = hashKey(k);
    if (this.index.bucketOf(k, h, this.keys) >= 0) return false;
    const s = this.alloc();
    this.keys[s] = k;
    this.index.insert(h, s);
    return true;
  }

  /** Set a member's value (hashes); true if the member was new. */
  set(k: string, v: string): boolean {
    const h = hashKey(k);
    const b = this.index.bucketOf(k, h, this.keys);
    if (b >= 0) { this.vals![this.index.slotAt(b)] = v; return false; }
    const s = this.alloc();
    this.keys[s] = k;
    this.vals![s] = v;
    this.index.insert(h, s);
    return true;
  }

  /** Warm-up hint (warmMembers): the candidate slot for hash h, -1 when none. */
  warmHint(h: number): number { return this.index.candidateSlot(h); }

  /** Warm-up load (warmMembers): the member (and value) in a slot. */
  warmLoad(s: number): number {
    const k = this.keys[s];
    let n = k === undefined ? 0 : k.length;
    const vals = this.vals;
    if (vals !== null) { const v = vals[s]; if (v !== undefined) n += v.length; }
    return n;
  }

  private alloc(): number {
    const free = this.free;
    while (free.length > 0) {
      const s = free.pop()!;
      if (s < this.top && this.keys[s] === undefined) return s;
    }
    return this.top++;
  }

  /** Remove a member; true if it existed. */
  delete(k: string): boolean {
    const b = this.index.bucketOf(k, hashKey(k), this.keys);
    if (b < 0) return false;
    const s = this.index.slotAt(b);
    this.index.removeAt(b);
    this.keys[s] = undefined;
    if (this.vals) this.vals[s] = undefined as unknown as string;
    if (s === this.top - 1) {
      let top = s;
      const keys = this.keys;
      while (top > 0 && keys[top - 1] === undefined) top--;
      this.top = top;
      keys.length = top;
      if (this.vals) this.vals.length = top;
    } else {
      this.free.push(s);
    }
    if (this.top > MIN_COMPACT_TOP && this.index.size * 8 < this.top) this.compact();
    return true;
  }

  /** Move every member down into slots 0..size-1 (new generation: older cursors restart). */
  private compact(): void {
    const keys: string[] = new Array(this.index.size);
    const vals: string[] | null = this.vals ? new Array(this.index.size) : null;
    let n = 0;
    const oldK = this.keys;
    const oldV = this.vals;
    for (let s = 0; s < this.top; s++) {
      const k = oldK[s];
      if (k === undefined) continue;
      keys[n] = k;
      if (vals) vals[n] = oldV![s]!;
      n++;
    }
    this.keys = keys;
    this.vals = vals;
    this.top = n;
    this.free = [];
    this.gen = (this.gen + 1) & GEN_MASK;
    this.index.rebuild(keys, n);
  }

  /** A random occupied slot (the table must not be empty). */
  randomSlot(): number {
    const keys = this.keys;
    const top = this.top;
    for (let tries = 0; tries < 64; tries++) {
      const s = Math.floor(Math.random() * top);
      if (keys[s] !== undefined) return s;
    }
    let n = Math.floor(Math.random() * this.index.size);
    for (let s = 0; s < top; s++) if (keys[s] !== undefined && n-- === 0) return s;
    for (let s = 0; s < top; s++) if (keys[s] !== undefined) return s;
    throw new Error('randomSlot of an empty table');
  }

  /**
   * One SCAN step from `cursor`: calls visit(slot) for occupied slots until
   * `count` were visited or 10 * count slots looked at. Returns the next
   * cursor, 0 when the walk is complete.
   */
  scan(cursor: number, count: number, visit: (slot: number) => void): number {
    let slot = 0;
    if (cursor !== 0) {
      const g = Math.floor(cursor / GEN_MUL);
      slot = g === this.gen ? cursor - g * GEN_MUL : 0;
    }
    const top = this.top;
    const max = Math.max(count, 1);
    const limit = Math.min(top, slot + max * 10);
    const keys = this.keys;
    let seen = 0;
    while (slot < limit) {
      const k = keys[slot];
      slot++;
      if (k !== undefined) { visit(slot - 1); if (++seen >= max) break; }
    }
    if (slot >= top) return 0;
    return this.gen * GEN_MUL + slot;
  }

  /** Visit every member (and value) in slot order. */
  forEach(fn: (k: string, v: string, slot: number) => void): void {
    const keys = this.keys;
    const vals = this.vals;
    for (let s = 0; s < this.top; s++) {
      const k = keys[s];
      if (k !== undefined) fn(k, vals ? vals[s]! : '', s);
    }
  }

  /** Members in slot order. */
  members(): string[] {
    const out: string[] = new Array(this.index.size);
    const keys = this.keys;
    let n = 0;
    for (let s = 0; s < this.top; s++) { const k = keys[s]; if (k !== undefined) out[n++] = k; }
    return out;
  }

  clone(): SlotTable {
    const t = new SlotTable(this.vals !== null);
    this.forEach((k, v) => { if (t.vals) t.set(k, v); else t.add(k); });
    return t;
  }
}

/** A member index warm-ups can read ahead: SlotTable, ZBig. */
export interface WarmableMembers {
  /** the candidate slot for hash h (loads its bucket), -1 when none */
  warmHint(h: number): number;
  /** loads the member (and value or score) in a slot; returns something that depends on the loads */
  warmLoad(slot: number): number;
}

/**
 * Load what looking up members[i] in tables[i] (i < n) will read, in stages of
 * one load per member so the cache misses of all of them overlap (a
 * pipeline's SADD / HSET / ZADD ... members: server/warm.ts): every bucket,
 * then every candidate member (and its value or score). Nothing changes.
 * Returns a value that depends on every load.
 */
export function warmMembers(tables: readonly WarmableMembers[], members: readonly string[], n: number, slots: Int32Array): number {
  let sink = 0;
  for (let i = 0; i < n; i++) slots[i] = tables[i]!.warmHint(hashKey(members[i]!));
  for (let i = 0; i < n; i++) {
    const s = slots[i]!;
    if (s >= 0) sink += tables[i]!.warmLoad(s);
  }
  return sink;
}
