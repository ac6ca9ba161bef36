/*
 * Writing and reading entries: XADD, XTRIM (streamParseAddOrTrimArgsOrReply
 * shared), XDEL, XLEN, XRANGE / XREVRANGE, XSETID. Approximate trims are
 * propagated as exact ones (MAXLEN = <length> / MINID = <first id>), and an
 * XADD with a generated ID propagates that ID, as Redis rewrites them.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_STREAM } from '../../keyspace/notify.js';
import {
  ERR_INVALID_END_ID, ERR_INVALID_START_ID, ERR_LIMIT_NEGATIVE, ERR_LIMIT_NO_APPROX, ERR_LIMIT_NO_STRATEGY,
  ERR_MAXLEN_MINID, ERR_MAXLEN_NEGATIVE, ERR_NOT_INTEGER, ERR_NO_SUCH_KEY, ERR_STREAM_EXHAUSTED, ERR_STREAM_TOO_LARGE,
  ERR_SYNTAX, ERR_XADD_ID_SMALL, ERR_XADD_ID_ZERO, ERR_XSETID_ENTRIES_ADDED, ERR_XSETID_MAXDELETED, ERR_XSETID_SMALL,
  ERR_XTRIM_NO_STRATEGY, errArity,
} from '../../protocol/errors.js';
import { ID_MAX, Stream, U64_MAX, decrId, idMs, idSeq, idStr, incrId, makeId, type TrimArgs } from '../../types/stream.js';
import { is, toBigInt } from '../args.js';
import {
  createStream, mustObey, nodeMaxBytes, nodeMaxEntries, parseId, parseInterval, rangeReply, readStream, writeStream,
} from './common.js';

interface AddTrimArgs extends TrimArgs {
  strategy: 0 | 1 | 2; // none, maxlen, minid
  strategyArgIdx: number;
  noMkstream: boolean;
  id: bigint;
  idGiven: boolean;
  seqGiven: boolean;
  idPos: number;
}

/** streamParseAddOrTrimArgsOrReply: the options, or null after replying. */
function parseAddOrTrim(c: Client, argv: string[], xadd: boolean): AddTrimArgs | null {
  const a: AddTrimArgs = {
    strategy: 0, strategyArgIdx: 0, noMkstream: false, id: 0n, idGiven: false, seqGiven: true, idPos: 0,
    maxlen: false, count: 0, minid: 0n, approx: false, limit: 0,
  };
  const argc = argv.length;
  let limitGiven = false;
  let i = 2;
  for (; i < argc; i++) {
    const more = argc - 1 - i;
    const opt = argv[i]!;
    if (xadd && opt === '*') break;
    if (is(opt, 'maxlen') && more) {
      if (a.strategy !== 0) { c.error(ERR_MAXLEN_MINID); return null; }
      a.approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next === '~') { a.approx = true; i++; } else if (more >= 2 && next === '=') i++;
      const n = toBigInt(argv[i + 1]!);
      if (n === null) { c.error(ERR_NOT_INTEGER); return null; }
      if (n < 0n) { c.error(ERR_MAXLEN_NEGATIVE); return null; }
      a.count = Number(n);
      i++;
      a.strategy = 1;
      a.maxlen = true;
      a.strategyArgIdx = i;
    } else if (is(opt, 'minid') && more) {
      if (a.strategy !== 0) { c.error(ERR_MAXLEN_MINID); return null; }
      a.approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next === '~') { a.approx = true; i++; } else if (more >= 2 && next === '=') i++;
      const id = parseId(c, argv[i + 1]!, 0n, true);
      if (id === null) return null;
      a.minid = id;
      i++;
      a.strategy = 2;
      a.maxlen = false;
      a.strategyArgIdx = i;
    } else if (is(opt, 'limit') && more) {
      const n = toBigInt(argv[i + 1]!);
      if (n === null) { c.error(ERR_NOT_INTEGER); return null; }
      if (n < 0n) { c.error(ERR_LIMIT_NEGATIVE); return null; }
      a.limit = Number(n);
      limitGiven = true;
      i++;
    } else if (xadd && is(opt, 'nomkstream')) {
      a.noMkstream = true;
    } else if (xadd) {
      const sg = { v: true };
      const id = parseId(c, opt, 0n, true, sg);
      if (id === null) return null;
      a.id = id;
      a.seqGiven = sg.v;
      a.idGiven = true;
      break;
    } else {
      c.error(ERR_SYNTAX);
      return null;
    }
  }
  a.idPos = i;
  if (a.limit && a.strategy === 0) { c.error(ERR_LIMIT_NO_STRATEGY); return null; }
  if (!xadd && a.strategy === 0) { c.error(ERR_XTRIM_NO_STRATEGY); return null; }
  if (mustObey(c)) {
    a.limit = 0;
  } else if (limitGiven) {
    if (!a.approx) { c.error(ERR_LIMIT_NO_APPROX); return null; }
  } else if (a.approx) {
    a.limit = 100 * nodeMaxEntries(c);
    if (a.limit <= 0) a.limit = 10000;
    if (a.limit > 1000000) a.limit = 1000000;
  } else {
    a.limit = 0;
  }
  return a;
}

