/*
 * The older compact encodings Redis 7.0 still loads from RDB files written by
 * earlier versions (it converts them to listpacks on load):
 *   - ziplist (redis/src/ziplist.c): uint32 zlbytes, uint32 zltail, uint16
 *     zllen, entries (prevlen 1 or 5 bytes, encoding, data), 0xFF;
 *   - zipmap (redis/src/zipmap.c, Redis <= 2.4 hashes): uint8 count, then
 *     len field len free value [free bytes] ..., 0xFF.
 * zlBuild writes ziplists too, for tests and for old-format fixtures.
 */
import { isCanonicalInt } from '../../types/string.js';

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string; latin1Write(s: string, o: number, l?: number): number };

/** Parse and validate a ziplist b[start,end): its entries as strings, or null when malformed. */
export function zlParse(b: Buffer, start = 0, end = b.length): string[] | null {
  const size = end - start;
  if (size < 11) return null;
  if (b.readUInt32LE(start) !== size) return null;
  const tail = b.readUInt32LE(start + 4);
  const count = b.readUInt16LE(start + 8);
  if (b[end - 1] !== 0xff) return null;
  const lb = b as Latin1Buffer;
  const out: string[] = [];
  let p = start + 10;
  const last = end - 1;
  let prevRaw = 0;
  let lastEntry = start + 10;
  while (p < last) {
    const e = p;
    // prevlen
    let prevlen: number;
    if (b[p]! < 254) { prevlen = b[p]!; p += 1; } else {
      if (b[p] === 255 || p + 5 > last) return null;
      prevlen = b.readUInt32LE(p + 1); p += 5;
    }
    if (prevlen !== prevRaw) return null;
    if (p >= last) return null;
    const c = b[p]!;
    let s: string;
    switch (c >> 6) {
      case 0: { const len = c & 0x3f; p += 1; if (p + len > last) return null; s = lb.latin1Slice(p, p + len); p += len; break; }
      case 1: { if (p + 2 > last) return null; const len = ((c & 0x3f) << 8) | b[p + 1]!; p += 2; if (p + len > last) return null; s = lb.latin1Slice(p, p + len); p += len; break; }
      case 2: {
        if (c !== 0x80 || p + 5 > last) return null;
        const len = b.readUInt32BE(p + 1); p += 5;
        if (p + len > last) return null;
        s = lb.latin1Slice(p, p + len); p += len; break;
      }
      default: {
        p += 1;
        if (c === 0xc0) { if (p + 2 > last) return null; s = String(b.readInt16LE(p)); p += 2; }
        else if (c === 0xd0) { if (p + 4 > last) return null; s = String(b.readInt32LE(p)); p += 4; }
        else if (c === 0xe0) { if (p + 8 > last) return null; s = String(b.readBigInt64LE(p)); p += 8; }
        else if (c === 0xf0) { if (p + 3 > last) return null; s = String(b.readIntLE(p, 3)); p += 3; }
        else if (c === 0xfe) { if (p + 1 > last) return null; s = String(b.readInt8(p)); p += 1; }
        else if (c >= 0xf1 && c <= 0xfd) s = String((c & 0x0f) - 1);
        else return null;
      }
    }
    prevRaw = p - e;
    lastEntry = e;
    out.push(s);
  }
  if (p !== last) return null;
  if (out.length > 0 && tail !== lastEntry - start) return null;
  if (out.length === 0 && tail !== 10) return null;
  if (count !== 65535 && count !== out.length) return null;
  return out;
}

/** A ziplist holding these strings (integers encoded as Redis's zipTryEncoding would). */
export function zlBuild(items: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  let prev = 0;
  let total = 10;
  let tail = 10;
  for (const s of items) {
    const body: number[] = [];
    if (prev < 254) body.push(prev); else body.push(254, prev & 255, (prev >>> 8) & 255, (prev >>> 16) & 255, prev >>> 24);
    let data: Buffer;
    if (isCanonicalInt(s) && s.length <= 20) {
      const v = BigInt(s);
      if (v >= 0n && v <= 12n) { body.push(0xf1 + Number(v)); data = Buffer.alloc(0); }
      else if (v >= -128n && v <= 127n) { body.push(0xfe); data = Buffer.alloc(1); data.writeInt8(Number(v)); }
      else if (v >= -32768n && v <= 32767n) { body.push(0xc0); data = Buffer.alloc(2); data.writeInt16LE(Number(v)); }
      else if (v >= -8388608n && v <= 8388607n) { body.push(0xf0); data = Buffer.alloc(3); data.writeIntLE(Number(v), 0, 3); }
      else if (v >= -2147483648n && v <= 2147483647n) { body.push(0xd0); data = Buffer.alloc(4); data.writeInt32LE(Number(v)); }
      else { body.push(0xe0); data = Buffer.alloc(8); data.writeBigInt64LE(v); }
    } else {
      const len = s.length;
      if (len <= 0x3f) body.push(len);
      else if (len <= 0x3fff) body.push(0x40 | (len >> 8), len & 255);
      else body.push(0x80, len >>> 24, (len >>> 16) & 255, (len >>> 8) & 255, len & 255);
      data = Buffer.from(s, 'latin1');
    }
    const entry = Buffer.concat([Buffer.from(body), data]);
    tail = total;
    total += entry.length;
    prev = entry.length;
    parts.push(entry);
  }
  const hdr = Buffer.alloc(10);
  hdr.writeUInt32LE(total + 1, 0);
  hdr.writeUInt32LE(tail, 4);
  hdr.writeUInt16LE(items.length < 65535 ? items.length : 65535, 8);
  return Buffer.concat([hdr, ...parts, Buffer.from([0xff])]);
}

/** Parse a zipmap b[start,end): [field, value, ...], or null when malformed. */
export function zipmapParse(b: Buffer, start = 0, end = b.length): string[] | null {
  if (end - start < 2) return null;
  const lb = b as Latin1Buffer;
  let p = start + 1;
  const out: string[] = [];
  const readLen = (): number | null => {
    if (p >= end) return null;
    const c = b[p]!;
    if (c < 254) { p += 1; return c; }
    if (c === 254) { if (p + 5 > end) return null; const l = b.readUInt32LE(p + 1); p += 5; return l; }
    return null;
  };
  for (;;) {
    if (p >= end) return null;
    if (b[p] === 255) { p++; break; }
    const flen = readLen();
    if (flen === null || p + flen > end) return null;
    const f = lb.latin1Slice(p, p + flen); p += flen;
    const vlen = readLen();
    if (vlen === null || p + 1 > end) return null;
    const free = b[p]!; p += 1;
    if (p + vlen + free > end) return null;
    const v = lb.latin1Slice(p, p + vlen); p += vlen + free;
    out.push(f, v);
  }
  if (p !== end) return null;
  if (out.length === 0) return null; // zipmapValidateIntegrity: an empty zipmap is invalid
  return out;
}
