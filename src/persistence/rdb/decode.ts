/*
 * Value deserialization (rdbLoadObject): every value type Redis 7.0 loads,
 * new and old encodings, into Nodis values with the encoding Redis would
 * give them under the current thresholds (LoadContext):
 *   strings; lists (quicklist 2 of listpacks or plain nodes, quicklist 1 of
 *   ziplists, a single ziplist, the old plain list); hashes (listpack,
 *   ziplist, zipmap, plain); sets (intset, plain); sorted sets (listpack,
 *   ziplist, binary doubles ZSET_2, string doubles ZSET).
 * Validation is always deep (structure, counts, duplicates): a value that
 * would break Nodis's invariants is refused with an RdbError, which RESTORE
 * reports as "Bad data format". Empty collections throw EmptyKeyError (the
 * loader skips them as Redis does; an empty stream is a value). Streams:
 * stream.ts. Modules are not supported.
 */
import type { Value } from '../../types/value.js';
import { List } from '../../types/list.js';
import { flat, HashValue } from '../../types/hash.js';
import { memberInt, SetValue, intsetLimit } from '../../types/set.js';
import { ZSet } from '../../types/zset.js';
import { lpPack } from '../../types/listpack.js';
import { MutableString } from '../../types/string.js';
import {
  QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN, RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST, RDB_TYPE_HASH_ZIPMAP, RDB_TYPE_LIST, RDB_TYPE_LIST_QUICKLIST, RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST, RDB_TYPE_MODULE, RDB_TYPE_MODULE_2, RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2, RDB_TYPE_STRING, RDB_TYPE_ZSET, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from './constants.js';
import { lpParse } from './listpack.js';
import { decodeStream } from './stream.js';
import { intsetParse } from './intset.js';
import { zipmapParse, zlParse } from './ziplist.js';
import {
  type ByteReader, RdbError, readBinaryDouble, readBlob, readCount, readLen, readString, readStringDouble, readStringOrBytes, strtod,
} from './reader-bytes.js';

/** The encoding thresholds loaded values are converted under (server config). */
export interface LoadContext {
  hashMaxEntries: number;
  hashMaxValue: number;
  setMaxIntset: number;
  zsetMaxEntries: number;
  zsetMaxValue: number;
}

export const DEFAULT_LOAD_CONTEXT: LoadContext = {
  hashMaxEntries: 512, hashMaxValue: 64, setMaxIntset: 512, zsetMaxEntries: 128, zsetMaxValue: 64,
};

/** The thresholds from a server config. */
export function loadContextOf(config: { num(n: string): number }): LoadContext {
  return {
    hashMaxEntries: config.num('hash-max-listpack-entries'),
    hashMaxValue: config.num('hash-max-listpack-value'),
    setMaxIntset: config.num('set-max-intset-entries'),
    zsetMaxEntries: config.num('zset-max-listpack-entries'),
    zsetMaxValue: config.num('zset-max-listpack-value'),
  };
}

/** A value that decoded to an empty collection (Redis skips such keys when loading a file). */
export class EmptyKeyError extends RdbError {
  constructor() { super('empty key'); this.name = 'EmptyKeyError'; }
}

/** A string value; past a JS string's length, its bytes as a mutable string (GET and friends reply from them). */
export function readStringValue(r: ByteReader): string | MutableString {
  const v = readStringOrBytes(r);
  if (typeof v === 'string') return v;
  const m = new MutableString('');
  m.buf = v;
  m.len = v.length;
  return m;
}

/** rdbLoadObject */
export function decodeValue(type: number, r: ByteReader, ctx: LoadContext = DEFAULT_LOAD_CONTEXT): Value {
  switch (type) {
    case RDB_TYPE_STRING: return readStringValue(r);
    case RDB_TYPE_LIST: {
      const n = readCount(r);
      if (n === 0) throw new EmptyKeyError();
      const l = new List(n);
      for (let i = 0; i < n; i++) l.pushTail(readString(r));
      return l;
    }
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: return decodeQuicklist(type, r);
    case RDB_TYPE_LIST_ZIPLIST: {
      const items = blob(r, zlParse, 'List ziplist integrity check failed.');
      if (items.length === 0) throw new EmptyKeyError();
      return List.from(items);
    }
    case RDB_TYPE_SET: return decodeSet(r, ctx);
    case RDB_TYPE_SET_INTSET: {
      const [b, s, e] = readBlob(r);
      const ints = intsetParse(b, s, e);
      if (ints === null) throw new RdbError('Intset integrity check failed.');
      if (ints.length === 0) throw new EmptyKeyError();
      const set = new SetValue(false);
      set.ints = ints;
      set.n = ints.length;
      if (ints.length > ctx.setMaxIntset) set.convert();
      return set;
    }
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: return decodeZsetPlain(type, r, ctx);
    case RDB_TYPE_ZSET_LISTPACK:
    case RDB_TYPE_ZSET_ZIPLIST: {
      const items = type === RDB_TYPE_ZSET_LISTPACK
        ? blob(r, lpParse, 'Zset listpack integrity check failed.')
        : blob(r, zlParse, 'Zset ziplist integrity check failed.');
      return zsetFromPairs(items, ctx);
    }
    case RDB_TYPE_HASH: return decodeHashPlain(r, ctx);
    case RDB_TYPE_HASH_LISTPACK:
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_ZIPMAP: {
      let items: string[];
      if (type === RDB_TYPE_HASH_LISTPACK) items = blob(r, lpParse, 'Hash listpack integrity check failed.');
      else if (type === RDB_TYPE_HASH_ZIPLIST) items = blob(r, zlParse, 'Hash ziplist integrity check failed.');
      else items = blob(r, zipmapParse, 'Zipmap integrity check failed.');
      return hashFromPairs(items, ctx, type === RDB_TYPE_HASH_ZIPMAP);
    }
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2: return decodeStream(type, r);
    case RDB_TYPE_MODULE:
    case RDB_TYPE_MODULE_2: throw new RdbError('The RDB file contains module data, but modules are not supported');
    default: throw new RdbError(`Unknown RDB encoding type ${type}`);
  }
}

function blob(r: ByteReader, parse: (b: Buffer, s: number, e: number) => string[] | null, msg: string): string[] {
  const [b, s, e] = readBlob(r);
  const items = parse(b, s, e);
  if (items === null) throw new RdbError(msg);
  return items;
}

// ---- lists ------------------------------------------------------------------

function decodeQuicklist(type: number, r: ByteReader): List {
  const nodes = readCount(r);
  if (nodes === 0) throw new EmptyKeyError();
  const l = new List();
  for (let k = 0; k < nodes; k++) {
    let container = QUICKLIST_NODE_CONTAINER_PACKED;
    if (type === RDB_TYPE_LIST_QUICKLIST_2) {
      container = readLen(r);
      if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
        throw new RdbError('Quicklist integrity check failed.');
      }
    }
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      const s = readString(r);
      if (s.length === 0) throw new RdbError('Quicklist integrity check failed.');
      l.pushTail(s);
      continue;
    }
    const [b, s, e] = readBlob(r);
    if (e === s) throw new RdbError('Quicklist integrity check failed.');
    const items = type === RDB_TYPE_LIST_QUICKLIST_2 ? lpParse(b, s, e) : zlParse(b, s, e);
    if (items === null) {
      throw new RdbError(type === RDB_TYPE_LIST_QUICKLIST_2 ? 'Listpack integrity check failed.' : 'Ziplist integrity check failed.');
    }
    for (let i = 0; i < items.length; i++) l.pushTail(items[i]!);
  }
  if (l.length === 0) throw new EmptyKeyError();
  return l;
}

