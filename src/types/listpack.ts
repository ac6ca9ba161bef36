/*
 * A compact packed sequence of byte strings held in ONE latin1 JS string:
 * the V8 counterpart of Redis's listpack, for small hashes, sorted sets and
 * sets, where a Map or an array of strings costs 3-5x the memory.
 *
 * Format: entries back to back, each a length prefix then the bytes. The
 * prefix is one char for lengths < 128, else a varint: 7 bits per char, low
 * group first, high bit set on every char but the last. The entry count is
 * kept by the owner (e.g. the value object), not in the string.
 *
 * Every operation is a linear scan (as in Redis, where listpacks are bounded
 * by the *-max-listpack-* settings) and returns a new string when it changes.
 */

/** Encode one entry (prefix + bytes). */
export function lpEntry(s: string): string {
  let n = s.length;
  if (n < 128) return String.fromCharCode(n) + s;
  let p = '';
  while (n >= 128) {
    p += String.fromCharCode((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  return p + String.fromCharCode(n) + s;
}

/** Encode several entries. */
export function lpPack(items: readonly string[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += lpEntry(items[i]!);
  return out;
}

/** A cursor over a packed string: call next() until it returns false; `value`, `start`, `end` describe the entry. */
export class LpCursor {
  /** offset of the current entry's prefix */
  start = 0;
  /** offset just past the current entry */
  end = 0;
  private dataStart = 0;

  constructor(readonly lp: string, from = 0) { this.end = from; }

  next(): boolean {
    const lp = this.lp;
    let pos = this.end;
    if (pos >= lp.length) return false;
    this.start = pos;
    let c = lp.charCodeAt(pos++);
    let n = c & 127;
    let mul = 128;
    while (c & 128) {
      c = lp.charCodeAt(pos++);
      n += (c & 127) * mul;
      mul *= 128;
    }
    this.dataStart = pos;
    this.end = pos + n;
    return true;
  }

  get value(): string { return this.lp.slice(this.dataStart, this.end); }

  /** Compare the current entry with s without allocating. */
  equals(s: string): boolean {
    const len = this.end - this.dataStart;
    if (len !== s.length) return false;
    return this.lp.startsWith(s, this.dataStart);
  }
}

/** All entries, decoded. */
export function lpUnpack(lp: string): string[] {
  const out: string[] = [];
  const c = new LpCursor(lp);
  while (c.next()) out.push(c.value);
  return out;
}

/** Index of the first entry equal to s, looking at every `step`-th entry from `first`; -1 if none. */
export function lpFind(lp: string, s: string, step = 1, first = 0): number {
  const c = new LpCursor(lp);
  let i = 0;
  while (c.next()) {
    if (i >= first && (i - first) % step === 0 && c.equals(s)) return i;
    i++;
  }
  return -1;
}

/** Offsets [start, end) of entry `index` (end of string if index == count). */
export function lpOffsets(lp: string, index: number): [number, number] {
  const c = new LpCursor(lp);
  let i = 0;
  while (c.next()) {
    if (i === index) return [c.start, c.end];
    i++;
  }
  return [lp.length, lp.length];
}

/** Entry at index, or undefined. */
export function lpGet(lp: string, index: number): string | undefined {
  const c = new LpCursor(lp);
  let i = 0;
  while (c.next()) {
    if (i === index) return c.value;
    i++;
  }
  return undefined;
}

/** Replace `count` entries at index with `items` (insert when count = 0, delete when items is empty). */
export function lpSplice(lp: string, index: number, count: number, items: readonly string[] = []): string {
  const [start] = lpOffsets(lp, index);
  let end = start;
  if (count > 0) {
    const c = new LpCursor(lp, start);
    for (let k = 0; k < count && c.next(); k++) end = c.end;
  }
  return lp.slice(0, start) + lpPack(items) + lp.slice(end);
}
