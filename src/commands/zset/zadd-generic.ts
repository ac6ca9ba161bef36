/*
 * zaddGenericCommand (ZADD and ZINCRBY): options, then every score parsed
 * before the key is touched, then zsetAdd per pair (NX/XX/GT/LT/INCR rules,
 * NaN check), the reply (count, CH count, or the new score with INCR) and one
 * "zadd"/"zincr" event when something changed. Many pairs on a listpack set
 * are applied on a temporary Map and re-packed once: the result (and its
 * encoding: converted iff a new member is too long or the size passed the
 * limit) is what the element-by-element path would give.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_ZSET } from '../../keyspace/notify.js';
import {
  ERR_NOT_FLOAT, ERR_SYNTAX, ERR_ZADD_GT_LT_NX, ERR_ZADD_INCR_PAIR, ERR_ZADD_XX_NX, ERR_ZSET_NAN,
} from '../../protocol/errors.js';
import { ZSet } from '../../types/zset.js';
import { toDouble } from '../args.js';
import { addKey, limits, writeZset } from './common.js';

const BATCH = 8;
/** the scores of a ZADD of up to 64 pairs (not reentered: nothing below runs another command); bigger ones get their own */
const SCORES = new Float64Array(64);

export function zaddGeneric(c: Client, argv: string[], incrCmd: boolean): void {
  let nx = false; let xx = false; let gt = false; let lt = false; let ch = false; let incr = incrCmd;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const a = argv[idx]!;
    if (a.length > 4 || a.length < 2) break;
    const o = a.toLowerCase();
    if (o === 'nx') nx = true;
    else if (o === 'xx') xx = true;
    else if (o === 'ch') ch = true;
    else if (o === 'incr') incr = true;
    else if (o === 'gt') gt = true;
    else if (o === 'lt') lt = true;
    else break;
  }
  const elements = argv.length - idx;
  if (elements % 2 !== 0 || elements === 0) { c.error(ERR_SYNTAX); return; }
  const pairs = elements / 2;
  if (nx && xx) { c.error(ERR_ZADD_XX_NX); return; }
  if ((gt && nx) || (lt && nx) || (gt && lt)) { c.error(ERR_ZADD_GT_LT_NX); return; }
  if (incr && pairs > 1) { c.error(ERR_ZADD_INCR_PAIR); return; }
  const scores = pairs <= SCORES.length ? SCORES : new Float64Array(pairs);
  for (let j = 0; j < pairs; j++) {
    const d = toDouble(argv[idx + j * 2]!);
    if (d === null) { c.error(ERR_NOT_FLOAT); return; }
    scores[j] = d;
  }

  const key = argv[1]!;
  let z = writeZset(c, key);
  if (z === false) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  let nan = false;
  if (z === null) {
    if (xx) { reply(c, incr, ch, 0, 0, 0, 0); return; }
    const lim = limits(c);
    z = ZSet.create(!(lim.maxEntries === 0 || lim.maxValue < argv[idx + 1]!.length));
    addKey(c, key, z);
  }
  if (pairs > BATCH && !z.big) {
    // batch on a Map, then re-pack once
    const lim = limits(c);
    const map = new Map<string, number>();
    z.each(0, z.size, false, (m, s) => { map.set(m, s); });
    let tooLong = false;
    for (let j = 0; j < pairs; j++) {
      const m = argv[idx + 1 + j * 2]!;
      const s = scores[j]!;
      const cur = map.get(m);
      if (cur !== undefined) {
        if (nx || (lt && s >= cur) || (gt && s <= cur)) continue;
        processed++;
        if (s !== cur) { map.set(m, s); updated++; }
      } else if (!xx) {
        map.set(m, s);
        if (m.length > lim.maxValue) tooLong = true;
        added++;
        processed++;
      }
    }
    if (added || updated) {
      const entries = [...map.entries()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const ms = entries.map((e) => e[0]);
      const ss = entries.map((e) => e[1]);
      z.adopt(ZSet.fromSorted(ms, ss, tooLong ? { maxEntries: -1, maxValue: -1 } : lim));
    }
  } else {
    let lim: ReturnType<typeof limits> | null = null;
    for (let j = 0; j < pairs; j++) {
      const m = argv[idx + 1 + j * 2]!;
      let s = scores[j]!;
      const cur = z.score(m);
      if (cur !== undefined) {
        if (nx) continue;
        if (incr) {
          s += cur;
          if (Number.isNaN(s)) { nan = true; break; }
        }
        if ((lt && s >= cur) || (gt && s <= cur)) continue;
        processed++;
        score = s;
        if (s !== cur) { z.update(m, s); updated++; }
      } else if (!xx) {
        if (lim === null) lim = limits(c);
        z.insert(m, s, lim);
        added++;
        processed++;
        score = s;
      }
    }
  }
  if (nan) c.error(ERR_ZSET_NAN);
  else reply(c, incr, ch, added, updated, processed, score);
  if (added || updated) c.server.recorder.keyWritten(c.db, key, NOTIFY_ZSET, incr ? 'zincr' : 'zadd', added + updated);
}

function reply(c: Client, incr: boolean, ch: boolean, added: number, updated: number, processed: number, score: number): void {
  if (incr) {
    if (processed) c.double(score); else c.null();
  } else {
    c.int(ch ? added + updated : added);
  }
}
