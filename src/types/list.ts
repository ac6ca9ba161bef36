/*
 * The list type: a deque of latin1 strings, in one of two layouts.
 *
 * Flat (up to FLAT_MAX elements): `buf`, a JS array whose capacity is a power
 * of two; the list occupies `length` slots starting at `head`, wrapping around
 * (index i is buf[(head + i) & mask]). The buffer doubles when full and halves
 * when a quarter full (above 64 slots), so many small lists stay small: a
 * one-element list holds a 4-slot array.
 *
 * Chunked (past FLAT_MAX): the same ring over virtual positions, but stored in
 * chunks of CHUNK slots, `chunks` being a ring of chunk pointers (index i is at
 * position v = (head + i) & vmask, in chunks[v >>> CHUNK_BITS] at v & CHUNK_MASK).
 * A push at either end allocates at most one chunk and a pop frees one, so no
 * operation copies the list: a flat buffer doubling from 4M to 8M slots stopped
 * the server for 250 ms (64 and 130 ms at 1M and 2M), where Redis's quicklist
 * only ever allocates one node. Growing the ring copies chunk pointers only
 * (one per CHUNK elements). Below FLAT_MAX / 4 elements a chunked list goes
 * back to flat.
 *
 * Both give O(1) push and pop at both ends and O(1) index access, so a range
 * costs only the elements it returns. Inserts and removals in the middle shift
 * the shorter side.
 *
 * Redis 7.0 encodes every list as a quicklist (there is no listpack list
 * encoding before 7.2), so OBJECT ENCODING always answers "quicklist".
 *
 * Invariants: slots outside the live range hold undefined (no stale references
 * keep popped strings alive); 0 <= head < capacity (flat) or < total positions
 * (chunked); chunked: length <= total - CHUNK (the tail never wraps into the
 * head's chunk), exactly the chunks holding live positions are allocated, and
 * length > FLAT_MAX / 4.
 */
import type { TypedValue } from './value.js';

const MIN_CAP = 4;
/** a flat buffer grows up to this many slots; one more element makes the list chunked */
const FLAT_MAX = 16384;
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
/** a chunked list this short goes back to flat */
const FLAT_AGAIN = FLAT_MAX >>> 2;

type Chunk = (string | undefined)[];
/** the flat buffer of a chunked list (never written) */
const EMPTY_BUF: (string | undefined)[] = [];

export class List implements TypedValue {
  readonly type = 'list' as const;
  /** flat layout (chunks === null) */
  private buf: (string | undefined)[] = EMPTY_BUF;
  private mask = 0;
  /** chunked layout: a ring of chunk pointers, its length a power of two */
  private chunks: (Chunk | undefined)[] | null = null;
  /** chunked: the number of positions (chunks.length * CHUNK) less one, a mask */
  private vmask = 0;
  private head = 0;
  length = 0;

  constructor(cap = MIN_CAP) { this.reset(cap); }

  /** A list holding these elements, in order. */
  static from(items: readonly string[]): List {
    const l = new List(items.length);
    for (let i = 0; i < items.length; i++) l.pushTail(items[i]!);
    return l;
  }

  encoding(): string { return 'quicklist'; }

  clone(): List {
    const l = new List(this.length);
    for (let i = 0; i < this.length; i++) l.pushTail(this.at(i));
    return l;
  }

  // ---- ends ---------------------------------------------------------------

  pushTail(s: string): void {
    const chunks = this.chunks;
    if (chunks === null) {
      if (this.length > this.mask) { this.grow(); this.pushTail(s); return; }
      this.buf[(this.head + this.length) & this.mask] = s;
    } else {
      if (this.length >= this.vmask + 1 - CHUNK) { this.growRing(); this.pushTail(s); return; }
      const v = (this.head + this.length) & this.vmask;
      const c = chunks[v >>> CHUNK_BITS] ?? (chunks[v >>> CHUNK_BITS] = newChunk());
      c[v & CHUNK_MASK] = s;
    }
    this.length++;
  }

  pushHead(s: string): void {
    const chunks = this.chunks;
    if (chunks === null) {
      if (this.length > this.mask) { this.grow(); this.pushHead(s); return; }
      this.head = (this.head - 1) & this.mask;
      this.buf[this.head] = s;
    } else {
      if (this.length >= this.vmask + 1 - CHUNK) { this.growRing(); this.pushHead(s); return; }
      const v = (this.head - 1) & this.vmask;
      this.head = v;
      const c = chunks[v >>> CHUNK_BITS] ?? (chunks[v >>> CHUNK_BITS] = newChunk());
      c[v & CHUNK_MASK] = s;
    }
    this.length++;
  }

