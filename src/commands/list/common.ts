/*
 * Helpers shared by the list commands (t_list.c's private functions):
 * typed lookups with Redis's read/write statistics, list creation (dbAdd),
 * the bookkeeping after elements are popped (listElementsRemoved), range
 * replies built as one string (addListRangeReply), LEFT/RIGHT and integer
 * argument parsing, and the blocking timeout (getTimeoutFromObjectOrReply).
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../../keyspace/notify.js';
import { addKey } from '../generic/common.js';
import {
  ERR_MUST_BE_POSITIVE, ERR_NOT_INTEGER, ERR_SYNTAX, ERR_TIMEOUT_NEGATIVE, ERR_TIMEOUT_NOT_FLOAT, ERR_WRONGTYPE,
} from '../../protocol/errors.js';
import { List } from '../../types/list.js';
import { parseLongDouble, type LongDouble } from '../../types/longdouble.js';
import { toInt } from '../args.js';

/** lookupKeyRead + checkType: the list, null when missing (a miss is counted), false after replying WRONGTYPE. */
export function readList(c: Client, key: string): List | null | false {
  const v = c.db.get(key);
  if (v === undefined) { c.server.keyMiss(c.db, key); return null; }
  c.server.stats.keyspaceHits++;
  if (v instanceof List) return v;
  c.error(ERR_WRONGTYPE);
  return false;
}

/** lookupKeyWrite + checkType: the list, null when missing, false after replying WRONGTYPE. */
export function writeList(c: Client, key: string): List | null | false {
  const v = c.db.get(key);
  if (v === undefined) return null;
  if (v instanceof List) return v;
  c.error(ERR_WRONGTYPE);
  return false;
}

/** createQuicklistObject + dbAdd: a new empty list stored at key ("new" event). */
export function createList(c: Client, key: string): List {
  const l = new List();
  addKey(c, key, l);
  return l;
}

/**
 * listElementsRemoved: after `count` elements were popped from one end, the
 * lpop/rpop event, the key deleted (with "del") if the list is now empty,
 * the key signalled and dirty counted.
 */
export function elementsRemoved(c: Client, key: string, head: boolean, l: List, count: number): void {
  const db = c.db;
  const rec = c.server.recorder;
  rec.keyWritten(db, key, NOTIFY_LIST, head ? 'lpop' : 'rpop', count);
  if (l.length === 0) {
    db.delete(key);
    rec.notify(NOTIFY_GENERIC, 'del', key, db.id);
  }
}

/**
 * addListRangeReply: elements start..end (inclusive, negative from the end,
 * clamped) as one array reply, built in one string.
 */
export function replyRange(c: Client, l: List, start: number, end: number): void {
  const llen = l.length;
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  if (start > end || start >= llen) { c.raw('*0\r\n'); return; }
  if (end >= llen) end = llen - 1;
  // encoded straight into the reply buffer: no concatenated string to flatten (100 elements made ~9 KB of garbage)
  c.array(end - start + 1);
  for (let i = start; i <= end; i++) {
    c.bulk(l.at(i));
    if (c.closeAsap) return; // over the output limits: the client is closing, the rest would be dropped
  }
}

/** Pop up to count elements from one end, replying them as an array (the order they were popped). Returns how many. */
export function popRangeReply(c: Client, l: List, head: boolean, count: number): number {
  const n = count > l.length ? l.length : count;
  c.array(n);
  for (let i = 0; i < n; i++) c.bulk(head ? l.popHead()! : l.popTail()!);
  return n;
}

/** listPopRangeAndReplyWithKey: [key, [elements]] for LMPOP/BLMPOP, with the removal bookkeeping. Returns how many. */
export function popRangeWithKey(c: Client, l: List, key: string, head: boolean, count: number): number {
  c.raw('*2\r\n$' + key.length + '\r\n' + key + '\r\n');
  const n = popRangeReply(c, l, head, count);
  elementsRemoved(c, key, head, l, n);
  return n;
}

/** getListPositionFromObjectOrReply: true for LEFT (head), false for RIGHT, null after a syntax error. */
export function whereArg(c: Client, s: string): boolean | null {
  const w = s.toLowerCase();
  if (w === 'left') return true;
  if (w === 'right') return false;
  c.error(ERR_SYNTAX);
  return null;
}

/** getLongFromObjectOrReply: a 64-bit integer (approximate beyond 2^53), or null after replying. */
export function longArg(c: Client, s: string, msg: string = ERR_NOT_INTEGER): number | null {
  const n = toInt(s);
  if (n === null) c.error(msg);
  return n;
}

/** getRangeLongFromObjectOrReply with the given minimum (max LONG_MAX): msg for both failures. */
export function minLongArg(c: Client, s: string, min: number, msg: string = ERR_MUST_BE_POSITIVE): number | null {
  const n = toInt(s);
  if (n === null || n < min) { c.error(msg); return null; }
  return n;
}

/**
 * getTimeoutFromObjectOrReply (seconds, as a long double): the absolute
 * deadline in ms, 0 for "forever", or null after replying.
 */
export function timeoutArg(c: Client, s: string): number | null {
  const ld = parseLongDouble(s);
  if (ld === null) { c.error(ERR_TIMEOUT_NOT_FLOAT); return null; }
  const ms = ceilMillis(ld);
  if (ms < 0) { c.error(ERR_TIMEOUT_NEGATIVE); return null; }
  return ms === 0 ? 0 : c.server.now + ms;
}

const LLONG_LIMIT = 1n << 63n;

/**
 * (long long) ceill(t * 1000.0L) exactly as x86-64 computes it: the product
 * rounded to a 64-bit significand (ties to even), then the ceiling; results
 * outside the 64-bit range convert to LLONG_MIN (so they read as negative).
 */
function ceilMillis(ld: LongDouble): number {
  if (ld.kind !== 0) return -Infinity;
  if (ld.m === 0n) return 0;
  let p = ld.m * 1000n;
  let e = ld.e;
  const bits = p.toString(2).length;
  if (bits > 64) {
    const sh = BigInt(bits - 64);
    let q = p >> sh;
    const r = p - (q << sh);
    const half = 1n << (sh - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
    p = q;
    e += bits - 64;
  }
  let mag: bigint;
  if (e >= 0) {
    if (e > 64) return -Infinity;
    mag = p << BigInt(e);
  } else {
    const sh = BigInt(-e);
    const q = p >> sh;
    const exact = q << sh === p;
    mag = ld.neg || exact ? q : q + 1n; // ceil rounds positive values up, negative ones toward zero
  }
  if (mag >= LLONG_LIMIT) return -Infinity;
  return ld.neg ? -Number(mag) : Number(mag);
}
