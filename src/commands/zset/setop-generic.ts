/*
 * zunionInterDiffGenericCommand: ZUNION, ZINTER, ZDIFF, their STORE forms
 * and ZINTERCARD. Inputs may be sorted sets or sets (members scoring 1).
 * Sources are read (hit/miss counted) and type-checked before the options,
 * sorted by size (stably) except for DIFF, then combined as Redis does:
 * weights multiply (NaN -> 0), SUM turns NaN into 0, MIN/MAX keep the first
 * on NaN comparisons. The result is in (score, member) order; stored results
 * get the encoding zsetConvertToListpackIfNeeded would pick.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_ZSET } from '../../keyspace/notify.js';
import {
  ERR_SINTERCARD_LIMIT, ERR_SYNTAX, ERR_WRONGTYPE, ERR_ZSET_WEIGHT_FLOAT, errZsetNoKeys,
} from '../../protocol/errors.js';
import { ZSet } from '../../types/zset.js';
import type { SetValue } from '../../types/set.js';
import { LLONG_MAX, toDouble } from '../args.js';
import { getLong, getRangeLong, limits, replyElements, setKey, storeEmpty } from './common.js';

export const OP_UNION = 0;
export const OP_INTER = 1;
export const OP_DIFF = 2;

const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;
const STORE_EVENTS = ['zunionstore', 'zinterstore', 'zdiffstore'];

interface Src { z: ZSet | null; s: SetValue | null; size: number; weight: number }

function eachOf(src: Src, cb: (m: string, score: number) => void): void {
  if (src.z) src.z.each(0, src.z.size, false, cb);
  else if (src.s) src.s.forEach((m) => cb(m, 1));
}

function scoreIn(src: Src, m: string): number | undefined {
  if (src.z) return src.z.score(m);
  if (src.s) return src.s.has(m) ? 1 : undefined;
  return undefined;
}

function aggregate(agg: number, target: number, val: number): number {
  if (agg === AGG_SUM) { const t = target + val; return Number.isNaN(t) ? 0 : t; }
  if (agg === AGG_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

/** dst: the destination key (STORE forms) or null; numkeysIdx: index of numkeys in argv. */
export function zsetOpGeneric(c: Client, argv: string[], dst: string | null, numkeysIdx: number, op: number, cardOnly: boolean): void {
  const setnum = getLong(c, argv[numkeysIdx]!);
  if (setnum === null) return;
  if (setnum < 1) { c.error(errZsetNoKeys(c.cmd!.fullname)); return; }
  if (setnum > argv.length - (numkeysIdx + 1)) { c.error(ERR_SYNTAX); return; }
  const srcs: Src[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const key = argv[j]!;
    const v = c.db.get(key);
    const src: Src = { z: null, s: null, size: 0, weight: 1 };
    if (v === undefined) c.server.keyMiss(c.db, key);
    else {
      c.server.stats.keyspaceHits++;
      if (typeof v === 'string' || (v.type !== 'zset' && v.type !== 'set')) { c.error(ERR_WRONGTYPE); return; }
      if (v.type === 'zset') { src.z = v as ZSet; src.size = src.z.size; }
      else { src.s = v as SetValue; src.size = src.s.size; }
    }
    srcs.push(src);
  }
  let agg = AGG_SUM;
  let withscores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const a = argv[j]!.toLowerCase();
    if (op !== OP_DIFF && !cardOnly && remaining >= setnum + 1 && a === 'weights') {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const w = toDouble(argv[j]!);
        if (w === null) { c.error(ERR_ZSET_WEIGHT_FLOAT); return; }
        srcs[i]!.weight = w;
      }
    } else if (op !== OP_DIFF && !cardOnly && remaining >= 2 && a === 'aggregate') {
      const g = argv[j + 1]!.toLowerCase();
      if (g === 'sum') agg = AGG_SUM;
      else if (g === 'min') agg = AGG_MIN;
      else if (g === 'max') agg = AGG_MAX;
      else { c.error(ERR_SYNTAX); return; }
      j += 2;
    } else if (remaining >= 1 && dst === null && !cardOnly && a === 'withscores') {
      j++;
      withscores = true;
    } else if (cardOnly && remaining >= 2 && a === 'limit') {
      const l = getRangeLong(c, argv[j + 1]!, 0n, LLONG_MAX, ERR_SINTERCARD_LIMIT);
      if (l === null) return;
      limit = l;
      j += 2;
    } else { c.error(ERR_SYNTAX); return; }
  }
  if (op !== OP_DIFF) srcs.sort((x, y) => x.size - y.size); // stable

  const members: string[] = [];
  const scores: number[] = [];
  let card = 0;
  if (op === OP_INTER) {
    const first = srcs[0]!;
    if (first.size > 0) {
      const w0 = first.weight;
      try {
        eachOf(first, (m, s0) => {
          let score = w0 * s0;
          if (Number.isNaN(score)) score = 0;
          let i = 1;
          for (; i < srcs.length; i++) {
            const v = scoreIn(srcs[i]!, m);
            if (v === undefined) break;
            score = aggregate(agg, score, v * srcs[i]!.weight);
          }
          if (i < srcs.length) return;
          if (cardOnly) {
            card++;
            if (limit && card >= limit) throw STOP;
          } else { members.push(m); scores.push(score); }
        });
      } catch (e) { if (e !== STOP) throw e; }
    }
  } else if (op === OP_UNION) {
    const acc = new Map<string, number>();
    for (const src of srcs) {
      if (src.size === 0) continue;
      const w = src.weight;
      eachOf(src, (m, s) => {
        let score = w * s;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(m);
        acc.set(m, cur === undefined ? score : aggregate(agg, cur, score));
      });
    }
    for (const [m, s] of acc) { members.push(m); scores.push(s); }
  } else {
    const first = srcs[0]!;
    if (first.size > 0) {
      eachOf(first, (m, s) => {
        for (let i = 1; i < srcs.length; i++) if (srcs[i]!.size > 0 && scoreIn(srcs[i]!, m) !== undefined) return;
        members.push(m);
        scores.push(s);
      });
    }
  }
  if (cardOnly) { c.int(card); return; }

  // (score, member) order
  const n = members.length;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    if (sa < sb) return -1;
    if (sa > sb) return 1;
    const ma = members[a]!;
    const mb = members[b]!;
    return ma < mb ? -1 : ma > mb ? 1 : 0;
  });
  const ms = order.map((i) => members[i]!);
  const ss = order.map((i) => scores[i]!);

  if (dst !== null) {
    if (n > 0) {
      setKey(c, dst, ZSet.fromSorted(ms, ss, limits(c)));
      c.int(n);
      c.server.recorder.keyWritten(c.db, dst, NOTIFY_ZSET, STORE_EVENTS[op]!);
    } else {
      c.int(0);
      storeEmpty(c, dst);
    }
    return;
  }
  replyElements(c, ms, withscores ? ss : null);
}

const STOP = new Error('stop');