  /** Remove and return the first element (undefined when empty). */
  popHead(): string | undefined {
    if (this.length === 0) return undefined;
    const chunks = this.chunks;
    let s: string | undefined;
    if (chunks === null) {
      const h = this.head;
      s = this.buf[h];
      this.buf[h] = undefined;
      this.head = (h + 1) & this.mask;
    } else {
      const v = this.head;
      const c = chunks[v >>> CHUNK_BITS]!;
      s = c[v & CHUNK_MASK];
      c[v & CHUNK_MASK] = undefined;
      this.head = (v + 1) & this.vmask;
      // the head left its chunk: nothing else lives there (the tail never wraps into it)
      if ((v & CHUNK_MASK) === CHUNK_MASK) chunks[v >>> CHUNK_BITS] = undefined;
    }
    this.length--;
    this.maybeShrink();
    return s;
  }

  /** Remove and return the last element (undefined when empty). */
  popTail(): string | undefined {
    if (this.length === 0) return undefined;
    const chunks = this.chunks;
    let s: string | undefined;
    if (chunks === null) {
      const i = (this.head + this.length - 1) & this.mask;
      s = this.buf[i];
      this.buf[i] = undefined;
    } else {
      const v = (this.head + this.length - 1) & this.vmask;
      const c = chunks[v >>> CHUNK_BITS]!;
      s = c[v & CHUNK_MASK];
      c[v & CHUNK_MASK] = undefined;
      if ((v & CHUNK_MASK) === 0) chunks[v >>> CHUNK_BITS] = undefined;
    }
    this.length--;
    this.maybeShrink();
    return s;
  }

  // ---- index access ---------------------------------------------------------

  /** Element at 0 <= i < length (no bounds check). */
  at(i: number): string {
    const chunks = this.chunks;
    if (chunks === null) return this.buf[(this.head + i) & this.mask]!;
    const v = (this.head + i) & this.vmask;
    return chunks[v >>> CHUNK_BITS]![v & CHUNK_MASK]!;
  }

  /** Replace the element at 0 <= i < length. */
  set(i: number, s: string): void {
    const chunks = this.chunks;
    if (chunks === null) { this.buf[(this.head + i) & this.mask] = s; return; }
    const v = (this.head + i) & this.vmask;
    chunks[v >>> CHUNK_BITS]![v & CHUNK_MASK] = s;
  }

  /** Elements [start, start + count) in order (bounds already clamped). */
  slice(start: number, count: number): string[] {
    const out = new Array<string>(count);
    for (let i = 0; i < count; i++) out[i] = this.at(start + i);
    return out;
  }

  /** Insert s so that it ends up at index 0 <= i <= length. */
  insertAt(i: number, s: string): void {
    const n = this.length;
    if (i === 0) { this.pushHead(s); return; }
    if (i === n) { this.pushTail(s); return; }
    if (i < n / 2) {
      // one more slot at the head, the first i elements shifted into it
      this.pushHead(this.at(0));
      for (let k = 1; k < i; k++) this.set(k, this.at(k + 1));
    } else {
      // one more slot at the tail, elements i.. shifted into it
      this.pushTail(this.at(n - 1));
      for (let k = n - 1; k > i; k--) this.set(k, this.at(k - 1));
    }
    this.set(i, s);
  }

  /** Remove the element at 0 <= i < length. */
  removeAt(i: number): void {
    if (i < this.length / 2) {
      for (let k = i; k > 0; k--) this.set(k, this.at(k - 1));
      this.popHead();
    } else {
      for (let k = i; k < this.length - 1; k++) this.set(k, this.at(k + 1));
      this.popTail();
    }
  }

  /** Drop `left` elements from the head and `right` from the tail. */
  trim(left: number, right: number): void {
    if (left + right >= this.length) { this.clear(); return; }
    if (this.chunks !== null) {
      // pop by pop: each frees its chunk as it empties; the last pops may make the list flat again
      for (let k = 0; k < left; k++) this.popHead();
      for (let k = 0; k < right; k++) this.popTail();
      return;
    }
    const buf = this.buf;
    const mask = this.mask;
    for (let k = 0; k < left; k++) buf[(this.head + k) & mask] = undefined;
    for (let k = this.length - right; k < this.length; k++) buf[(this.head + k) & mask] = undefined;
    this.head = (this.head + left) & mask;
    this.length -= left + right;
    this.maybeShrink();
  }

