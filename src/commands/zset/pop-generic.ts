/*
 * genericZpopCommand and its callers: ZPOPMIN/ZPOPMAX, ZMPOP, and the
 * blocking BZPOPMIN/BZPOPMAX/BZMPOP (blockingGenericZpopCommand). Reply shapes
 * follow Redis: flat [member, score ...] (RESP3 with COUNT: pairs), with the
 * key first for BZPOP*, [key, [[member, score] ...]] for [B]ZMPOP. One
 * "zpopmin"/"zpopmax" event per call (dirty counts each element), "del" when
 * emptied. Propagation: ZMPOP and served BZMPOP as ZPOPMIN/ZPOPMAX key count,
 * served BZPOPMIN/BZPOPMAX as ZPOPMIN/ZPOPMAX key.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_ZSET } from '../../keyspace/notify.js';
import { ERR_MUST_BE_POSITIVE, ERR_SINTERCARD_NUMKEYS, ERR_SYNTAX, ERR_WRONGTYPE, ERR_ZMPOP_COUNT } from '../../protocol/errors.js';
import type { ZSet } from '../../types/zset.js';
import { LLONG_MAX } from '../args.js';
import { getRangeLong, parseTimeout, removeEmpty, writeZset } from './common.js';

/**
 * Pop from the first existing key of keys. count -1: a single pop. Returns
 * the key popped from and how many elements, or null (nothing popped, or an
 * error was replied).
 */
export function genericZpop(
  c: Client, keys: readonly string[], max: boolean, emitKey: boolean, count: number, nested: boolean, nilWhenEmpty: boolean,
): { key: string; n: number } | null {
  let z: ZSet | null = null;
  let key = '';
  for (let i = 0; i < keys.length; i++) {
    key = keys[i]!;
    const v = writeZset(c, key);
    if (v === false) return null;
    if (v !== null) { z = v; break; }
  }
  if (z === null) {
    if (nilWhenEmpty) c.nullArray(); else c.array(0);
    return null;
  }
  if (count === 0) { c.array(0); return null; }
  if (count === -1) count = 1;
  const llen = z.size;
  const n = count > llen ? llen : count;
  if (!nested && !emitKey) c.array(n * 2);
  else if (nested && !emitKey) c.array(n);
  else if (!nested && emitKey) { c.array(n * 2 + 1); c.bulk(key); }
  else { c.array(2); c.bulk(key); c.array(n); }
  z.each(max ? llen - 1 : 0, n, max, (m, s) => {
    if (nested) c.array(2);
    c.bulk(m);
    c.double(s);
  });
  if (max) z.removeRanks(llen - n, llen - 1); else z.removeRanks(0, n - 1);
  c.server.recorder.keyWritten(c.db, key, NOTIFY_ZSET, max ? 'zpopmax' : 'zpopmin', n);
  if (z.size === 0) removeEmpty(c, key);
  return { key, n };
}

/** ZPOPMIN/ZPOPMAX key [count] */
export function zpopMinMax(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) { c.error(ERR_SYNTAX); return; }
  let count = -1;
  if (argv.length === 3) {
    const v = getRangeLong(c, argv[2]!, 0n, LLONG_MAX, ERR_MUST_BE_POSITIVE);
    if (v === null) return;
    count = v;
  }
  genericZpop(c, [argv[1]!], max, false, count, c.resp > 2 && count !== -1, false);
}

/** blockingGenericZpopCommand: serve from the first non-empty zset, else block (or time out at once when blocking is denied). */
export function blockingZpop(
  c: Client, keys: readonly string[], max: boolean, timeoutArg: string, count: number, nested: boolean, nilWhenEmpty: boolean,
): void {
  const deadline = parseTimeout(c, timeoutArg);
  if (deadline === null) return;
  const blocking = c.server.blocking;
  const again = blocking.isReprocessing(c);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = c.db.get(key);
    if (v === undefined) continue;
    if (typeof v === 'string' || v.type !== 'zset') {
      if (again) continue; // a blocked client is only served by a sorted set
      c.error(ERR_WRONGTYPE);
      return;
    }
    if ((v as ZSet).size === 0) continue;
    const r = genericZpop(c, [key], max, true, count, nested, nilWhenEmpty);
    if (r !== null) {
      const cmd = max ? 'ZPOPMAX' : 'ZPOPMIN';
      c.propagateArgv = count === -1 ? [cmd, key] : [cmd, key, String(r.n)];
    }
    return;
  }
  if (!blocking.canBlock(c)) { c.nullArray(); return; }
  blocking.blockForKeys(c, keys, deadline);
}

/** zmpopGenericCommand: [timeout] numkeys key [key ...] MIN|MAX [COUNT count] */
export function zmpopGeneric(c: Client, argv: string[], numkeysIdx: number, block: boolean): void {
  const numkeys = getRangeLong(c, argv[numkeysIdx]!, 1n, LLONG_MAX, ERR_SINTERCARD_NUMKEYS);
  if (numkeys === null) return;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) { c.error(ERR_SYNTAX); return; }
  const w = argv[whereIdx]!.toLowerCase();
  if (w !== 'min' && w !== 'max') { c.error(ERR_SYNTAX); return; }
  const max = w === 'max';
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && argv[j]!.toLowerCase() === 'count' && more) {
      j++;
      const v = getRangeLong(c, argv[j]!, 1n, LLONG_MAX, ERR_ZMPOP_COUNT);
      if (v === null) return;
      count = v;
    } else { c.error(ERR_SYNTAX); return; }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, whereIdx);
  if (block) { blockingZpop(c, keys, max, argv[1]!, count, true, true); return; }
  const r = genericZpop(c, keys, max, true, count, true, true);
  if (r !== null) c.propagateArgv = [max ? 'ZPOPMAX' : 'ZPOPMIN', r.key, String(r.n)];
}
