/*
 * Value serialization as Redis 7.0's rdbSaveObjectType + rdbSaveObject write
 * it: the type byte, then the payload, in the encoding Redis would hold the
 * value in:
 *   string            -> RDB_TYPE_STRING (rdbSaveRawString)
 *   list              -> RDB_TYPE_LIST_QUICKLIST_2: the elements split into
 *                        listpack nodes as quicklistPushTail fills them under
 *                        list-max-listpack-size (interior nodes LZF-compressed
 *                        under list-compress-depth, as Redis keeps them)
 *   hash  listpack    -> RDB_TYPE_HASH_LISTPACK (the listpack bytes)
 *         hashtable   -> RDB_TYPE_HASH (count, field, value ...)
 *   set   intset      -> RDB_TYPE_SET_INTSET (the intset bytes)
 *         hashtable   -> RDB_TYPE_SET (count, member ...)
 *   zset  listpack    -> RDB_TYPE_ZSET_LISTPACK (member, score ... listpack)
 *         skiplist    -> RDB_TYPE_ZSET_2 (count, then member + binary double
 *                        from the greatest element to the smallest)
 *   stream            -> RDB_TYPE_STREAM_LISTPACKS_2 (stream.ts)
 */
import { corruptInfo } from '../../types/corrupt.js';
import type { Value } from '../../types/value.js';
import { MutableString } from '../../types/string.js';
import type { List } from '../../types/list.js';
import type { HashValue } from '../../types/hash.js';
import type { SetValue } from '../../types/set.js';
import type { ZSet } from '../../types/zset.js';
import type { Stream } from '../../types/stream.js';
import { formatDouble } from '../../protocol/reply.js';
import { encodeStream } from './stream.js';
import {
  QUICKLIST_NODE_CONTAINER_PACKED, RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET, RDB_TYPE_STRING, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_LISTPACK,
} from './constants.js';
import { backlenSize, lpBuild, lpEncodedSize, LP_HDR_SIZE } from './listpack.js';
import { intsetBuild } from './intset.js';
import {
  type ByteSink, lzfInto, writeBinaryDouble, writeBytes, writeLen, writeLzfBlob, writeString,
} from './writer-bytes.js';

/** Settings that shape the bytes (rdbcompression, list-max-listpack-size, list-compress-depth). */
export interface SaveOptions {
  compression: boolean;
  listFill: number;
  listCompressDepth: number;
}

export const DEFAULT_SAVE_OPTIONS: SaveOptions = { compression: true, listFill: -2, listCompressDepth: 0 };

/** The save options from a server config. */
export function saveOptionsOf(config: { num(n: string): number; bool(n: string): boolean }): SaveOptions {
  return {
    compression: config.bool('rdbcompression'),
    listFill: config.num('list-max-listpack-size'),
    listCompressDepth: config.num('list-compress-depth'),
  };
}

export class UnsupportedValueError extends Error {}

/** rdbSaveObjectType + rdbSaveObject */
export function encodeValue(v: Value, out: ByteSink, opts: SaveOptions = DEFAULT_SAVE_OPTIONS): void {
  if (typeof v === 'string') {
    out.byte(RDB_TYPE_STRING);
    writeString(out, v, opts.compression);
    return;
  }
  if (v instanceof MutableString) {
    out.byte(RDB_TYPE_STRING);
    writeBytes(out, v.buf, opts.compression, 0, v.len);
    return;
  }
  const corrupt = corruptInfo(v);
  if (corrupt !== undefined) { out.bytes(corrupt.raw); return; } // the bytes it was loaded from, as Redis saves them
  switch (v.type) {
    case 'list': encodeList(v as List, out, opts); return;
    case 'hash': encodeHash(v as HashValue, out, opts); return;
    case 'set': encodeSet(v as SetValue, out, opts); return;
    case 'zset': encodeZset(v as ZSet, out, opts); return;
    case 'stream': encodeStream(v as Stream, out, opts.compression); return;
    default: throw new UnsupportedValueError(`cannot serialize a ${v.type} value yet`);
  }
}

// ---- lists ------------------------------------------------------------------

const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;

