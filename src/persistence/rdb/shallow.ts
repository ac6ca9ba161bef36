/*
 * rdbLoadObject without deep sanitization (sanitize-dump-payload no, the
 * default; "clients" for RDB files and the master's stream): what Redis
 * 7.0 checks, what it refuses, and where it crashes while loading, for the
 * encodings it would keep as bytes: listpack hashes and sorted sets,
 * intsets, quicklist-2 listpack nodes, stream nodes, plain hashes (whose
 * duplicate fields only deep sanitization looks for). The other encodings
 * (ziplists, zipmaps, plain lists, sets and sorted sets, strings) are
 * checked in full by Redis too.
 *
 * decodeValue calls shallowLoad only after Nodis's own (always deep) decode
 * failed, from the same position: shallowLoad then either
 *   - throws RdbError with Redis's reason: Redis refuses the value too;
 *   - throws EmptyKeyError: Redis sees an empty collection;
 *   - throws RdbCrash: Redis dies while loading it (an assertion or a panic
 *     in the code that converts or walks it: lpFirst, the stream edge ID of
 *     an old-format stream, a conversion meeting duplicates);
 *   - or returns, having consumed the value's bytes: Redis accepts it, and
 *     the caller keeps a corrupt stand-in (types/corrupt.ts) with the crash
 *     Redis would have when a command reads it.
 */
import {
  QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN, RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_SET_INTSET, RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_ZSET_LISTPACK,
} from './constants.js';
import type { LoadContext } from './decode.js';
import { lpBuild, lpHeaderOk, lpScan, type LpScan } from './listpack.js';
import { RdbError, eofError, readBlob, readCount, readLen, readMsTime, readString, strtod, type ByteReader } from './reader-bytes.js';
import { readId, readLenBig, readRawId } from './stream.js';
import { isCanonicalInt } from '../../types/string.js';

/** Redis dies here while loading: serverAssert ("file:line 'expr'") or serverPanic (message #file:line). */
export class RdbCrash extends RdbError {
  constructor(readonly kind: 'assert' | 'panic', readonly where: string, readonly before: readonly LogPart[] = []) {
    super(kind === 'assert' ? `assertion ${where} failed` : `panic: ${where}`);
    this.name = 'RdbCrash';
  }
}

/** A line Redis logs before it crashes: a log line, or raw text (a hex dump). */
export type LogPart = string | { raw: string };

/** How a value accepted by shallowLoad would crash Redis later (where: null when Redis may well not crash on it). */
export interface ShallowResult {
  encoding: string;
  kind: 'assert' | 'panic';
  where: string | null;
}

/** The RDB types whose checks depend on deep sanitization. */
export const SHALLOW_TYPES: ReadonlySet<number> = new Set([
  RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_SET_INTSET, RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2,
]);

const LP_NEXT = "listpack.c:1276 'lpValidateNext(lp, &p, lpbytes)'";
const LP_NULL = "listpack.c:475 'p'";
const STREAM_INT = "t_stream.c:281 'ret != 0'";
const lpAssert = (): RdbCrash => new RdbCrash('assert', LP_NEXT);
const later = (encoding: string, where: string | null = LP_NEXT): ShallowResult => ({ encoding, kind: 'assert', where });

/** Redis's empty-key outcome (a local import would cycle through decode.ts). */
export type EmptyKeyCtor = new () => RdbError;

/** Check a value of a SHALLOW_TYPES type as Redis loads it without deep sanitization (see the file comment). */
export function shallowLoad(type: number, r: ByteReader, ctx: LoadContext, Empty: EmptyKeyCtor): ShallowResult {
  switch (type) {
    case RDB_TYPE_HASH: return hashPlain(r, ctx, Empty);
    case RDB_TYPE_HASH_LISTPACK: return pairsListpack(r, ctx, Empty, 'hash');
    case RDB_TYPE_ZSET_LISTPACK: return pairsListpack(r, ctx, Empty, 'zset');
    case RDB_TYPE_SET_INTSET: return intset(r, ctx);
    case RDB_TYPE_LIST_QUICKLIST_2: return quicklist2(r, Empty);
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2: return stream(type, r);
    default: throw new RdbError(`Unknown RDB encoding type ${type}`);
  }
}

/** lpLength: the header's count, or a walk (asserting on a bad entry) when it says 65535. */
function lpLength(b: Buffer, s: number, scan: () => LpScan): number {
  const n = b.readUInt16LE(s + 4);
  if (n !== 65535) return n;
  const sc = scan();
  if (!sc.walked) throw lpAssert();
  return sc.items.length;
}

/** The listpack hex dump serverLogHexDump writes before the panic: a header line, then the hex (raw), then a newline. */
function hexDump(descr: string, b: Buffer, s = 0, e = b.length): LogPart[] {
  return [`${descr} (hexdump of ${e - s} bytes):`, { raw: b.subarray(s, e).toString('hex') + '\n' }];
}

