/*
 * The hash type. Two encodings, as in Redis 7.0 (t_hash.c):
 *   - "listpack": field, value, field, value ... packed in ONE latin1 string
 *     (types/listpack.ts format), `n` pairs; lookups are linear scans, which
 *     the hash-max-listpack-entries / -value limits keep short. This is the
 *     compact form that keeps 100,000 small hashes near Redis's memory.
 *   - "hashtable": a SlotTable (field -> slot, values by slot), which gives
 *     HSCAN its guarantee and O(1) random fields.
 * Conversion goes one way only (listpack -> hashtable), when a field or value
 * is longer than hash-max-listpack-value or the count exceeds
 * hash-max-listpack-entries. Callers pass the limits (from config).
 *
 * Packed strings are rebuilt by concatenation, which V8 keeps as a rope until
 * flattened; `flat()` flattens each stored string so no rope or sliced parent
 * stays alive.
 */
import type { TypedValue } from './value.js';
import { lpEntry } from './listpack.js';
import { SlotTable } from './slot-table.js';

let sink = 0;
/**
 * Force a flat representation: reading a char flattens a rope in place and
 * the GC then drops the rope's parts (measured: 100k 10-pair strings built by
 * appends hold 1,560 B each as ropes, 200 B flattened). The read must be used
 * or the compiler drops it, hence the sink.
 */
export function flat(s: string): string {
  sink ^= s.charCodeAt(0);
  return s;
}

// The entry decoded by readEntry: its data is lp[dStart, dEnd).
let dStart = 0;
let dEnd = 0;

/** Decode the entry whose prefix starts at pos into dStart/dEnd. */
function readEntry(lp: string, pos: number): void {
  let c = lp.charCodeAt(pos++);
  let n = c & 127;
  let mul = 128;
  while (c & 128) {
    c = lp.charCodeAt(pos++);
    n += (c & 127) * mul;
    mul *= 128;
  }
  dStart = pos;
  dEnd = pos + n;
}

// Where lpFindField found a field: the pair spans [fPos, vEnd), the value's data [vStart, vEnd), its prefix at vPos.
let fPos = 0;
let vPos = 0;
let vStart = 0;
let vEnd = 0;

/** Look a field up in a packed hash; true and fPos/vPos/vStart/vEnd set when found. */
function lpFindField(lp: string, f: string): boolean {
  const len = lp.length;
  const flen = f.length;
  let pos = 0;
  while (pos < len) {
    readEntry(lp, pos);
    const start = pos;
    const match = dEnd - dStart === flen && lp.startsWith(f, dStart);
    pos = dEnd;
    readEntry(lp, pos);
    if (match) { fPos = start; vPos = pos; vStart = dStart; vEnd = dEnd; return true; }
    pos = dEnd;
  }
  return false;
}

export class HashValue implements TypedValue {
  declare readonly type: 'hash';
  /** packed pairs (listpack encoding); '' once converted */
  lp: string;
  /** pairs in lp */
  n: number;
  /** the hashtable encoding, or null */
  t: SlotTable | null = null;

  memberTable(): SlotTable | null { return this.t; }

  constructor(lp = '', n = 0) { this.lp = lp; this.n = n; }

  encoding(): string { return this.t === null ? 'listpack' : 'hashtable'; }

  get size(): number { return this.t === null ? this.n : this.t.size; }

  get(f: string): string | undefined {
    if (this.t !== null) return this.t.get(f);
    return lpFindField(this.lp, f) ? this.lp.slice(vStart, vEnd) : undefined;
  }

  has(f: string): boolean {
    if (this.t !== null) return this.t.has(f);
    return lpFindField(this.lp, f);
  }

  /** Length of a field's value, 0 if missing (HSTRLEN). */
  strlen(f: string): number {
    if (this.t !== null) { const v = this.t.get(f); return v === undefined ? 0 : v.length; }
    return lpFindField(this.lp, f) ? vEnd - vStart : 0;
  }

  /**
   * hashTypeTryConversion: convert before a write whose strings (argv[from..to])
   * include one longer than maxValue.
   */
  convertForArgs(argv: readonly string[], from: number, to: number, maxValue: number): void {
    if (this.t !== null) return;
    for (let i = from; i <= to; i++) if (argv[i]!.length > maxValue) { this.convert(); return; }
  }

