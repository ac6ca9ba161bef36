/*
 * The list type: a growable circular buffer (deque) of latin1 strings.
 *
 * Elements live in `buf`, a JS array whose capacity is a power of two; the
 * list occupies `length` slots starting at `head`, wrapping around (index i
 * is buf[(head + i) & mask]). That gives O(1) push and pop at both ends and
 * O(1) index access, so a range costs only the elements it returns.
 * Inserts and removals in the middle shift the shorter side. The buffer
 * doubles when full and halves when a quarter full (above 64 slots), so many
 * small lists stay small: a one-element list holds a 4-slot array.
 *
 * Redis 7.0 encodes every list as a quicklist (there is no listpack list
 * encoding before 7.2), so OBJECT ENCODING always answers "quicklist".
 *
 * Invariants: slots outside the live range hold undefined (no stale
 * references keep popped strings alive); 0 <= head < capacity.
 */
import type { TypedValue } from './value.js';

const MIN_CAP = 4;

export class List implements TypedValue {
  readonly type = 'list' as const;
  private buf: (string | undefined)[];
  private mask: number;
  private head = 0;
  length = 0;

  constructor(cap = MIN_CAP) {
    let c = MIN_CAP;
    while (c < cap) c *= 2;
    this.buf = new Array<string | undefined>(c);
    this.mask = c - 1;
  }

  /** A list holding these elements, in order. */
  static from(items: readonly string[]): List {
    const l = new List(items.length);
    for (let i = 0; i < items.length; i++) l.buf[i] = items[i];
    l.length = items.length;
    return l;
  }

  encoding(): string { return 'quicklist'; }

  clone(): List {
    const l = new List(this.length);
    for (let i = 0; i < this.length; i++) l.buf[i] = this.buf[(this.head + i) & this.mask];
    l.length = this.length;
    return l;
  }

  // ---- ends ---------------------------------------------------------------

  pushTail(s: string): void {
    if (this.length > this.mask) this.resize((this.mask + 1) * 2);
    this.buf[(this.head + this.length) & this.mask] = s;
    this.length++;
  }

  pushHead(s: string): void {
    if (this.length > this.mask) this.resize((this.mask + 1) * 2);
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = s;
    this.length++;
  }

  /** Remove and return the first element (undefined when empty). */
  popHead(): string | undefined {
    if (this.length === 0) return undefined;
    const h = this.head;
    const s = this.buf[h];
    this.buf[h] = undefined;
    this.head = (h + 1) & this.mask;
    this.length--;
    this.maybeShrink();
    return s;
  }

  /** Remove and return the last element (undefined when empty). */
  popTail(): string | undefined {
    if (this.length === 0) return undefined;
    const i = (this.head + this.length - 1) & this.mask;
    const s = this.buf[i];
    this.buf[i] = undefined;
    this.length--;
    this.maybeShrink();
    return s;
  }

  // ---- index access ---------------------------------------------------------

  /** Element at 0 <= i < length (no bounds check). */
  at(i: number): string {
    return this.buf[(this.head + i) & this.mask]!;
  }

  /** Replace the element at 0 <= i < length. */
  set(i: number, s: string): void {
    this.buf[(this.head + i) & this.mask] = s;
  }

  /** Elements [start, start + count) in order (bounds already clamped). */
  slice(start: number, count: number): string[] {
    const out = new Array<string>(count);
    const buf = this.buf;
    const mask = this.mask;
    const h = this.head + start;
    for (let i = 0; i < count; i++) out[i] = buf[(h + i) & mask]!;
    return out;
  }

  /** Insert s so that it ends up at index 0 <= i <= length. */
  insertAt(i: number, s: string): void {
    if (i === 0) { this.pushHead(s); return; }
    if (i === this.length) { this.pushTail(s); return; }
    if (this.length > this.mask) this.resize((this.mask + 1) * 2);
    const buf = this.buf;
    const mask = this.mask;
    if (i < this.length / 2) {
      // shift the first i elements one slot left
      const h = (this.head - 1) & mask;
      for (let k = 0; k < i; k++) buf[(h + k) & mask] = buf[(h + k + 1) & mask];
      this.head = h;
    } else {
      // shift elements i.. one slot right
      for (let k = this.length; k > i; k--) buf[(this.head + k) & mask] = buf[(this.head + k - 1) & mask];
    }
    buf[(this.head + i) & mask] = s;
    this.length++;
  }

  /** Remove the element at 0 <= i < length. */
  removeAt(i: number): void {
    const buf = this.buf;
    const mask = this.mask;
    if (i < this.length / 2) {
      for (let k = i; k > 0; k--) buf[(this.head + k) & mask] = buf[(this.head + k - 1) & mask];
      buf[this.head] = undefined;
      this.head = (this.head + 1) & mask;
    } else {
      for (let k = i; k < this.length - 1; k++) buf[(this.head + k) & mask] = buf[(this.head + k + 1) & mask];
      buf[(this.head + this.length - 1) & mask] = undefined;
    }
    this.length--;
    this.maybeShrink();
  }

  /** Drop `left` elements from the head and `right` from the tail. */
  trim(left: number, right: number): void {
    if (left + right >= this.length) { this.clear(); return; }
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
  clear(): void {
    this.buf = new Array<string | undefined>(MIN_CAP);
    this.mask = MIN_CAP - 1;
    this.head = 0;
    this.length = 0;
  }

  // ---- storage ----------------------------------------------------------------

  private replaceAll(items: string[]): void {
    let c = MIN_CAP;
    while (c < items.length) c *= 2;
    const buf = new Array<string | undefined>(c);
    for (let i = 0; i < items.length; i++) buf[i] = items[i];
    this.buf = buf;
    this.mask = c - 1;
    this.head = 0;
    this.length = items.length;
  }

  private maybeShrink(): void {
    const cap = this.mask + 1;
    if (cap > 64 && this.length < cap >>> 2) this.resize(cap >>> 1);
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
}