/** streamRewriteApproxSpecifier + streamRewriteTrimArgument on the propagated argv. */
function rewriteTrim(argv: string[], s: Stream, a: AddTrimArgs): void {
  argv[a.strategyArgIdx - 1] = '=';
  argv[a.strategyArgIdx] = a.maxlen ? String(s.length) : idStr(s.edgeId(true, false) ?? ID_MAX);
}

export function xaddCommand(c: Client, argv: string[]): void {
  const a = parseAddOrTrim(c, argv, true);
  if (a === null) return;
  const fieldPos = a.idPos + 1;
  const nargs = argv.length - fieldPos;
  if (nargs < 2 || nargs % 2 === 1) { c.error(errArity('xadd')); return; }
  if (a.idGiven && a.seqGiven && a.id === 0n) { c.error(ERR_XADD_ID_ZERO); return; }
  const key = argv[1]!;
  let s = writeStream(c, key);
  if (s === false) return;
  if (s === null) {
    if (a.noMkstream) { c.null(); return; }
    s = createStream(c, key);
  }
  if (s.lastId === ID_MAX) { c.error(ERR_STREAM_EXHAUSTED); return; }
  // the new ID (streamAppendItem)
  let id: bigint;
  if (a.idGiven) {
    if (a.seqGiven) id = a.id;
    else if (idMs(s.lastId) === idMs(a.id)) {
      if (idSeq(s.lastId) === U64_MAX) { c.error(ERR_XADD_ID_SMALL); return; }
      id = s.lastId + 1n;
    } else id = a.id;
  } else {
    const now = BigInt(c.server.now);
    id = now > idMs(s.lastId) ? makeId(now, 0n) : incrId(s.lastId)!;
  }
  if (id <= s.lastId) { c.error(ERR_XADD_ID_SMALL); return; }
  const pairs = argv.slice(fieldPos);
  let tot = 0;
  for (const p of pairs) tot += p.length;
  if (tot > 1073741824) { c.error(ERR_STREAM_TOO_LARGE); return; }
  s.append(id, pairs, nodeMaxBytes(c), nodeMaxEntries(c));
  const ids = idStr(id);
  c.bulk(ids);
  const rec = c.server.recorder;
  rec.keyWritten(c.db, key, NOTIFY_STREAM, 'xadd');
  let prop: string[] | null = null;
  if (a.strategy !== 0) {
    if (s.trim(a)) rec.notify(NOTIFY_STREAM, 'xtrim', key, c.db.id);
    if (a.approx) { prop = argv.slice(); rewriteTrim(prop, s, a); }
  }
  if (!a.idGiven || !a.seqGiven) { prop ??= argv.slice(); prop[a.idPos] = ids; }
  if (prop) c.propagateArgv = prop;
}

export function xtrimCommand(c: Client, argv: string[]): void {
  const a = parseAddOrTrim(c, argv, false);
  if (a === null) return;
  const key = argv[1]!;
  const s = writeStream(c, key);
  if (s === false) return;
  if (s === null) { c.int(0); return; }
  const deleted = s.trim(a);
  if (deleted) {
    const rec = c.server.recorder;
    rec.notify(NOTIFY_STREAM, 'xtrim', key, c.db.id);
    if (a.approx) { const prop = argv.slice(); rewriteTrim(prop, s, a); c.propagateArgv = prop; }
    rec.dirty += deleted;
    rec.keyModified(c.db, key);
  }
  c.int(deleted);
}