  /**
   * Remove elements equal to s, scanning from the head (limit > 0 removes at
   * most limit, 0 all) or from the tail (fromTail). Returns how many.
   */
  removeMatching(s: string, limit: number, fromTail: boolean): number {
    const n = this.length;
    const keep: string[] = [];
    let removed = 0;
    if (!fromTail) {
      for (let i = 0; i < n; i++) {
        const e = this.at(i);
        if (e === s && (limit === 0 || removed < limit)) removed++;
        else keep.push(e);
      }
    } else {
      for (let i = n - 1; i >= 0; i--) {
        const e = this.at(i);
        if (e === s && (limit === 0 || removed < limit)) removed++;
        else keep.push(e);
      }
      keep.reverse();
    }
    if (removed > 0) this.replaceAll(keep);
    return removed;
  }

  /** Remove every element. */
  clear(): void { this.reset(MIN_CAP); }

  // ---- storage ----------------------------------------------------------------

  /** Empty, with room for `cap` elements: a flat buffer up to FLAT_MAX, chunked past it. */
  private reset(cap: number): void {
    this.chunks = null;
    this.vmask = 0;
    this.head = 0;
    this.length = 0;
    if (cap > FLAT_MAX) {
      this.buf = EMPTY_BUF;
      this.mask = 0;
      this.toChunked(cap);
      return;
    }
    let c = MIN_CAP;
    while (c < cap) c *= 2;
    this.buf = new Array<string | undefined>(c);
    this.mask = c - 1;
  }

  private replaceAll(items: string[]): void {
    this.reset(items.length);
    for (let i = 0; i < items.length; i++) this.pushTail(items[i]!);
  }

  private maybeShrink(): void {
    if (this.chunks !== null) {
      if (this.length <= FLAT_AGAIN) this.toFlat();
      else if (this.vmask + 1 > 4 * CHUNK && this.length < (this.vmask + 1) >>> 2) this.relayout((this.vmask + 1) >>> (CHUNK_BITS + 1));
      return;
    }
    const cap = this.mask + 1;
    if (cap > 64 && this.length < cap >>> 2) this.resize(cap >>> 1);
  }

  /** A full flat buffer: double it, or past FLAT_MAX go chunked. */
  private grow(): void {
    const cap = (this.mask + 1) * 2;
    if (cap > FLAT_MAX) this.toChunked(cap);
    else this.resize(cap);
  }

  private resize(cap: number): void {
    const buf = new Array<string | undefined>(cap);
    const old = this.buf;
    const mask = this.mask;
    for (let i = 0; i < this.length; i++) buf[i] = old[(this.head + i) & mask];
    this.buf = buf;
    this.mask = cap - 1;
    this.head = 0;
  }

  /** Flat to chunked, with room for `cap` elements (the elements move once, into chunks). */
  private toChunked(cap: number): void {
    let ring = 2;
    while ((ring - 1) * CHUNK < cap) ring *= 2;
    const chunks = new Array<Chunk | undefined>(ring);
    const n = this.length;
    for (let i = 0; i < n; i++) {
      const c = chunks[i >>> CHUNK_BITS] ?? (chunks[i >>> CHUNK_BITS] = newChunk());
      c[i & CHUNK_MASK] = this.buf[(this.head + i) & this.mask];
    }
    this.chunks = chunks;
    this.vmask = ring * CHUNK - 1;
    this.head = 0;
    this.buf = EMPTY_BUF;
    this.mask = 0;
  }

  /** Chunked to flat (a list of at most FLAT_AGAIN elements). */
  private toFlat(): void {
    const n = this.length;
    let c = MIN_CAP;
    while (c < n * 2 && c < FLAT_MAX) c *= 2;
    const buf = new Array<string | undefined>(c);
    for (let i = 0; i < n; i++) buf[i] = this.at(i);
    this.chunks = null;
    this.vmask = 0;
    this.buf = buf;
    this.mask = c - 1;
    this.head = 0;
  }

  /** The chunk ring full: twice as many chunk slots. */
  private growRing(): void { this.relayout(2 * (this.vmask + 1) >>> CHUNK_BITS); }

  /** Move the chunk pointers into a ring of `ring` slots, the head's chunk first (the elements stay where they are). */
  private relayout(ring: number): void {
    const old = this.chunks!;
    const oldRing = old.length;
    const first = this.head >>> CHUNK_BITS;
    const chunks = new Array<Chunk | undefined>(ring);
    // every chunk from the head's to the tail's, in order (at most ring - 1 of them: length <= total - CHUNK)
    const last = ((this.head + this.length - 1) & this.vmask) >>> CHUNK_BITS;
    const used = ((last - first + oldRing) & (oldRing - 1)) + 1;
    for (let k = 0; k < used; k++) chunks[k] = old[(first + k) & (oldRing - 1)];
    this.chunks = chunks;
    this.vmask = ring * CHUNK - 1;
    this.head &= CHUNK_MASK;
  }
}

function newChunk(): Chunk { return new Array<string | undefined>(CHUNK); }
