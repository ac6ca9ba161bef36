/*
 * Redis's listpack byte format (redis/src/listpack.c), used inside RDB files
 * for small hashes, sorted sets and quicklist nodes. Nodis keeps its own
 * in-memory packing (src/types/listpack.ts); this file converts between a
 * list of latin1 strings and Redis's bytes.
 *
 * Layout: uint32 total bytes, uint16 element count (65535 = unknown), the
 * entries, 0xFF. Entry: encoding byte(s) + data + backlen (the size of
 * encoding+data, 1-5 bytes, 7 bits each, big end first). Strings that are
 * canonical int64s (lpStringToInt64) are stored as integers of 7, 13, 16, 24,
 * 32 or 64 bits; other strings with a 6, 12 or 32-bit length.
 */
import { isCanonicalInt } from '../../types/string.js';

export const LP_HDR_SIZE = 6;

/** Size of an entry's backlen field for an encoding+data size of l. */
export function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Bytes of the encoding+data of s (without backlen). */
export function lpEncodedSize(s: string): number {
  if (isCanonicalInt(s)) {
    const n = s.length <= 15 ? Number(s) : Number(BigInt(s));
    if (n >= 0 && n <= 127) return 1;
    if (n >= -4096 && n <= 4095) return 2;
    if (n >= -32768 && n <= 32767) return 3;
    if (n >= -8388608 && n <= 8388607) return 4;
    if (n >= -2147483648 && n <= 2147483647) return 5;
    return 9;
  }
  const len = s.length;
  return len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
}

/** Total listpack bytes for these entries. */
export function lpBytesOf(items: readonly string[]): number {
  let n = LP_HDR_SIZE + 1;
  for (let i = 0; i < items.length; i++) {
    const l = lpEncodedSize(items[i]!);
    n += l + backlenSize(l);
  }
  return n;
}

type Latin1Buffer = Buffer & { latin1Write(s: string, offset: number, len?: number): number };

/** Write one entry at pos; returns the new position. */
function writeEntry(b: Buffer, pos: number, s: string): number {
  const start = pos;
  if (isCanonicalInt(s)) {
    if (s.length <= 15) {
      let v = Number(s);
      if (v >= 0 && v <= 127) b[pos++] = v;
      else if (v >= -4096 && v <= 4095) {
        if (v < 0) v += 1 << 13;
        b[pos++] = (v >> 8) | 0xc0;
        b[pos++] = v & 0xff;
      } else if (v >= -32768 && v <= 32767) {
        b[pos++] = 0xf1;
        b.writeInt16LE(v, pos); pos += 2;
      } else if (v >= -8388608 && v <= 8388607) {
        b[pos++] = 0xf2;
        b.writeIntLE(v, pos, 3); pos += 3;
      } else if (v >= -2147483648 && v <= 2147483647) {
        b[pos++] = 0xf3;
        b.writeInt32LE(v, pos); pos += 4;
      } else {
        b[pos++] = 0xf4;
        b.writeBigInt64LE(BigInt(v), pos); pos += 8;
      }
    } else {
      b[pos++] = 0xf4;
      b.writeBigInt64LE(BigInt(s), pos); pos += 8;
    }
  } else {
    const len = s.length;
    if (len < 64) b[pos++] = 0x80 | len;
    else if (len < 4096) { b[pos++] = 0xe0 | (len >> 8); b[pos++] = len & 0xff; }
    else { b[pos++] = 0xf0; b.writeUInt32LE(len, pos); pos += 4; }
    (b as Latin1Buffer).latin1Write(s, pos, len);
    pos += len;
  }
  const l = pos - start;
  // backlen: most significant 7-bit group first, every group but the first flagged 128
  if (l <= 127) b[pos++] = l;
  else if (l < 16383) { b[pos++] = l >>> 7; b[pos++] = (l & 127) | 128; }
  else if (l < 2097151) { b[pos++] = l >>> 14; b[pos++] = ((l >>> 7) & 127) | 128; b[pos++] = (l & 127) | 128; }
  else if (l < 268435455) {
    b[pos++] = l >>> 21; b[pos++] = ((l >>> 14) & 127) | 128; b[pos++] = ((l >>> 7) & 127) | 128; b[pos++] = (l & 127) | 128;
  } else {
    b[pos++] = Math.floor(l / 2 ** 28); b[pos++] = ((l >>> 21) & 127) | 128; b[pos++] = ((l >>> 14) & 127) | 128;
    b[pos++] = ((l >>> 7) & 127) | 128; b[pos++] = (l & 127) | 128;
  }
  return pos;
}

