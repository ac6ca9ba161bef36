/*
 * zrangeGenericCommand: ZRANGE, ZRANGESTORE and the deprecated ZREVRANGE,
 * Z[REV]RANGEBYSCORE, Z[REV]RANGEBYLEX. Options are parsed in Redis's order
 * (with its conflict errors), then the range; every range kind reduces to a
 * run of ranks (score/lex bounds are two O(log n) lower bounds, LIMIT offsets
 * into that run), which is replied or stored (ZRANGESTORE: the destination's
 * encoding as Redis would end with, a "zrangestore" event, or dst deleted).
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_ZSET } from '../../keyspace/notify.js';
import {
  ERR_SYNTAX, ERR_ZRANGE_LIMIT, ERR_ZRANGE_WITHSCORES_BYLEX, ERR_ZSET_MINMAX_FLOAT, ERR_ZSET_MINMAX_LEX,
} from '../../protocol/errors.js';
import { ZSet } from '../../types/zset.js';
import {
  getLong, lexRanks, limits, parseLexItem, parseScoreRange, readZset, replyElements, scoreRanks, setKey, storeEmpty,
} from './common.js';

export const RANGE_AUTO = 0;
export const RANGE_RANK = 1;
export const RANGE_SCORE = 2;
export const RANGE_LEX = 3;
export const DIR_AUTO = 0;
export const DIR_FORWARD = 1;
export const DIR_REVERSE = 2;

/** argStart: index of the source key; store: ZRANGESTORE (argv[1] is the destination). */
export function zrangeGeneric(c: Client, argv: string[], argStart: number, store: boolean, type: number, dir: number): void {
  const key = argv[argStart]!;
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j]!.toLowerCase();
    if (!store && a === 'withscores') withscores = true;
    else if (a === 'limit' && left >= 2) {
      const o = getLong(c, argv[j + 1]!);
      if (o === null) return;
      const l = getLong(c, argv[j + 2]!);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (dir === DIR_AUTO && a === 'rev') dir = DIR_REVERSE;
    else if (type === RANGE_AUTO && a === 'bylex') type = RANGE_LEX;
    else if (type === RANGE_AUTO && a === 'byscore') type = RANGE_SCORE;
    else { c.error(ERR_SYNTAX); return; }
  }
  if (dir === DIR_AUTO) dir = DIR_FORWARD;
  if (type === RANGE_AUTO) type = RANGE_RANK;
  if (limit !== -1 && type === RANGE_RANK) { c.error(ERR_ZRANGE_LIMIT); return; }
  if (withscores && type === RANGE_LEX) { c.error(ERR_ZRANGE_WITHSCORES_BYLEX); return; }
  const rev = dir === DIR_REVERSE;
  if (rev && type !== RANGE_RANK) { const t = maxIdx; maxIdx = minIdx; minIdx = t; }

  let start = 0;
  let end = 0;
  let score = null as ReturnType<typeof parseScoreRange>;
  let lexMin = null as ReturnType<typeof parseLexItem>;
  let lexMax = null as ReturnType<typeof parseLexItem>;
  if (type === RANGE_RANK) {
    const s = getLong(c, argv[minIdx]!);
    if (s === null) return;
    const e = getLong(c, argv[maxIdx]!);
    if (e === null) return;
    start = s;
    end = e;
  } else if (type === RANGE_SCORE) {
    score = parseScoreRange(argv[minIdx]!, argv[maxIdx]!);
    if (score === null) { c.error(ERR_ZSET_MINMAX_FLOAT); return; }
  } else {
    lexMin = parseLexItem(argv[minIdx]!);
    lexMax = parseLexItem(argv[maxIdx]!);
    if (lexMin === null || lexMax === null) { c.error(ERR_ZSET_MINMAX_LEX); return; }
  }

  const z = readZset(c, key);
  if (z === false) return;
  if (z === null) {
    if (store) finishStore(c, argv[1]!, [], [], false);
    else c.array(0);
    return;
  }

  // the run of ranks: `n` elements from rank `from`, descending when rev
  let from = 0;
  let n = 0;
  const llen = z.size;
  if (type === RANGE_RANK) {
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (!(start > end || start >= llen)) {
      if (end >= llen) end = llen - 1;
      n = end - start + 1;
      from = rev ? llen - 1 - start : start;
    }
  } else {
    const [lo, hi] = type === RANGE_SCORE ? scoreRanks(z, score!) : lexRanks(z, lexMin!, lexMax!);
    const count = hi - lo;
    if (count > 0 && offset >= 0 && offset < count) {
      n = count - offset;
      if (limit >= 0 && limit < n) n = limit;
      from = rev ? hi - 1 - offset : lo + offset;
    }
  }

  const members: string[] = [];
  const scores: number[] | null = withscores || store ? [] : null;
  z.each(from, n, rev, scores
    ? (m, s) => { members.push(m); scores.push(s); }
    : (m) => { members.push(m); });
  if (store) finishStore(c, argv[1]!, members, scores!, rev);
  else replyElements(c, members, withscores ? scores : null);
}

/** zrangeResultFinalizeStore: the result (in emission order) becomes dst, or dst is deleted. */
function finishStore(c: Client, dst: string, members: string[], scores: number[], rev: boolean): void {
  if (members.length === 0) {
    c.int(0);
    storeEmpty(c, dst);
    return;
  }
  if (rev) { members.reverse(); scores.reverse(); }
  setKey(c, dst, ZSet.fromSorted(members, scores, limits(c)));
  c.int(members.length);
  c.server.recorder.keyWritten(c.db, dst, NOTIFY_ZSET, 'zrangestore');
}