// ---- sets -------------------------------------------------------------------

function decodeSet(r: ByteReader, ctx: LoadContext): SetValue {
  const n = readCount(r);
  if (n === 0) throw new EmptyKeyError();
  const set = new SetValue(n > intsetLimit(ctx.setMaxIntset));
  for (let i = 0; i < n; i++) {
    const m = readString(r);
    let added: boolean;
    if (set.t === null && memberInt(m) === null) set.convert();
    if (set.t !== null) added = set.t.add(m);
    else added = set.add(m, Infinity);
    if (!added) throw new RdbError('Duplicate set members detected');
  }
  return set;
}

// ---- hashes -------------------------------------------------------------------

function decodeHashPlain(r: ByteReader, ctx: LoadContext): HashValue {
  const n = readCount(r, 2);
  if (n === 0) throw new EmptyKeyError();
  const h = new HashValue();
  if (n > ctx.hashMaxEntries) h.convert();
  const items: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const f = readString(r);
    const v = readString(r);
    const t = h.t;
    if (t === null) {
      if (f.length > ctx.hashMaxValue || v.length > ctx.hashMaxValue) {
        h.convert();
        const t2 = h.t!;
        for (let j = 0; j < items.length; j += 2) t2.set(items[j]!, items[j + 1]!);
        if (!t2.set(f, v)) throw new RdbError('Duplicate hash fields detected');
        continue;
      }
      if (seen.has(f)) throw new RdbError('Hash with dup elements');
      seen.add(f);
      items.push(f, v);
    } else if (!t.set(f, v)) throw new RdbError('Duplicate hash fields detected');
  }
  if (h.t === null) { h.lp = flat(lpPack(items)); h.n = items.length / 2; }
  return h;
}

