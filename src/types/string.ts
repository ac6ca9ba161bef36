/*
 * String values. Most strings are stored as plain latin1 JS strings (one
 * character per byte). A string that was modified in place (APPEND, SETRANGE,
 * SETBIT, BITFIELD) becomes a MutableString backed by a growable Buffer, so
 * repeated in-place edits cost O(change), and OBJECT ENCODING reports "raw",
 * as Redis does for such strings.
 */

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string; latin1Write(s: string, offset: number, len?: number): number };

export class MutableString {
  readonly type = 'string' as const;
  buf: Buffer;
  len: number;

  constructor(initial: string, extra = 0) {
    this.len = initial.length;
    this.buf = Buffer.allocUnsafe(Math.max(16, initial.length + extra));
    (this.buf as Latin1Buffer).latin1Write(initial, 0, initial.length);
  }

  /** Make room for `size` bytes; new bytes are zeroed. */
  grow(size: number): void {
    if (size <= this.len) return;
    if (size > this.buf.length) {
      const nb = Buffer.allocUnsafe(Math.max(size, Math.min(size * 2, size + 1024 * 1024)));
      this.buf.copy(nb, 0, 0, this.len);
      this.buf = nb;
    }
    this.buf.fill(0, this.len, size);
    this.len = size;
  }

  append(s: string): void {
    const at = this.len;
    this.grow(at + s.length);
    (this.buf as Latin1Buffer).latin1Write(s, at, s.length);
  }

  toString(): string { return (this.buf as Latin1Buffer).latin1Slice(0, this.len); }
}

export type StringValue = string | MutableString;

/** The bytes of a string value as a latin1 JS string. */
export const strOf = (v: StringValue): string => (typeof v === 'string' ? v : v.toString());

export const strLen = (v: StringValue): number => (typeof v === 'string' ? v.length : v.len);

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

/** True when s is the canonical decimal form of a 64-bit signed integer (Redis's string2ll). */
export function isCanonicalInt(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45) { if (n === 1) return false; i = 1; }
  const c0 = s.charCodeAt(i);
  if (c0 === 48) return n === 1;
  if (c0 < 49 || c0 > 57) return false;
  for (i++; i < n; i++) { const c = s.charCodeAt(i); if (c < 48 || c > 57) return false; }
  if (n < 19) return true;
  const b = BigInt(s);
  return b <= LONG_MAX && b >= LONG_MIN;
}

/** OBJECT ENCODING of a string value: int, embstr (<= 44 bytes) or raw. */
export function stringEncoding(v: StringValue): 'int' | 'embstr' | 'raw' {
  if (typeof v !== 'string') return 'raw';
  if (isCanonicalInt(v)) return 'int';
  return v.length <= 44 ? 'embstr' : 'raw';
}
