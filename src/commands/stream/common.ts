/*
 * Helpers shared by the stream commands (t_stream.c's private functions):
 * ID parsing with Redis's exact rules (streamGenericParseIDOrReply,
 * intervals with '('), typed lookups with the read statistics, stream
 * creation, and entry replies built as one string.
 */
import type { Client } from '../../server/client.js';
import { addKey } from '../generic/common.js';
import { encodeBulk } from '../../protocol/reply.js';
import { ERR_STREAM_ID_INVALID, ERR_WRONGTYPE } from '../../protocol/errors.js';
import { ID_MAX, Stream, StreamNode, U64_MAX, idStr, makeId, parseU64 } from '../../types/stream.js';

/**
 * streamGenericParseIDOrReply: the ID, or null after replying (when reply).
 * missingSeq fills "<ms>"; strict rejects "-" and "+"; allowStar accepts
 * "<ms>-*" (then `seqGiven.v` is false).
 */
export function parseId(c: Client | null, s: string, missingSeq: bigint, strict: boolean, seqGiven?: { v: boolean }): bigint | null {
  const bad = (): null => { if (c) c.error(ERR_STREAM_ID_INVALID); return null; };
  if (s.length > 127) return bad();
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  if (strict && (s === '-' || s === '+')) return bad();
  if (seqGiven) seqGiven.v = true;
  if (s === '-') return 0n;
  if (s === '+') return ID_MAX;
  const dash = s.indexOf('-');
  const ms = parseU64(dash >= 0 ? s.slice(0, dash) : s);
  if (ms === null) return bad();
  let seq: bigint | null;
  if (dash >= 0) {
    const rest = s.slice(dash + 1);
    if (seqGiven && rest === '*') { seq = 0n; seqGiven.v = false; } else seq = parseU64(rest);
    if (seq === null) return bad();
  } else seq = missingSeq;
  return makeId(ms, seq);
}

/** streamParseIntervalIDOrReply: [id, exclusive] or null after replying. */
export function parseInterval(c: Client, s: string, missingSeq: bigint): [bigint, boolean] | null {
  if (s.length > 1 && s.charCodeAt(0) === 40) {
    const id = parseId(c, s.slice(1), missingSeq, true);
    return id === null ? null : [id, true];
  }
  const id = parseId(c, s, missingSeq, false);
  return id === null ? null : [id, false];
}

export const SEQ_MAX = U64_MAX;

/** lookupKeyRead + checkType: the stream, null when missing (miss counted), false after WRONGTYPE. */
export function readStream(c: Client, key: string): Stream | null | false {
  const v = c.db.get(key);
  if (v === undefined) { c.server.keyMiss(c.db, key); return null; }
  c.server.stats.keyspaceHits++;
  if (v instanceof Stream) return v;
  c.error(ERR_WRONGTYPE);
  return false;
}

/** lookupKeyWrite + checkType: the stream, null when missing, false after WRONGTYPE. */
export function writeStream(c: Client, key: string): Stream | null | false {
  const v = c.db.get(key);
  if (v === undefined) return null;
  if (v instanceof Stream) return v;
  c.error(ERR_WRONGTYPE);
  return false;
}

/** createStreamObject + dbAdd ("new" event). */
export function createStream(c: Client, key: string): Stream {
  const s = new Stream();
  addKey(c, key, s);
  return s;
}

export const bulkStr = encodeBulk;

/** One entry as [id, [field, value ...]]. */
export function entryReply(node: StreamNode, k: number): string {
  const id = idStr(node.ids[k]!);
  const nf = node.numFields(k);
  let o = '*2\r\n$' + id.length + '\r\n' + id + '\r\n*' + nf * 2 + '\r\n';
  for (let i = 0; i < nf; i++) o += bulkStr(node.field(k, i)) + bulkStr(node.value(k, i));
  return o;
}

/** streamReplyWithRange without a group: entries start..end (count 0 = all) as one array. */
export function rangeReply(s: Stream, start: bigint, end: bigint, count: number, rev: boolean): string {
  let n = 0;
  let body = '';
  s.range(start, end, rev, (node, k) => {
    body += entryReply(node, k);
    n++;
    return !(count && n === count);
  });
  return '*' + n + '\r\n' + body;
}

/** A single entry (raw, no array around), or '' when it does not exist. */
export function singleEntry(s: Stream, id: bigint): string {
  let out = '';
  s.range(id, id, false, (node, k) => { out = entryReply(node, k); return false; });
  return out;
}

export const idBulk = (id: bigint): string => bulkStr(idStr(id));

/** mustObeyClient: the master link or the AOF loader. */
export const mustObey = (c: Client): boolean => c.isMaster || c.id === Number.MAX_SAFE_INTEGER;

export const nodeMaxBytes = (c: Client): number => c.server.config.num('stream-node-max-bytes');
export const nodeMaxEntries = (c: Client): number => c.server.config.num('stream-node-max-entries');
