/*
 * SORT / SORT_RO (redis/src/sort.c sortCommandGeneric), step by step as Redis:
 *   1. parse options (ASC/DESC/ALPHA/LIMIT/STORE/BY/GET; BY without '*'
 *      means "don't sort"; BY and GET patterns are refused in cluster mode);
 *   2. look the key up (list, set or sorted set; a missing key is an empty
 *      list); a set that is not sorted but stored is sorted ALPHA instead, so
 *      the result is deterministic; a listpack sorted set is converted to the
 *      skiplist encoding (as Redis does, destructively);
 *   3. load the elements (for an unsorted list or sorted set, only the LIMIT
 *      range, in DESC direction if asked), compute the weights (strtod of the
 *      element or of the BY key / hash field; a conversion error is reported
 *      only after sorting), sort (stable, ties broken as sortCompare does);
 *   4. reply the range (GET patterns: '#' is the element, "key*->field" a
 *      hash field), or STORE it as a list (GET misses become "").
 * Sources and destination go through sort-values.ts (the list/zset adapters).
 */
import { KEY_READ } from '../../acl/selector.js';
import type { Client } from '../../server/client.js';
import type { Value } from '../../types/value.js';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../../keyspace/notify.js';
import {
  ERR_NOT_INTEGER, ERR_SORT_BY_CLUSTER, ERR_SORT_GET_CLUSTER, ERR_SORT_SCORE, ERR_SYNTAX, ERR_WRONGTYPE,
} from '../../protocol/errors.js';
import { strOf, type MutableString } from '../../types/string.js';
import type { HashValue } from '../../types/hash.js';
import type { SetValue } from '../../types/set.js';
import type { ZSet } from '../../types/zset.js';
import { toBigInt, toDouble } from '../args.js';
import { clusterEnabled, setKey } from '../generic/common.js';
import { listElements, listLength, listRange, newList } from './sort-values.js';

interface Item { obj: string; score: number; cmp: string | null }

/** lookupKeyByPattern: '#' is the element itself; else substitute the first '*' and read a string key or a hash field. */
function lookupByPattern(c: Client, pattern: string, subst: string): string | null {
  if (pattern === '#') return subst;
  const p = pattern.indexOf('*');
  if (p < 0) return null;
  const f = pattern.indexOf('->', p + 1);
  const field = f >= 0 && f + 2 < pattern.length ? pattern.slice(f + 2) : null;
  const key = pattern.slice(0, p) + subst + pattern.slice(p + 1, field !== null ? f : pattern.length);
  const v = c.db.get(key);
  if (v === undefined) { c.server.keyMiss(c.db, key); return null; }
  c.server.stats.keyspaceHits++;
  if (field !== null) {
    if (typeof v === 'string' || v.type !== 'hash') return null;
    return (v as HashValue).get(field) ?? null;
  }
  if (typeof v === 'string') return v;
  return v.type === 'string' ? strOf(v as MutableString) : null;
}