/** _quicklistNodeAllowInsert for a packed node of `sz` bytes and `count` entries. */
function allowInsert(sz: number, count: number, fill: number, elemLen: number): boolean {
  const newSz = sz + elemLen + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const off = -fill - 1;
    if (off < OPTIMIZATION_LEVEL.length && newSz <= OPTIMIZATION_LEVEL[off]!) return true;
  }
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

/** Split list elements into quicklist nodes as consecutive RPUSHes fill them: [start, end) ranges. */
export function quicklistNodes(l: List, fillOpt: number): number[] {
  const fill = fillOpt > 32767 ? 32767 : fillOpt < -5 ? -5 : fillOpt;
  const cuts: number[] = [0];
  let sz = LP_HDR_SIZE + 1;
  let count = 0;
  for (let i = 0; i < l.length; i++) {
    const s = l.at(i);
    if (count > 0 && !allowInsert(sz, count, fill, s.length)) {
      cuts.push(i);
      sz = LP_HDR_SIZE + 1;
      count = 0;
    }
    const e = lpEncodedSize(s);
    sz += e + backlenSize(e);
    count++;
  }
  cuts.push(l.length);
  return cuts;
}

function encodeList(l: List, out: ByteSink, opts: SaveOptions): void {
  out.byte(RDB_TYPE_LIST_QUICKLIST_2);
  const cuts = quicklistNodes(l, opts.listFill);
  const nodes = cuts.length - 1;
  writeLen(out, nodes);
  const depth = opts.listCompressDepth;
  for (let k = 0; k < nodes; k++) {
    writeLen(out, QUICKLIST_NODE_CONTAINER_PACKED);
    const lp = lpBuild(l.slice(cuts[k]!, cuts[k + 1]! - cuts[k]!));
    if (depth > 0 && nodes >= depth * 2 && k >= depth && k < nodes - depth && lp.length >= MIN_COMPRESS_BYTES) {
      const c = lzfInto(lp, lp.length);
      if (c !== null && c.len + MIN_COMPRESS_IMPROVE < lp.length) {
        writeLzfBlob(out, c.buf, c.len, lp.length);
        continue;
      }
    }
    writeBytes(out, lp, opts.compression);
  }
}

// ---- hashes, sets ---------------------------------------------------------------

function encodeHash(h: HashValue, out: ByteSink, opts: SaveOptions): void {
  if (h.t === null) {
    out.byte(RDB_TYPE_HASH_LISTPACK);
    writeBytes(out, lpBuild(h.pairs()), opts.compression);
    return;
  }
  out.byte(RDB_TYPE_HASH);
  writeLen(out, h.size);
  const c = opts.compression;
  h.forEach((f, v) => { writeString(out, f, c); writeString(out, v, c); });
}

function encodeSet(s: SetValue, out: ByteSink, opts: SaveOptions): void {
  if (s.t === null) {
    out.byte(RDB_TYPE_SET_INTSET);
    writeBytes(out, intsetBuild(s.ints!, s.n), opts.compression);
    return;
  }
  out.byte(RDB_TYPE_SET);
  writeLen(out, s.size);
  const c = opts.compression;
  s.forEach((m) => { writeString(out, m, c); });
}

// ---- sorted sets --------------------------------------------------------------

const HALF_LLONG = 4611686018427387903; // LLONG_MAX / 2 as a double

/** How zzlInsertAt stores a score in a listpack: an integer when double2ll succeeds, else d2string (%.17g). */
export function listpackScore(d: number): string {
  if (Number.isInteger(d) && d >= -HALF_LLONG && d <= HALF_LLONG) {
    if (d === 0) return '0';
    return Math.abs(d) <= Number.MAX_SAFE_INTEGER ? String(d) : BigInt(d).toString();
  }
  return formatDouble(d);
}

function encodeZset(z: ZSet, out: ByteSink, opts: SaveOptions): void {
  const n = z.size;
  if (!z.big) {
    out.byte(RDB_TYPE_ZSET_LISTPACK);
    const items: string[] = new Array(n * 2);
    let i = 0;
    z.each(0, n, false, (m, s) => { items[i++] = m; items[i++] = listpackScore(s); });
    writeBytes(out, lpBuild(items), opts.compression);
    return;
  }
  out.byte(RDB_TYPE_ZSET_2);
  writeLen(out, n);
  const c = opts.compression;
  z.each(n - 1, n, true, (m, s) => { writeString(out, m, c); writeBinaryDouble(out, s); });
}