// ---- hashes, sorted sets, sets, lists ---------------------------------------------

function hashPlain(r: ByteReader, ctx: LoadContext, Empty: EmptyKeyCtor): ShallowResult {
  const n = readCount(r, 2);
  if (n === 0) throw new Empty();
  let ht = n > ctx.hashMaxEntries;
  const seen = new Set<string>();
  const items: string[] = [];
  let dup = false;
  for (let i = 0; i < n; i++) {
    const f = readString(r);
    const v = readString(r);
    if (!ht && (f.length > ctx.hashMaxValue || v.length > ctx.hashMaxValue)) {
      // hashTypeConvert of a listpack holding duplicates
      if (dup) throw new RdbCrash('panic', 'Listpack corruption detected #t_hash.c:477', hexDump('listpack with dup elements dump', lpBuild(items)));
      ht = true;
    }
    if (!ht) items.push(f, v);
    if (seen.has(f)) {
      if (ht) throw new RdbError('Duplicate hash fields detected');
      dup = true;
    }
    seen.add(f);
  }
  return later(ht ? 'hashtable' : 'listpack', null);
}

function pairsListpack(r: ByteReader, ctx: LoadContext, Empty: EmptyKeyCtor, kind: 'hash' | 'zset'): ShallowResult {
  const [b, s, e] = readBlob(r);
  if (!lpHeaderOk(b, s, e)) throw new RdbError(kind === 'hash' ? 'Hash listpack integrity check failed.' : 'Zset listpack integrity check failed.');
  let sc: LpScan | null = null;
  const scan = (): LpScan => (sc ??= lpScan(b, s, e));
  const len = Math.floor(lpLength(b, s, scan) / 2);
  if (len === 0) throw new Empty();
  const max = kind === 'hash' ? ctx.hashMaxEntries : ctx.zsetMaxEntries;
  if (len <= max) return later('listpack');
  // converted while loading: every entry is walked and added to a dict
  const all = scan();
  if (!all.walked || all.items.length % 2 !== 0) throw lpAssert();
  const seen = new Set<string>();
  for (let i = 0; i < all.items.length; i += 2) {
    const m = all.items[i]!;
    if (kind === 'zset' && Number.isNaN(strtod(all.items[i + 1]!))) throw new RdbCrash('assert', "t_zset.c:138 '!isnan(score)'");
    if (seen.has(m)) {
      if (kind === 'zset') throw new RdbCrash('assert', "t_zset.c:1203 'dictAdd(zs->dict,ele,&node->score) == DICT_OK'");
      throw new RdbCrash('panic', 'Listpack corruption detected #t_hash.c:477', hexDump('listpack with dup elements dump', b, s, e));
    }
    seen.add(m);
  }
  return later(kind === 'hash' ? 'hashtable' : 'skiplist');
}

function intset(r: ByteReader, ctx: LoadContext): ShallowResult {
  const [b, s, e] = readBlob(r);
  const size = e - s;
  const enc = size >= 8 ? b.readUInt32LE(s) : 0;
  const n = size >= 8 ? b.readUInt32LE(s + 4) : 0;
  if ((enc !== 2 && enc !== 4 && enc !== 8) || 8 + n * enc !== size || n === 0) throw new RdbError('Intset integrity check failed.');
  if (n <= ctx.setMaxIntset) return later('intset', null);
  // setTypeConvert: a duplicate fails dictAdd
  const seen = new Set<bigint>();
  for (let i = 0, p = s + 8; i < n; i++, p += enc) {
    const v = enc === 2 ? BigInt(b.readInt16LE(p)) : enc === 4 ? BigInt(b.readInt32LE(p)) : b.readBigInt64LE(p);
    if (seen.has(v)) throw new RdbCrash('assert', "t_set.c:255 'dictAdd(d,element,NULL) == DICT_OK'");
    seen.add(v);
  }
  return later('hashtable');
}

function quicklist2(r: ByteReader, Empty: EmptyKeyCtor): ShallowResult {
  const nodes = readCount(r);
  if (nodes === 0) throw new Empty();
  let total = 0;
  for (let k = 0; k < nodes; k++) {
    const container = readLen(r);
    if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
      throw new RdbError('Quicklist integrity check failed.');
    }
    const [b, s, e] = readBlob(r);
    if (e === s) throw eofError(); // refused without a report
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) { total++; continue; }
    if (!lpHeaderOk(b, s, e)) throw new RdbError('Listpack integrity check failed.');
    total += lpLength(b, s, () => lpScan(b, s, e));
  }
  if (total === 0) throw new Empty();
  return later('quicklist');
}

// ---- streams ------------------------------------------------------------------

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

/** lpGetInteger as the stream code uses it: an integer entry, or a string string2ll accepts; else an assertion. */
function lpInt(items: string[], i: number | null): bigint {
  if (i === null) throw new RdbCrash('assert', LP_NULL);
  const s = items[i]!;
  if (!isCanonicalInt(s)) throw new RdbCrash('assert', STREAM_INT);
  return BigInt(s);
}