export function xdelCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const s = writeStream(c, key);
  if (s === false) return;
  if (s === null) { c.int(0); return; }
  const ids: bigint[] = [];
  for (let j = 2; j < argv.length; j++) {
    const id = parseId(c, argv[j]!, 0n, true);
    if (id === null) return;
    ids.push(id);
  }
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (s.deleteEntry(id)) {
      if (id === s.firstId) firstEntry = true;
      if (id > s.maxDeletedId) s.maxDeletedId = id;
      deleted++;
    }
  }
  if (deleted) {
    if (s.length === 0) s.firstId = 0n;
    else if (firstEntry) s.firstId = s.edgeId(true) ?? ID_MAX;
    c.server.recorder.keyWritten(c.db, key, NOTIFY_STREAM, 'xdel', deleted);
  }
  c.int(deleted);
}

export function xlenCommand(c: Client, argv: string[]): void {
  const s = readStream(c, argv[1]!);
  if (s === false) return;
  c.int(s === null ? 0 : s.length);
}

function xrangeGeneric(c: Client, argv: string[], rev: boolean): void {
  const sa = rev ? argv[3]! : argv[2]!;
  const ea = rev ? argv[2]! : argv[3]!;
  const st = parseInterval(c, sa, 0n);
  if (st === null) return;
  let start: bigint | null = st[0];
  if (st[1]) { start = incrId(start); if (start === null) { c.error(ERR_INVALID_START_ID); return; } }
  const en = parseInterval(c, ea, U64_MAX);
  if (en === null) return;
  let end: bigint | null = en[0];
  if (en[1]) { end = decrId(end); if (end === null) { c.error(ERR_INVALID_END_ID); return; } }
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (is(argv[j], 'count') && argv.length - j - 1 >= 1) {
      const n = toBigInt(argv[j + 1]!);
      if (n === null) { c.error(ERR_NOT_INTEGER); return; }
      count = n < 0n ? 0 : Number(n);
      j++;
    } else { c.error(ERR_SYNTAX); return; }
  }
  const s = readStream(c, argv[1]!);
  if (s === false) return;
  if (s === null) { c.raw('*0\r\n'); return; }
  if (count === 0) { c.nullArray(); return; }
  c.raw(rangeReply(s, start, end, count === -1 ? 0 : count, rev));
}

export function xrangeCommand(c: Client, argv: string[]): void { xrangeGeneric(c, argv, false); }
export function xrevrangeCommand(c: Client, argv: string[]): void { xrangeGeneric(c, argv, true); }

export function xsetidCommand(c: Client, argv: string[]): void {
  const id = parseId(c, argv[2]!, 0n, true);
  if (id === null) return;
  let entriesAdded = -1;
  let maxDel = 0n;
  for (let i = 3; i < argv.length; i += 2) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    if (is(opt, 'entriesadded') && more) {
      const n = toBigInt(argv[i + 1]!);
      if (n === null) { c.error(ERR_NOT_INTEGER); return; }
      if (n < 0n) { c.error('ERR entries_added must be positive'); return; }
      entriesAdded = Number(n);
    } else if (is(opt, 'maxdeletedid') && more) {
      const m = parseId(c, argv[i + 1]!, 0n, true);
      if (m === null) return;
      if (id < m) { c.error(ERR_XSETID_MAXDELETED); return; }
      maxDel = m;
    } else { c.error(ERR_SYNTAX); return; }
  }
  const key = argv[1]!;
  const s = writeStream(c, key);
  if (s === false) return;
  if (s === null) { c.error(ERR_NO_SUCH_KEY); return; }
  if (s.length > 0) {
    if (id < s.lastValidId()) { c.error(ERR_XSETID_SMALL); return; }
    if (entriesAdded !== -1 && s.length > entriesAdded) { c.error(ERR_XSETID_ENTRIES_ADDED); return; }
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxDel !== 0n) s.maxDeletedId = maxDel;
  c.ok();
  c.server.recorder.keyWritten(c.db, key, NOTIFY_STREAM, 'xsetid');
}
