/*
 * zremrangeGenericCommand: ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX.
 * Parse the range, look the key up for writing, turn the range into a run of
 * ranks and delete it; one event (and "del" when the set emptied).
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_ZSET } from '../../keyspace/notify.js';
import { ERR_ZSET_MINMAX_FLOAT, ERR_ZSET_MINMAX_LEX } from '../../protocol/errors.js';
import { getLong, lexRanks, parseLexItem, parseScoreRange, removeEmpty, scoreRanks, writeZset } from './common.js';
import { RANGE_LEX, RANGE_RANK, RANGE_SCORE } from './range-generic.js';

const EVENTS = ['', 'zremrangebyrank', 'zremrangebyscore', 'zremrangebylex'];

export function zremrangeGeneric(c: Client, argv: string[], type: number): void {
  const key = argv[1]!;
  let start = 0;
  let end = 0;
  let score = null as ReturnType<typeof parseScoreRange>;
  let lexMin = null as ReturnType<typeof parseLexItem>;
  let lexMax = null as ReturnType<typeof parseLexItem>;
  if (type === RANGE_RANK) {
    const s = getLong(c, argv[2]!);
    if (s === null) return;
    const e = getLong(c, argv[3]!);
    if (e === null) return;
    start = s;
    end = e;
  } else if (type === RANGE_SCORE) {
    score = parseScoreRange(argv[2]!, argv[3]!);
    if (score === null) { c.error(ERR_ZSET_MINMAX_FLOAT); return; }
  } else if (type === RANGE_LEX) {
    lexMin = parseLexItem(argv[2]!);
    lexMax = parseLexItem(argv[3]!);
    if (lexMin === null || lexMax === null) { c.error(ERR_ZSET_MINMAX_LEX); return; }
  }
  const z = writeZset(c, key);
  if (z === false) return;
  if (z === null) { c.int(0); return; }
  const llen = z.size;
  let a: number;
  let b: number;
  if (type === RANGE_RANK) {
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (start > end || start >= llen) { c.int(0); return; }
    if (end >= llen) end = llen - 1;
    a = start;
    b = end;
  } else {
    const [lo, hi] = type === RANGE_SCORE ? scoreRanks(z, score!) : lexRanks(z, lexMin!, lexMax!);
    a = lo;
    b = hi - 1;
  }
  const deleted = b >= a ? z.removeRanks(a, b) : 0;
  if (deleted) {
    c.server.recorder.keyWritten(c.db, key, NOTIFY_ZSET, EVENTS[type]!, deleted);
    if (z.size === 0) removeEmpty(c, key);
  }
  c.int(deleted);
}