/**
 * streamGetEdgeID(s, first, skip tombstones) over nodes that passed the
 * shallow checks, as streamIteratorGetID walks them (lpFirst / lpNext assert
 * on an invalid entry or a missing one): true when a live entry exists.
 */
function firstLiveEntry(nodes: LpScan[]): boolean {
  for (const node of nodes) {
    const items = node.items;
    const next = (i: number | null): number | null => {
      if (i === null) throw new RdbCrash('assert', LP_NULL);
      if (i + 1 < items.length) return i + 1;
      if (node.walked) return null;
      throw lpAssert();
    };
    let e = next(-1); // lpFirst: count
    e = next(e); // deleted
    e = next(e); // number of master fields
    const mfc = lpInt(items, e);
    e = next(e); // first master field
    for (let i = 0n; i < mfc; i++) e = next(e);
    for (;;) {
      e = next(e); // past the master terminator or the previous entry's lp-count
      if (e === null) break;
      const flags = lpInt(items, e);
      e = next(e);
      lpInt(items, e); // ms delta
      e = next(e);
      lpInt(items, e); // seq delta
      e = next(e);
      let nf = mfc;
      if (!(flags & BigInt(FLAG_SAMEFIELDS))) { nf = lpInt(items, e); e = next(e); }
      if (nf < 0n) throw new RdbCrash('assert', "t_stream.c:1196 '*numfields>=0'");
      if (!(flags & BigInt(FLAG_DELETED))) return true;
      const discard = flags & BigInt(FLAG_SAMEFIELDS) ? nf : nf * 2n;
      for (let i = 0n; i < discard; i++) e = next(e);
    }
  }
  return false;
}

function stream(type: number, r: ByteReader): ShallowResult {
  const v2 = type === RDB_TYPE_STREAM_LISTPACKS_2;
  const count = readLenBig(r);
  const byKey = new Map<bigint, LpScan>();
  for (let i = 0n; i < count; i++) {
    const key = readString(r);
    if (key.length !== 16) throw new RdbError('Stream node key entry is not the size of a stream ID');
    const [b, s, e] = readBlob(r);
    if (!lpHeaderOk(b, s, e)) throw new RdbError('Stream listpack integrity check failed.');
    if (b[s + 6] === 0xff) throw new RdbError('Empty listpack inside stream');
    const scan = lpScan(b, s, e);
    if (scan.items.length === 0) throw lpAssert(); // lpFirst's check of the first entry
    const id = BigInt('0x' + Buffer.from(key, 'latin1').toString('hex'));
    if (byKey.has(id)) throw new RdbError('Listpack re-added with existing key');
    byKey.set(id, scan);
  }
  const nodes = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => byKey.get(k)!);
  const length = readLenBig(r);
  readId(r); // last ID
  // the old format has no first ID: Redis looks for it now, walking the nodes
  if (v2) { readId(r); readId(r); readLenBig(r); } else firstLiveEntry(nodes);
  if (length > 0n && nodes.length === 0) throw new RdbError('Stream length inconsistent with rax entries');
  const ngroups = readLenBig(r);
  const names = new Set<string>();
  for (let g = 0n; g < ngroups; g++) {
    const name = readString(r);
    readId(r);
    if (v2) readLenBig(r);
    if (names.has(name)) throw new RdbError(`Duplicated consumer group name ${name}`);
    names.add(name);
    const pel = new Set<bigint>();
    const pelSize = readLenBig(r);
    for (let i = 0n; i < pelSize; i++) {
      const id = readRawId(r);
      readMsTime(r);
      readLenBig(r);
      if (pel.has(id)) throw new RdbError('Duplicated global PEL entry loading stream consumer group');
      pel.add(id);
    }
    const consumers = new Set<string>();
    const nconsumers = readLenBig(r);
    for (let c = 0n; c < nconsumers; c++) {
      const cname = readString(r);
      if (consumers.has(cname)) throw new RdbError('Duplicate stream consumer detected.');
      consumers.add(cname);
      readMsTime(r);
      const own = new Set<bigint>();
      const n = readLenBig(r);
      for (let i = 0n; i < n; i++) {
        const id = readRawId(r);
        if (!pel.has(id)) throw new RdbError('Consumer entry not found in group global PEL');
        if (own.has(id)) throw new RdbError('Duplicated consumer PEL entry  loading a stream consumer group');
        own.add(id);
      }
    }
  }
  // how it fails later: a stream whose length counts entries it has not has no last valid ID
  let live = false;
  try { live = firstLiveEntry(nodes); } catch { /* an entry Redis asserts on */ }
  if (length > 0n && !live) return { encoding: 'stream', kind: 'panic', where: `Corrupt stream, length is ${length}, but no max id #t_stream.c:1372` };
  return later('stream');
}