const DEC_RE = /[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;
const HEX_RE = /[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?/y;
const SPECIAL_RE = /[+-]?(?:infinity|inf|nan(?:\([0-9A-Za-z_]*\))?)/iy;
const DBL_MIN = 2.2250738585072014e-308;

/**
 * The weight of a string as sort.c computes it: strtod (leading spaces
 * skipped, longest numeric prefix), accepted when nothing but the end of the
 * C string follows, without ERANGE, not NaN. null on a conversion error.
 */
export function sortWeight(s: string): number | null {
  let i = 0;
  while (i < s.length) { const ch = s.charCodeAt(i); if (ch === 32 || (ch >= 9 && ch <= 13)) i++; else break; }
  let m: RegExpExecArray | null = null;
  let v = 0;
  for (const re of [HEX_RE, DEC_RE, SPECIAL_RE]) {
    re.lastIndex = i;
    m = re.exec(s);
    if (m !== null) break;
  }
  if (m === null) return s.length === 0 || s.charCodeAt(0) === 0 ? 0 : null;
  const end = i + m[0].length;
  if (end < s.length && s.charCodeAt(end) !== 0) return null;
  const t = m[0];
  if (/n/i.test(t) && !/inf/i.test(t)) return null; // nan
  if (/inf/i.test(t)) return t[0] === '-' ? -Infinity : Infinity;
  if (/^[+-]?0[xX]/.test(t)) {
    const d = toDouble(t);
    if (d === null) return null; // overflow
    v = d;
  } else {
    v = Number(t);
    if (!Number.isFinite(v)) return null; // ERANGE (overflow)
  }
  if (v !== 0 && Math.abs(v) < DBL_MIN) return null; // ERANGE (underflow to a subnormal)
  if (v === 0 && /[1-9]/.test(t.replace(/[eEpP].*$/, '').replace(/^[+-]?0[xX]/, ''))) return null; // underflow to zero
  return v;
}

const binCmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** strcoll in the C / C.UTF-8 locale: byte order of the C strings (up to a NUL). */
function collCmp(a: string, b: string): number {
  const x = a.indexOf('\0');
  const y = b.indexOf('\0');
  return binCmp(x >= 0 ? a.slice(0, x) : a, y >= 0 ? b.slice(0, y) : b);
}

export function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0n;
  let limitCount = -1n;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const gets: string[] = [];
  const argc = argv.length;
  // BY / GET patterns read keys no key spec names: they need read access to every key (ACL)
  const fullKeyAccess = c.user.unrestricted || c.cmd === null || c.server.acl.canAccessAllKeys(c.user, c.cmd, argv, KEY_READ);
  for (let j = 2; j < argc; j++) {
    const opt = argv[j]!.toLowerCase();
    const left = argc - j - 1;
    if (opt === 'asc') desc = false;
    else if (opt === 'desc') desc = true;
    else if (opt === 'alpha') alpha = true;
    else if (opt === 'limit' && left >= 2) {
      const a = toBigInt(argv[j + 1]!);
      if (a === null) { c.error(ERR_NOT_INTEGER); return; }
      const b = toBigInt(argv[j + 2]!);
      if (b === null) { c.error(ERR_NOT_INTEGER); return; }
      limitStart = a;
      limitCount = b;
      j += 2;
    } else if (!readonly && opt === 'store' && left >= 1) {
      storekey = argv[++j]!;
    } else if (opt === 'by' && left >= 1) {
      sortby = argv[j + 1]!;
      if (!sortby.includes('*')) dontsort = true;
      else if (clusterEnabled(c.server)) { c.error(ERR_SORT_BY_CLUSTER); return; }
      else if (!fullKeyAccess) { c.error('ERR BY option of SORT denied due to insufficient ACL permissions.'); return; }
      j++;
    } else if (opt === 'get' && left >= 1) {
      if (clusterEnabled(c.server)) { c.error(ERR_SORT_GET_CLUSTER); return; }
      if (!fullKeyAccess) { c.error('ERR GET option of SORT denied due to insufficient ACL permissions.'); return; }
      gets.push(argv[++j]!);
    } else {
      c.error(ERR_SYNTAX);
      return;
    }
  }

  const db = c.db;
  const key = argv[1]!;
  const found = db.get(key);
  let sortval: Value | null = null;
  if (found === undefined) c.server.keyMiss(db, key);
  else {
    c.server.stats.keyspaceHits++;
    if (typeof found === 'string' || (found.type !== 'set' && found.type !== 'list' && found.type !== 'zset')) {
      c.error(ERR_WRONGTYPE);
      return;
    }
    sortval = found;
  }
  const type = sortval === null ? 'list' : (sortval as { type: string }).type;

  // an unsorted set is sorted for STORE and for scripts so the result is deterministic
  if (dontsort && type === 'set' && (storekey !== null || c.isScript)) { dontsort = false; alpha = true; sortby = null; }
  if (type === 'zset') (sortval as ZSet).toBig();

  let vectorlen = sortval === null ? 0 : type === 'list' ? listLength(sortval) : (sortval as SetValue | ZSet).size;
  // LIMIT sanity checks, as Redis (with clamping before any arithmetic)
  const big = BigInt(vectorlen);
  let start = Number(limitStart < 0n ? 0n : limitStart > big ? big : limitStart);
  const count = Number(limitCount < -1n ? -1n : limitCount > big ? big : limitCount);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) { start = vectorlen - 1; end = vectorlen - 2; }
  if (end >= vectorlen) end = vectorlen - 1;
  if ((type === 'zset' || type === 'list') && dontsort && (start !== 0 || end !== vectorlen - 1)) vectorlen = end - start + 1;

  const vector: Item[] = [];
  const push = (m: string): void => { vector.push({ obj: m, score: 0, cmp: null }); };
  if (sortval !== null) {
    if (type === 'list' && dontsort) {
      if (end >= start) {
        listRange(sortval, desc ? listLength(sortval) - start - 1 : start, vectorlen, desc, push);
        end -= start;
        start = 0;
      }
    } else if (type === 'list') {
      for (const m of listElements(sortval)) push(m);
    } else if (type === 'set') {
      (sortval as SetValue).forEach(push);
    } else if (dontsort) {
      const z = sortval as ZSet;
      if (vectorlen > 0) z.each(desc ? z.size - 1 - start : start, vectorlen, desc, (m) => { push(m); });
      end -= start;
      start = 0;
    } else {
      const z = sortval as ZSet;
      z.each(0, z.size, false, (m) => { push(m); });
    }
  }

  let conversionError = false;
  if (!dontsort) {
    for (const it of vector) {
      let byval: string | null;
      if (sortby !== null) {
        byval = lookupByPattern(c, sortby, it.obj);
        if (byval === null) continue;
      } else byval = it.obj;
      if (alpha) {
        if (sortby !== null) it.cmp = byval;
      } else {
        const w = sortWeight(byval);
        if (w === null) conversionError = true;
        else it.score = w;
      }
    }
    const sign = desc ? -1 : 1;
    const store = storekey !== null;
    let cmp: (a: Item, b: Item) => number;
    if (!alpha) cmp = (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : binCmp(a.obj, b.obj));
    else if (sortby !== null) {
      cmp = (a, b) => {
        let r: number;
        if (a.cmp === null || b.cmp === null) r = a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1;
        else r = store ? binCmp(a.cmp, b.cmp) : collCmp(a.cmp, b.cmp);
        return sign * r;
      };
    } else cmp = (a, b) => sign * (store ? binCmp(a.obj, b.obj) : collCmp(a.obj, b.obj));
    vector.sort(cmp);
  }

  const n = end - start + 1;
  const outputlen = gets.length > 0 ? gets.length * n : n;
  if (conversionError) { c.error(ERR_SORT_SCORE); return; }
  if (storekey === null) {
    c.array(outputlen);
    for (let j = start; j <= end; j++) {
      const obj = vector[j]!.obj;
      if (gets.length === 0) c.bulk(obj);
      for (const g of gets) c.bulkOrNull(lookupByPattern(c, g, obj));
    }
    return;
  }
  const items: string[] = [];
  for (let j = start; j <= end; j++) {
    const obj = vector[j]!.obj;
    if (gets.length === 0) items.push(obj);
    else for (const g of gets) items.push(lookupByPattern(c, g, obj) ?? '');
  }
  const rec = c.server.recorder;
  if (outputlen > 0) {
    setKey(c, storekey, newList(c, items));
    rec.keyWritten(db, storekey, NOTIFY_LIST, 'sortstore', outputlen);
  } else if (db.delete(storekey)) {
    rec.keyWritten(db, storekey, NOTIFY_GENERIC, 'del');
  }
  c.int(outputlen);
}

/**
 * sortGetKeys: the sorted key, and the destination of the last STORE (skipping
 * LIMIT's two arguments and the BY / GET pattern), with their flags.
 */
export function sortKeyFlags(argv: readonly string[]): { pos: number; flags: readonly ('RO' | 'access' | 'OW' | 'update')[] }[] {
  const out: { pos: number; flags: readonly ('RO' | 'access' | 'OW' | 'update')[] }[] = [{ pos: 1, flags: ['RO', 'access'] }];
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (a === 'limit') i += 2;
    else if (a === 'store' && i + 1 < argv.length) store = i + 1;
    else if (a === 'get' || a === 'by') i += 1;
  }
  if (store > 0) out.push({ pos: store, flags: ['OW', 'update'] });
  return out;
}
