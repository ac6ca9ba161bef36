/*
 * Byte output for the RDB encoder: a growable Buffer (ByteWriter) and the
 * primitive RDB encodings written into it: lengths (rdbSaveLen), strings
 * (rdbSaveRawString: int-encoded when a canonical integer of 32 bits or less,
 * LZF-compressed when allowed and it saves at least 4 bytes, else verbatim),
 * LZF blobs, binary doubles, ms times.
 */
import { lzfCompress } from './lzf.js';
import { RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } from './constants.js';

/** Where encoded bytes go. ByteWriter is the implementation the codec uses. */
export interface ByteSink {
  byte(b: number): void;
  bytes(b: Uint8Array, start?: number, end?: number): void;
  /** a latin1 string's bytes */
  latin1(s: string): void;
}

type Latin1Buffer = Buffer & { latin1Write(s: string, offset: number, len?: number): number };

/** strings up to this length are copied by a JS loop, longer ones by latin1Write */
const SHORT_LATIN1 = 64;

export class ByteWriter implements ByteSink {
  buf: Buffer;
  pos = 0;

  constructor(initial = 4096) { this.buf = Buffer.allocUnsafe(initial); }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const nb = Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(b: Uint8Array, start = 0, end = b.length): void {
    const n = end - start;
    this.ensure(n);
    this.buf.set(start === 0 && end === b.length ? b : b.subarray(start, end), this.pos);
    this.pos += n;
  }

  latin1(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.ensure(n);
    if (n <= SHORT_LATIN1) {
      // a JS loop beats the native call's fixed cost on short strings (most keys and values);
      // a Uint8Array store keeps the low byte, as latin1Write does
      const b = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
      this.pos = p;
      return;
    }
    (this.buf as Latin1Buffer).latin1Write(s, this.pos, n);
    this.pos += n;
  }

  /** The bytes written so far (a view, valid until the next write). */
  view(): Buffer { return this.buf.subarray(0, this.pos); }

  /** A copy of the bytes written so far. */
  take(): Buffer { return Buffer.from(this.view()); }

  reset(): void { this.pos = 0; }
}

/** rdbSaveLen */
export function writeLen(out: ByteSink, len: number): void {
  if (len < 64) out.byte(len);
  else if (len < 16384) { out.byte(0x40 | (len >> 8)); out.byte(len & 0xff); }
  else if (len <= 0xffffffff) {
    out.byte(0x80);
    out.byte(len >>> 24); out.byte((len >>> 16) & 0xff); out.byte((len >>> 8) & 0xff); out.byte(len & 0xff);
  } else {
    out.byte(0x81);
    const b = Buffer.allocUnsafe(8);
    b.writeBigUInt64BE(BigInt(len));
    out.bytes(b);
  }
}

/** string2ll for the short strings rdbTryIntegerEncoding looks at (len <= 11): the value, or null. */
function shortInt(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 11) return null;
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) { if (n === 1) return null; neg = true; i = 1; }
  const c0 = s.charCodeAt(i);
  if (c0 === 48) return n === 1 ? 0 : null;
  if (c0 < 49 || c0 > 57) return null;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  return neg ? -v : v;
}

/** rdbEncodeInteger: write v as an encoded integer if it fits 32 bits; false otherwise. */
export function writeEncodedInt(out: ByteSink, v: number): boolean {
  if (v >= -128 && v <= 127) { out.byte(0xc0 | RDB_ENC_INT8); out.byte(v & 0xff); return true; }
  if (v >= -32768 && v <= 32767) { out.byte(0xc0 | RDB_ENC_INT16); out.byte(v & 0xff); out.byte((v >> 8) & 0xff); return true; }
  if (v >= -2147483648 && v <= 2147483647) {
    out.byte(0xc0 | RDB_ENC_INT32);
    out.byte(v & 0xff); out.byte((v >> 8) & 0xff); out.byte((v >> 16) & 0xff); out.byte((v >>> 24) & 0xff);
    return true;
  }
  return false;
}

/** rdbSaveLzfBlob */
export function writeLzfBlob(out: ByteSink, data: Uint8Array, clen: number, origLen: number): void {
  out.byte(0xc0 | RDB_ENC_LZF);
  writeLen(out, clen);
  writeLen(out, origLen);
  out.bytes(data, 0, clen);
}

let scratch = Buffer.allocUnsafe(1024);

/** rdbSaveLzfStringObject: true when written compressed (it must save more than 4 bytes). */
function tryLzf(out: ByteSink, data: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len <= 4) return false;
  const outLen = len - 4;
  if (scratch.length < outLen + 1) scratch = Buffer.allocUnsafe(Math.max(outLen + 1, scratch.length * 2));
  const clen = lzfCompress(data, scratch, outLen, start, end);
  if (clen === 0) return false;
  writeLzfBlob(out, scratch, clen, len);
  return true;
}

/** rdbSaveRawString for a latin1 string. */
export function writeString(out: ByteSink, s: string, compress: boolean): void {
  const len = s.length;
  if (len <= 11) {
    const v = shortInt(s);
    if (v !== null && writeEncodedInt(out, v)) return;
  }
  if (compress && len > 20 && tryLzf(out, Buffer.from(s, 'latin1'), 0, len)) return;
  writeLen(out, len);
  if (len > 0) out.latin1(s);
}

/** rdbSaveRawString for bytes b[start,end) (listpacks, intsets, MutableStrings). */
export function writeBytes(out: ByteSink, b: Buffer, compress: boolean, start = 0, end = b.length): void {
  const len = end - start;
  if (len <= 11) {
    const v = shortInt(b.latin1Slice(start, end));
    if (v !== null && writeEncodedInt(out, v)) return;
  }
  if (compress && len > 20 && tryLzf(out, b, start, end)) return;
  writeLen(out, len);
  if (len > 0) out.bytes(b, start, end);
}

const dbl = Buffer.allocUnsafe(8);

/** rdbSaveBinaryDoubleValue (little-endian IEEE 754) */
export function writeBinaryDouble(out: ByteSink, d: number): void {
  dbl.writeDoubleLE(d, 0);
  out.bytes(dbl);
}

/** rdbSaveMillisecondTime (int64 little-endian) */
export function writeMsTime(out: ByteSink, ms: number): void {
  dbl.writeBigInt64LE(BigInt(ms), 0);
  out.bytes(dbl);
}

/** The bytes of an LZF compression of data[0,len) into at most outLen bytes (quicklist nodes), or null. */
export function lzfInto(data: Uint8Array, outLen: number): { buf: Buffer; len: number } | null {
  const buf = Buffer.allocUnsafe(outLen + 1);
  const len = lzfCompress(data, buf, outLen);
  return len === 0 ? null : { buf, len };
}
