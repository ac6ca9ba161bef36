/*
 * String values. Most strings are stored as plain latin1 JS strings (one
 * character per byte). A string that was modified in place (APPEND, SETRANGE,
 * SETBIT, BITFIELD) becomes a MutableString backed by a growable Buffer, so
 * repeated in-place edits cost O(change), and OBJECT ENCODING reports "raw",
 * as Redis does for such strings.
 */

import { Buffer, constants as bufferConstants } from 'node:buffer';

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string; latin1Write(s: string, offset: number, len?: number): number };

export class MutableString {
  readonly type = 'string' as const;
  buf: Buffer;
  len: number;

  constructor(initial: string, extra = 0) {
    this.len = initial.length;
    this.buf = Buffer.allocUnsafe(Math.max(16, initial.length + extra));
    if (initial.length > 0) (this.buf as Latin1Buffer).latin1Write(initial, 0, initial.length);
  }

  /** Make room for `size` bytes; new bytes are zeroed. */
  grow(size: number): void {
    if (size <= this.len) return;
    if (size > this.buf.length) {
      const nb = Buffer.allocUnsafe(Math.min(bufferConstants.MAX_LENGTH, Math.max(size, Math.min(size * 2, size + 1024 * 1024))));
      // TypedArray set (a memmove) rather than Buffer's copy (a view of the range, byteOffset read through an accessor)
      nb.set(this.len === this.buf.length ? this.buf : this.buf.subarray(0, this.len));
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

  /** Append raw bytes (a big argument). */
  appendBytes(b: Uint8Array): void {
    const at = this.len;
    this.grow(at + b.length);
    this.buf.set(b, at);
  }

  /** The bytes as a latin1 string: throws past V8's string limit (see isBig). */
  toString(): string { return (this.buf as Latin1Buffer).latin1Slice(0, this.len); }

  /** The bytes (a view: valid until the next change). */
  bytes(): Buffer { return this.buf.subarray(0, this.len); }

  /** An independent copy (COPY, a snapshot's capture). */
  clone(): MutableString { return MutableString.adopt(Buffer.from(this.bytes())); }

  /** A string over `b` itself (no copy): a big argument's buffer, a loaded big value. */
  static adopt(b: Buffer): MutableString {
    const m = Object.create(MutableString.prototype) as MutableString;
    (m as { type: string }).type = 'string';
    m.buf = b;
    m.len = b.length;
    return m;
  }
}

/**
 * The longest value a JS string can hold: a MutableString past it has no
 * string form. NODIS_TEST_BIG_ARG_BYTES lowers it, as protocol/big-args.ts.
 */
export const MAX_JS_STRING = ((): number => {
  const max = bufferConstants.MAX_STRING_LENGTH;
  const t = Number(process.env['NODIS_TEST_BIG_ARG_BYTES']);
  return Number.isInteger(t) && t > 0 && t < max ? t : max;
})();

/** True for a value too long to become a JS string (it lives only as bytes). */
export const isBig = (v: StringValue): v is MutableString => typeof v !== 'string' && v.len > MAX_JS_STRING;

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