  /**
   * hashTypeSet: set a field; true if it was new. Converts when the pair does
   * not fit the listpack limits.
   */
  set(f: string, v: string, maxEntries: number, maxValue: number): boolean {
    if (this.t === null && (f.length > maxValue || v.length > maxValue)) this.convert();
    const t = this.t;
    if (t !== null) return t.set(f, v);
    const lp = this.lp;
    if (lpFindField(lp, f)) {
      this.lp = flat(lp.slice(0, vPos) + lpEntry(v) + lp.slice(vEnd));
      return false;
    }
    this.lp = flat(lp + lpEntry(f) + lpEntry(v));
    if (++this.n > maxEntries) this.convert();
    return true;
  }

  /** Set many pairs at once (argv[from], argv[from+1] ...): the count of new fields. */
  setPairs(argv: readonly string[], from: number, maxEntries: number, maxValue: number): number {
    this.convertForArgs(argv, from, argv.length - 1, maxValue);
    let added = 0;
    if (this.t === null) {
      // listpack: append new pairs in one rebuild when possible
      let lp = this.lp;
      let tail = '';
      let n = this.n;
      for (let i = from; i < argv.length; i += 2) {
        const f = argv[i]!;
        const v = argv[i + 1]!;
        if (tail !== '') { lp = flat(lp + tail); tail = ''; }
        if (lpFindField(lp, f)) { lp = lp.slice(0, vPos) + lpEntry(v) + lp.slice(vEnd); continue; }
        tail = lpEntry(f) + lpEntry(v);
        added++;
        n++;
        if (n > maxEntries) {
          this.lp = flat(lp + tail);
          this.n = n;
          this.convert();
          const t = this.t!;
          for (let j = i + 2; j < argv.length; j += 2) if (t.set(argv[j]!, argv[j + 1]!)) added++;
          return added;
        }
      }
      this.lp = flat(lp + tail);
      this.n = n;
      return added;
    }
    const t = this.t!;
    for (let i = from; i < argv.length; i += 2) if (t.set(argv[i]!, argv[i + 1]!)) added++;
    return added;
  }

  /** Remove a field; true if it existed. */
  delete(f: string): boolean {
    if (this.t !== null) return this.t.delete(f);
    const lp = this.lp;
    if (!lpFindField(lp, f)) return false;
    this.lp = flat(lp.slice(0, fPos) + lp.slice(vEnd));
    this.n--;
    return true;
  }

  /** Switch to the hashtable encoding. */
  convert(): void {
    if (this.t !== null) return;
    const t = new SlotTable(true);
    this.forEach((f, v) => { t.set(flat(f), flat(v)); });
    this.t = t;
    this.lp = '';
    this.n = 0;
  }

  /** Visit every pair (listpack order, or slot order). */
  forEach(fn: (f: string, v: string) => void): void {
    if (this.t !== null) { this.t.forEach(fn); return; }
    const lp = this.lp;
    let pos = 0;
    while (pos < lp.length) {
      readEntry(lp, pos);
      const f = lp.slice(dStart, dEnd);
      readEntry(lp, dEnd);
      pos = dEnd;
      fn(f, lp.slice(dStart, dEnd));
    }
  }

  /** All pairs as [f0, v0, f1, v1 ...]. */
  pairs(): string[] {
    const out: string[] = [];
    this.forEach((f, v) => { out.push(f, v); });
    return out;
  }

  /** A random pair as [field, value] (the hash must not be empty). */
  randomPair(): [string, string] {
    const t = this.t;
    if (t !== null) {
      const s = t.randomSlot();
      return [t.keys[s]!, t.vals![s]!];
    }
    let i = Math.floor(Math.random() * this.n);
    const lp = this.lp;
    let pos = 0;
    for (;;) {
      readEntry(lp, pos);
      const fs = dStart;
      const fe = dEnd;
      readEntry(lp, dEnd);
      if (i-- === 0) return [lp.slice(fs, fe), lp.slice(dStart, dEnd)];
      pos = dEnd;
    }
  }

  clone(): HashValue {
    const h = new HashValue(this.lp, this.n);
    if (this.t !== null) h.t = this.t.clone();
    return h;
  }
}
Object.defineProperty(HashValue.prototype, 'type', { value: 'hash', writable: false, enumerable: true });

/** A new empty hash (listpack). */
export const newHash = (): HashValue => new HashValue();
