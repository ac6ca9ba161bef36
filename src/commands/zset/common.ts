/*
 * Helpers shared by the sorted set commands (t_zset.c's private functions):
 * typed lookups with Redis's hit/miss statistics, the encoding limits, key
 * creation/replacement/removal with their events, score and lex range
 * parsing (zslParseRange / zslParseLexRange), integer and timeout parsing
 * with Redis's error texts, and the reply shapes of element lists.
 */
import type { Client } from '../../server/client.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';
import { ERR_NOT_INTEGER, ERR_TIMEOUT_NEGATIVE, ERR_WRONGTYPE, ERR_ZSET_TIMEOUT_FLOAT, errIntRange } from '../../protocol/errors.js';
import { ZSet, type LexBound, type ZLimits } from '../../types/zset.js';
import { parseLongDouble } from '../../types/longdouble.js';
import { toBigInt, toInt } from '../args.js';

/** The listpack limits from the config. */
export function limits(c: Client): ZLimits {
  const cfg = c.server.config;
  return { maxEntries: cfg.num('zset-max-listpack-entries'), maxValue: cfg.num('zset-max-listpack-value') };
}

/** lookupKeyRead + checkType: the zset, null when missing (a miss is counted), false after replying WRONGTYPE. */
export function readZset(c: Client, key: string): ZSet | null | false {
  const v = c.db.get(key);
  if (v === undefined) { c.server.keyMiss(c.db, key); return null; }
  c.server.stats.keyspaceHits++;
  if (typeof v === 'string' || v.type !== 'zset') { c.error(ERR_WRONGTYPE); return false; }
  return v as ZSet;
}

/** lookupKeyWrite + checkType: the zset, null when missing, false after replying WRONGTYPE. */
export function writeZset(c: Client, key: string): ZSet | null | false {
  const v = c.db.get(key);
  if (v === undefined) return null;
  if (typeof v === 'string' || v.type !== 'zset') { c.error(ERR_WRONGTYPE); return false; }
  return v as ZSet;
}

export { addKey, setKey } from '../generic/common.js';

/** A write emptied the key: delete it and fire "del" (the type event was recorded before). */
export function removeEmpty(c: Client, key: string): void {
  c.db.delete(key);
  c.server.recorder.notify(NOTIFY_GENERIC, 'del', key, c.db.id);
}

/** A store command produced nothing: delete dst if it existed (signal, "del", dirty). */
export function storeEmpty(c: Client, key: string): void {
  if (c.db.delete(key)) c.server.recorder.keyWritten(c.db, key, NOTIFY_GENERIC, 'del');
}

// ---- numbers ------------------------------------------------------------------

/** getLongFromObjectOrReply: an integer (64-bit range), or null after replying. */
export function getLong(c: Client, s: string, msg = ERR_NOT_INTEGER): number | null {
  const v = toInt(s);
  if (v === null) { c.error(msg); return null; }
  return v;
}

/** getRangeLongFromObjectOrReply: an integer in [min, max], or null after replying (msg for both failures when given). */
export function getRangeLong(c: Client, s: string, min: bigint, max: bigint, msg: string | null): number | null {
  const v = toBigInt(s);
  if (v === null) { c.error(msg ?? ERR_NOT_INTEGER); return null; }
  if (v < min || v > max) { c.error(msg ?? errIntRange(min, max)); return null; }
  return Number(v);
}

const SPACE_RE = /^[ \t\n\v\f\r]+/;
const DEC_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;

/**
 * strtod(s) that must consume the whole (C) string, as zslParseRange uses it:
 * leading white space is skipped, "" is 0, overflow gives +-inf, NaN is
 * rejected. null when not a number.
 */
export function strtodAll(s: string): number | null {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  if (s === '') return 0;
  const t = s.replace(SPACE_RE, '');
  if (DEC_RE.test(t)) return Number(t);
  const inf = INF_RE.exec(t);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  const hex = HEX_RE.exec(t);
  if (hex && (hex[2]!.length > 0 || (hex[3] ?? '').length > 0)) {
    const frac = hex[3] ?? '';
    let v = parseInt(hex[2]! || '0', 16);
    for (let i = 0; i < frac.length; i++) v += parseInt(frac[i]!, 16) / 16 ** (i + 1);
    v *= 2 ** Number(hex[4] ?? 0);
    return hex[1] === '-' ? -v : v;
  }
  return null;
}

/** A parsed score range (zrangespec). */
export interface ScoreRange { min: number; max: number; minex: boolean; maxex: boolean }

/** zslParseRange: "(" prefix for exclusive bounds; null when either is not a float. */
export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const r: ScoreRange = { min: 0, max: 0, minex: false, maxex: false };
  if (min.charCodeAt(0) === 40) { r.minex = true; min = min.slice(1); }
  if (max.charCodeAt(0) === 40) { r.maxex = true; max = max.slice(1); }
  const a = strtodAll(min);
  const b = strtodAll(max);
  if (a === null || b === null) return null;
  r.min = a;
  r.max = b;
  return r;
}

/** zslParseLexRangeItem: "[x" / "(x" / "+" / "-"; null when invalid. */
export function parseLexItem(s: string): LexBound | null {
  const c0 = s.charCodeAt(0);
  const single = s.length === 1 || s.charCodeAt(1) === 0;
  if (c0 === 43) return single ? { s: '', ex: true, inf: 1 } : null; // '+'
  if (c0 === 45) return single ? { s: '', ex: true, inf: -1 } : null; // '-'
  if (c0 === 40) return { s: s.slice(1), ex: true, inf: 0 }; // '('
  if (c0 === 91) return { s: s.slice(1), ex: false, inf: 0 }; // '['
  return null;
}

/** [lo, hi) ranks of a score range in z (hi <= lo when empty). */
export function scoreRanks(z: ZSet, r: ScoreRange): [number, number] {
  return [z.scoreLow(r.min, r.minex), z.scoreHigh(r.max, r.maxex)];
}

/** [lo, hi) ranks of a lex range in z. */
export function lexRanks(z: ZSet, min: LexBound, max: LexBound): [number, number] {
  return [z.lexLow(min), z.lexHigh(max)];
}

/**
 * getTimeoutFromObjectOrReply (seconds, a long double): the absolute deadline
 * in ms (0 = block forever), or null after replying.
 */
export function parseTimeout(c: Client, s: string): number | null {
  if (parseLongDouble(s) === null) { c.error(ERR_ZSET_TIMEOUT_FLOAT); return null; }
  const t = s.toLowerCase();
  const v = (t.includes('inf') ? (t.startsWith('-') ? -Infinity : Infinity) : Number(s)) * 1000;
  const ms = Number.isNaN(v) ? 0 : Math.ceil(v);
  // beyond long long the C conversion yields LLONG_MIN: negative
  if (!(ms < 2 ** 63) || ms < 0) { c.error(ERR_TIMEOUT_NEGATIVE); return null; }
  return ms > 0 ? ms + c.server.now : 0;
}

// ---- replies ------------------------------------------------------------------

/**
 * An element list: member (and score) per element; with scores a flat array
 * in RESP2, an array of [member, score] pairs in RESP3.
 */
export function replyElements(c: Client, members: readonly string[], scores: readonly number[] | null): void {
  const n = members.length;
  if (scores === null) { c.bulks(members); return; }
  const pairs = c.resp === 3;
  c.array(pairs ? n : n * 2);
  for (let i = 0; i < n; i++) {
    if (pairs) c.array(2);
    c.bulk(members[i]!);
    c.double(scores[i]!);
  }
}