function hashFromPairs(items: string[], ctx: LoadContext, zipmap: boolean): HashValue {
  if (items.length % 2 !== 0) throw new RdbError('Hash listpack integrity check failed.');
  const n = items.length / 2;
  if (n === 0) throw new EmptyKeyError();
  const seen = new Set<string>();
  let maxLen = 0;
  for (let i = 0; i < items.length; i += 2) {
    const f = items[i]!;
    if (seen.has(f)) throw new RdbError(zipmap ? `Hash zipmap with dup elements, or big length (${f.length})` : 'Hash with dup elements');
    seen.add(f);
    if (f.length > maxLen) maxLen = f.length;
    if (items[i + 1]!.length > maxLen) maxLen = items[i + 1]!.length;
  }
  const h = new HashValue(flat(lpPack(items)), n);
  if (n > ctx.hashMaxEntries || (zipmap && maxLen > ctx.hashMaxValue)) h.convert();
  return h;
}

// ---- sorted sets -------------------------------------------------------------------

function sortPairs(members: string[], scores: number[]): void {
  const n = members.length;
  let sorted = true;
  let desc = true;
  for (let i = 1; i < n && (sorted || desc); i++) {
    const c = cmp(scores[i - 1]!, members[i - 1]!, scores[i]!, members[i]!);
    if (c > 0) sorted = false;
    if (c < 0) desc = false;
  }
  if (sorted) return;
  if (desc) { members.reverse(); scores.reverse(); return; }
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => cmp(scores[a]!, members[a]!, scores[b]!, members[b]!));
  const ms = idx.map((i) => members[i]!);
  const ss = idx.map((i) => scores[i]!);
  for (let i = 0; i < n; i++) { members[i] = ms[i]!; scores[i] = ss[i]!; }
}

const cmp = (sa: number, ma: string, sb: number, mb: string): number =>
  sa < sb ? -1 : sa > sb ? 1 : ma < mb ? -1 : ma > mb ? 1 : 0;

function decodeZsetPlain(type: number, r: ByteReader, ctx: LoadContext): ZSet {
  const n = readCount(r, type === RDB_TYPE_ZSET_2 ? 9 : 2);
  if (n === 0) throw new EmptyKeyError();
  const members: string[] = new Array(n);
  const scores: number[] = new Array(n);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const m = readString(r);
    const s = type === RDB_TYPE_ZSET_2 ? readBinaryDouble(r) : readStringDouble(r);
    if (Number.isNaN(s)) throw new RdbError('Zset with NAN score detected');
    if (seen.has(m)) throw new RdbError('Duplicate zset fields detected');
    seen.add(m);
    members[i] = m;
    scores[i] = s;
  }
  sortPairs(members, scores);
  return ZSet.fromSorted(members, scores, { maxEntries: ctx.zsetMaxEntries, maxValue: ctx.zsetMaxValue });
}

function zsetFromPairs(items: string[], ctx: LoadContext): ZSet {
  if (items.length % 2 !== 0) throw new RdbError('Zset listpack integrity check failed.');
  const n = items.length / 2;
  if (n === 0) throw new EmptyKeyError();
  const members: string[] = new Array(n);
  const scores: number[] = new Array(n);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const m = items[2 * i]!;
    const s = strtod(items[2 * i + 1]!);
    if (Number.isNaN(s)) throw new RdbError('Zset listpack integrity check failed.');
    if (seen.has(m)) throw new RdbError('Zset listpack integrity check failed.');
    seen.add(m);
    members[i] = m;
    scores[i] = s;
  }
  sortPairs(members, scores);
  // a listpack stays a listpack unless it has too many entries (element sizes are not checked, as in Redis)
  return ZSet.fromSorted(members, scores, { maxEntries: ctx.zsetMaxEntries, maxValue: Infinity });
}