/** A Redis listpack holding these strings, in order. */
export function lpBuild(items: readonly string[]): Buffer {
  const total = lpBytesOf(items);
  const b = Buffer.allocUnsafe(total);
  b.writeUInt32LE(total, 0);
  b.writeUInt16LE(items.length < 65535 ? items.length : 65535, 4);
  let pos = LP_HDR_SIZE;
  for (let i = 0; i < items.length; i++) pos = writeEntry(b, pos, items[i]!);
  b[pos] = 0xff;
  return b;
}

type Latin1Reader = Buffer & { latin1Slice(start: number, end: number): string };

/**
 * Walk a listpack's entries in b[start, end) as Redis's lpValidateNext does,
 * after a header that passed the shallow check (size, total bytes, 0xFF
 * at the end): the entries up to the first one that is malformed (or runs
 * past the end), and ok when every entry was valid, the walk ended on the
 * terminator and the count in the header agrees (lpValidateIntegrity, deep);
 * walked when the entries were all valid whatever the count says.
 * A header that fails the shallow check gives no entries and ok false.
 */
export function lpScan(b: Buffer, start = 0, end = b.length): LpScan {
  const out: string[] = [];
  const bad: LpScan = { items: out, ok: false, walked: false };
  if (!lpHeaderOk(b, start, end)) return bad;
  const count = b.readUInt16LE(start + 4);
  let p = start + LP_HDR_SIZE;
  const last = end - 1;
  const lb = b as Latin1Reader;
  while (p < last) {
    const e = p;
    const c = b[p]!;
    let s: string;
    if (c < 0x80) { s = String(c); p += 1; }
    else if (c < 0xc0) {
      const len = c & 0x3f;
      if (p + 1 + len > last) return bad;
      s = lb.latin1Slice(p + 1, p + 1 + len); p += 1 + len;
    } else if (c < 0xe0) {
      if (p + 2 > last) return bad;
      let v = ((c & 0x1f) << 8) | b[p + 1]!;
      if (v >= 1 << 12) v -= 1 << 13;
      s = String(v); p += 2;
    } else if (c < 0xf0) {
      if (p + 2 > last) return bad;
      const len = ((c & 0x0f) << 8) | b[p + 1]!;
      if (p + 2 + len > last) return bad;
      s = lb.latin1Slice(p + 2, p + 2 + len); p += 2 + len;
    } else if (c === 0xf0) {
      if (p + 5 > last) return bad;
      const len = b.readUInt32LE(p + 1);
      if (p + 5 + len > last) return bad;
      s = lb.latin1Slice(p + 5, p + 5 + len); p += 5 + len;
    } else if (c === 0xf1) {
      if (p + 3 > last) return bad;
      s = String(b.readInt16LE(p + 1)); p += 3;
    } else if (c === 0xf2) {
      if (p + 4 > last) return bad;
      s = String(b.readIntLE(p + 1, 3)); p += 4;
    } else if (c === 0xf3) {
      if (p + 5 > last) return bad;
      s = String(b.readInt32LE(p + 1)); p += 5;
    } else if (c === 0xf4) {
      if (p + 9 > last) return bad;
      s = String(b.readBigInt64LE(p + 1)); p += 9;
    } else return bad; // 0xf5-0xfe unused, 0xff: a terminator inside
    // backlen
    const l = p - e;
    const bl = backlenSize(l);
    if (p + bl > last) return bad;
    let v = 0;
    for (let k = 0; k < bl; k++) v = v * 128 + (b[p + k]! & 127);
    if (v !== l) return bad;
    p += bl;
    out.push(s);
  }
  if (p !== last) return bad;
  return { items: out, ok: count === 65535 || count === out.length, walked: true };
}

/** lpScan's result: the valid entries; walked: every entry valid up to the terminator; ok: that and the count agrees. */
export interface LpScan { items: string[]; ok: boolean; walked: boolean }

/** lpValidateIntegrity, shallow: room for the header and terminator, the total bytes, 0xFF at the end. */
export function lpHeaderOk(b: Buffer, start = 0, end = b.length): boolean {
  const size = end - start;
  return size >= LP_HDR_SIZE + 1 && b.readUInt32LE(start) === size && b[end - 1] === 0xff;
}

/**
 * Parse (and validate) a listpack in b[start, end): the entries as latin1
 * strings, or null when it is malformed (lpValidateIntegrity, deep): header
 * size, every entry's encoding and backlen, the count, the terminator.
 */
export function lpParse(b: Buffer, start = 0, end = b.length): string[] | null {
  const r = lpScan(b, start, end);
  return r.ok ? r.items : null;
}
