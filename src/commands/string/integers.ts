/*
 * INCR/DECR/INCRBY/DECRBY's shared incrDecr (t_string.c incrDecrCommand):
 * exact over the whole int64 range. Values that stay within 2^53 use plain JS
 * numbers (the common, benchmarked case); anything larger goes through BigInt.
 * The result is stored as a plain string (OBJECT ENCODING "int"), TTL kept.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';
import { ERR_NOT_INTEGER, ERR_OVERFLOW, ERR_WRONGTYPE } from '../../protocol/errors.js';
import { setKey } from '../generic/common.js';
import type { MutableString } from '../../types/string.js';
import { LLONG_MAX, LLONG_MIN, toBigInt, toInt } from '../args.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/**
 * The strings of 0 ... 9999, made once (Redis's OBJ_SHARED_INTEGERS): a counter's new value is one of them instead
 * of a new string per INCR, which the key table (in the old generation) would take through the write barrier's
 * slow path and the next scavenge would copy. Strings are immutable: sharing one changes nothing visible.
 */
const SHARED_INTEGERS = 10000;
const sharedInts: string[] = Array.from({ length: SHARED_INTEGERS }, (_, i) => String(i));

/** string2ll: a number when within 2^53, else an exact bigint; null when not a 64-bit integer. */
export function parseLL(s: string): number | bigint | null {
  if (s.length < 16) return toInt(s);
  const b = toBigInt(s);
  if (b === null) return null;
  return b <= SAFE && b >= -SAFE ? Number(b) : b;
}

export function incrDecr(c: Client, key: string, incr: number | bigint): void {
  const db = c.db;
  const v = db.get(key);
  let cur: number | bigint = 0;
  if (v !== undefined) {
    let s: string;
    if (typeof v === 'string') s = v;
    else if (v.type === 'string') s = (v as MutableString).len > 32 ? '' : (v as MutableString).toString();
    else { c.error(ERR_WRONGTYPE); return; }
    const n = parseLL(s);
    if (n === null) { c.error(ERR_NOT_INTEGER); return; }
    cur = n;
  }
  let result: number | bigint;
  if (typeof cur === 'number' && typeof incr === 'number' && Number.isSafeInteger(cur + incr)) {
    result = cur + incr;
  } else {
    const r = BigInt(cur) + BigInt(incr);
    if (r > LLONG_MAX || r < LLONG_MIN) { c.error(ERR_OVERFLOW); return; }
    result = r;
  }
  const s = typeof result === 'number' && result >= 0 && result < SHARED_INTEGERS ? sharedInts[result]! : String(result);
  setKey(c, key, s, true);
  c.server.recorder.keyWritten(db, key, NOTIFY_STRING, 'incrby');
  c.int(result);
}
