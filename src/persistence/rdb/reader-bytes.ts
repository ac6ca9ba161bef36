/*
 * Byte input for the RDB decoder: a cursor ({buf, pos}) and the primitive
 * RDB decodings (rdbLoadLen, rdbGenericLoadStringObject with int and LZF
 * encodings, doubles, ms times). Every read checks bounds and throws
 * RdbError: a short buffer is "Unexpected EOF", a bad encoding a corruption.
 */
import { MAX_JS_STRING } from '../../types/string.js';
import { lzfDecompress } from './lzf.js';
import { RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } from './constants.js';

/** A cursor over an input buffer. */
export interface ByteReader {
  readonly buf: Buffer;
  pos: number;
}

/**
 * A load failure; `message` reads like Redis's log line. `reason` is the
 * short text of Redis's rdbReportError line ("Internal error in RDB reading
 * offset N ... -> <reason>") when the message is a line of its own before
 * it (the CRC check); by default the message is the reason. `plain`: Redis
 * reports it without rdbReportError (bad signature or version: it logs the
 * message, then "Fatal error loading the DB").
 * eof: a short read (or a length nothing could hold), which a RESTORE
 * refuses without a report.
 */
export class RdbError extends Error {
  constructor(message: string, readonly eof = false, readonly reason?: string, readonly plain = false) { super(message); this.name = 'RdbError'; }
}

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

/** Where the input would have had to end for the read that failed (-1: not known); for a streaming load (RdbFeed). */
let eofNeed = -1;
export const eofNeeded = (): number => eofNeed;

export const eofError = (needEnd = -1): RdbError => { eofNeed = needEnd; return new RdbError('Unexpected EOF reading RDB file', true); };

export function need(r: ByteReader, n: number): void {
  if (r.pos + n > r.buf.length) throw eofError(r.pos + n);
}

export function readByte(r: ByteReader): number {
  if (r.pos >= r.buf.length) throw eofError(r.pos + 1);
  return r.buf[r.pos++]!;
}

/** Set by readLenRaw: the length byte announced a special string encoding (rdbLoadLenByRef's isencoded). */
let lenEncoded = false;

/** rdbLoadLen; sets lenEncoded when the length is a special encoding (then the value is the encoding type). */
export function readLenRaw(r: ByteReader): number {
  const buf = r.buf;
  if (r.pos >= buf.length) throw eofError(r.pos + 1);
  const b0 = buf[r.pos++]!;
  const type = b0 >> 6;
  lenEncoded = false;
  if (type === 0) return b0 & 0x3f;
  if (type === 1) {
    if (r.pos >= buf.length) throw eofError(r.pos + 1);
    return ((b0 & 0x3f) << 8) | buf[r.pos++]!;
  }
  if (type === 3) { lenEncoded = true; return b0 & 0x3f; }
  if (b0 === 0x80) {
    need(r, 4);
    const v = buf.readUInt32BE(r.pos);
    r.pos += 4;
    return v;
  }
  if (b0 === 0x81) {
    need(r, 8);
    const v = buf.readBigUInt64BE(r.pos);
    r.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbError(`Length ${v} is too large`, true);
    return Number(v);
  }
  throw new RdbError(`Unknown length encoding ${type} in rdbLoadLen()`);
}

/** rdbLoadLen for a plain length: as Redis's, an encoded-value byte reads as its low 6 bits. */
export function readLen(r: ByteReader): number {
  return readLenRaw(r);
}

/** A length/count that must fit what follows (each item takes at least `min` bytes): guards huge allocations. */
export function readCount(r: ByteReader, min = 1): number {
  const n = readLen(r);
  if (n * min > r.buf.length - r.pos) throw eofError(r.pos + n * min);
  return n;
}


/**
 * rdbGenericLoadStringObject: the string's bytes, left in spanBuf[spanStart,
 * spanEnd): a view into the input when stored verbatim, or a fresh buffer
 * (int or LZF encodings).
 */
let spanBuf: Buffer = Buffer.alloc(0);
let spanStart = 0;
let spanEnd = 0;

function readStringSpan(r: ByteReader): void {
  const len = readLenRaw(r);
  if (lenEncoded) {
    switch (len) {
      case RDB_ENC_INT8: case RDB_ENC_INT16: case RDB_ENC_INT32: {
        const s = String(readEncodedInt(r, len));
        spanBuf = Buffer.from(s, 'latin1');
        spanStart = 0;
        spanEnd = spanBuf.length;
        return;
      }
      case RDB_ENC_LZF: {
        const clen = readLen(r);
        const ulen = readLen(r);
        need(r, clen);
        // a back reference of 2-3 bytes expands to at most 264: anything claiming more is corrupt (and not allocated)
        if (ulen > clen * 132 + 64) throw new RdbError('Invalid LZF compressed string');
        const out = Buffer.allocUnsafe(ulen);
        if (lzfDecompress(r.buf, r.pos, r.pos + clen, out, ulen) !== ulen) throw new RdbError('Invalid LZF compressed string');
        r.pos += clen;
        spanBuf = out;
        spanStart = 0;
        spanEnd = ulen;
        return;
      }
      default: throw new RdbError(`Unknown RDB string encoding type ${len}`);
    }
  }
  need(r, len);
  spanBuf = r.buf;
  spanStart = r.pos;
  spanEnd = r.pos + len;
  r.pos += len;
}

