/*
 * The set type. Two encodings, as in Redis 7.0 (t_set.c, intset.c):
 *   - "intset": every member is the canonical decimal form of a 64-bit
 *     integer; they are kept sorted in a BigInt64Array (8 bytes each, exact
 *     beyond 2^53), so SMEMBERS lists them in ascending numeric order and
 *     membership is a binary search;
 *   - "hashtable": a SlotTable of members (SSCAN guarantee, O(1) random members).
 * An intset converts (one way) when a non-integer member is added or it grows
 * past set-max-intset-entries (capped at 2^30, as Redis does). Callers pass
 * that limit.
 */
import type { TypedValue } from './value.js';
import { SlotTable } from './slot-table.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** The member as an int64 if it is a canonical integer (string2ll), else null. */
export function memberInt(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) { if (n === 1) return null; i = 1; }
  const c0 = s.charCodeAt(i);
  if (c0 === 48) return n === 1 ? 0n : null;
  if (c0 < 49 || c0 > 57) return null;
  for (let j = i + 1; j < n; j++) { const c = s.charCodeAt(j); if (c < 48 || c > 57) return null; }
  const b = BigInt(s);
  return n >= 19 && (b > INT64_MAX || b < INT64_MIN) ? null : b;
}

/** Effective intset limit (Redis caps it at 1G entries). */
export const intsetLimit = (max: number): number => (max >= 2 ** 30 ? 2 ** 30 : max);

export class SetValue implements TypedValue {
  declare readonly type: 'set';
  /** intset members, sorted, in ints[0..n) (null once converted) */
  ints: BigInt64Array | null;
  n = 0;
  /** the hashtable encoding, or null */
  t: SlotTable | null = null;

  memberTable(): SlotTable | null { return this.t; }

  /** An empty set: an intset, or a hashtable when `table`. */
  constructor(table = false) {
    if (table) { this.ints = null; this.t = new SlotTable(false); } else this.ints = EMPTY;
  }

  encoding(): string { return this.t === null ? 'intset' : 'hashtable'; }

  get size(): number { return this.t === null ? this.n : this.t.size; }

  /** Binary search in the intset: index of v, or -(insertion point) - 1. */
  private find(v: bigint): number {
    const a = this.ints!;
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = a[mid]!;
      if (x < v) lo = mid + 1;
      else if (x > v) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  has(m: string): boolean {
    if (this.t !== null) return this.t.has(m);
    if (this.n === 0) return false;
    const v = memberInt(m);
    return v !== null && this.find(v) >= 0;
  }

  /** setTypeAdd: true if the member was new. maxIntset: set-max-intset-entries. */
  add(m: string, maxIntset: number): boolean {
    const t = this.t;
    if (t !== null) return t.add(m);
    const v = memberInt(m);
    if (v === null) {
      this.convert();
      return this.t!.add(m);
    }
    const i = this.find(v);
    if (i >= 0) return false;
    const at = -i - 1;
    let a = this.ints!;
    if (this.n === a.length) {
      const b = new BigInt64Array(Math.max(4, a.length * 2));
      b.set(a.subarray(0, this.n));
      a = this.ints = b;
    }
    a.copyWithin(at + 1, at, this.n);
    a[at] = v;
    this.n++;
    if (this.n > intsetLimit(maxIntset)) this.convert();
    return true;
  }

  /** setTypeRemove: true if the member existed. */
  delete(m: string): boolean {
    if (this.t !== null) return this.t.delete(m);
    const v = memberInt(m);
    if (v === null) return false;
    const i = this.find(v);
    if (i < 0) return false;
    const a = this.ints!;
    a.copyWithin(i, i + 1, this.n);
    this.n--;
    if (this.n * 4 < a.length && a.length > 8) this.ints = a.slice(0, Math.max(4, this.n * 2));
    return true;
  }

  /** Switch to the hashtable encoding. */
  convert(): void {
    if (this.t !== null) return;
    const t = new SlotTable(false);
    const a = this.ints!;
    for (let i = 0; i < this.n; i++) t.add(String(a[i]));
    this.t = t;
    this.ints = null;
    this.n = 0;
  }

  /** All members (intset: ascending; hashtable: slot order). */
  members(): string[] {
    if (this.t !== null) return this.t.members();
    const a = this.ints!;
    const out: string[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = String(a[i]);
    return out;
  }

  forEach(fn: (m: string) => void): void {
    if (this.t !== null) { this.t.forEach(fn); return; }
    const a = this.ints!;
    for (let i = 0; i < this.n; i++) fn(String(a[i]));
  }

  /** A random member (the set must not be empty). */
  random(): string {
    const t = this.t;
    if (t !== null) return t.keys[t.randomSlot()]!;
    return String(this.ints![Math.floor(Math.random() * this.n)]);
  }

  clone(): SetValue {
    const s = new SetValue(this.t !== null);
    if (this.t !== null) s.t = this.t.clone();
    else { s.ints = this.ints!.slice(0, Math.max(this.n, 0)); s.n = this.n; }
    return s;
  }
}
Object.defineProperty(SetValue.prototype, 'type', { value: 'set', writable: false, enumerable: true });

const EMPTY = new BigInt64Array(0);

/** setTypeCreate: an empty set of the encoding that can hold `first` (intset for an integer). */
export const setFor = (first: string): SetValue => new SetValue(memberInt(first) === null);