function readEncodedInt(r: ByteReader, enc: number): number {
  const buf = r.buf;
  if (enc === RDB_ENC_INT8) { need(r, 1); return buf.readInt8(r.pos++); }
  if (enc === RDB_ENC_INT16) { need(r, 2); const v = buf.readInt16LE(r.pos); r.pos += 2; return v; }
  need(r, 4);
  const v = buf.readInt32LE(r.pos);
  r.pos += 4;
  return v;
}

/** A string as latin1 (keys, members, values). */
export function readString(r: ByteReader): string {
  const len = readLenRaw(r);
  if (!lenEncoded) {
    // fast path: verbatim
    const buf = r.buf;
    if (r.pos + len > buf.length) throw eofError(r.pos + len);
    const s = len === 0 ? '' : (buf as Latin1Buffer).latin1Slice(r.pos, r.pos + len);
    r.pos += len;
    return s;
  }
  if (len <= RDB_ENC_INT32) return String(readEncodedInt(r, len));
  r.pos--; // re-read the encoding byte through the general path
  readStringSpan(r);
  if (spanEnd - spanStart > MAX_STRING) throw new RdbError(`a string of ${spanEnd - spanStart} bytes where only a string value may pass ${MAX_STRING}`);
  return (spanBuf as Latin1Buffer).latin1Slice(spanStart, spanEnd);
}

/**
 * A string value: latin1 as readString, or, past V8's string limit, its
 * bytes in a Buffer of their own (the caller makes it a MutableString).
 */
export function readStringValue(r: ByteReader): string | Buffer {
  const at = r.pos;
  const len = readLenRaw(r);
  if (!lenEncoded && len <= MAX_STRING) {
    // fast path: verbatim, as readString
    const buf = r.buf;
    if (r.pos + len > buf.length) throw eofError(r.pos + len);
    const s = len === 0 ? '' : (buf as Latin1Buffer).latin1Slice(r.pos, r.pos + len);
    r.pos += len;
    return s;
  }
  r.pos = at;
  if (lenEncoded && len <= RDB_ENC_INT32) return readString(r);
  readStringSpan(r);
  if (spanEnd - spanStart <= MAX_STRING) return (spanBuf as Latin1Buffer).latin1Slice(spanStart, spanEnd);
  // an LZF string was expanded into a buffer of its own; a verbatim one is a view of the input: copied
  return spanBuf !== r.buf && spanStart === 0 && spanEnd === spanBuf.length ? spanBuf : Buffer.from(spanBuf.subarray(spanStart, spanEnd));
}
const MAX_STRING = MAX_JS_STRING;

/** A string as bytes (listpack, ziplist, intset blobs): [buffer, start, end]. */
export function readBlob(r: ByteReader): [Buffer, number, number] {
  readStringSpan(r);
  return [spanBuf, spanStart, spanEnd];
}


/** rdbLoadBinaryDoubleValue */
export function readBinaryDouble(r: ByteReader): number {
  need(r, 8);
  const v = r.buf.readDoubleLE(r.pos);
  r.pos += 8;
  return v;
}

/** strtod as Redis applies it to score strings: inf/nan words, a decimal prefix, 0 when nothing parses. */
export function strtod(s: string): number {
  const t = s.trimStart();
  const m = /^([+-]?)(inf(inity)?|nan)/i.exec(t);
  if (m) {
    if (m[2]!.toLowerCase() === 'nan') return NaN;
    return m[1] === '-' ? -Infinity : Infinity;
  }
  const n = Number(t);
  if (!Number.isNaN(n) && t !== '') return n;
  const p = parseFloat(t);
  return Number.isNaN(p) ? 0 : p;
}

/** rdbLoadDoubleValue (old RDB_TYPE_ZSET): a length byte (253 nan, 254 +inf, 255 -inf) then the text. */
export function readStringDouble(r: ByteReader): number {
  const len = readByte(r);
  if (len === 255) return -Infinity;
  if (len === 254) return Infinity;
  if (len === 253) return NaN;
  need(r, len);
  const s = (r.buf as Latin1Buffer).latin1Slice(r.pos, r.pos + len);
  r.pos += len;
  // sscanf("%lg") must find a number at the start, else the value is refused (without a report)
  if (!/^\s*[+-]?(\d|\.\d|inf|nan)/i.test(s)) throw new RdbError('Invalid double value', true);
  return strtod(s);
}

/** rdbLoadMillisecondTime (little-endian int64) */
export function readMsTime(r: ByteReader): number {
  need(r, 8);
  const v = r.buf.readBigInt64LE(r.pos);
  r.pos += 8;
  return Number(v);
}
